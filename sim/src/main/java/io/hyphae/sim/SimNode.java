package io.hyphae.sim;

import io.hyphae.api.NodeId;
import io.hyphae.dht.KademliaDht;
import io.hyphae.transport.mem.MemTransport;

/** One simulated node: a plain {@link KademliaDht} on a {@link MemTransport}, and when it started. */
final class SimNode {
    final KademliaDht dht;
    final MemTransport transport;
    final long startedAtMs;
    /** Place in the population's list of live nodes, -1 once it left. */
    int slot = -1;

    SimNode(KademliaDht dht, MemTransport transport, long startedAtMs) {
        this.dht = dht;
        this.transport = transport;
        this.startedAtMs = startedAtMs;
    }

    NodeId id() {
        return dht.localId();
    }

    String endpoint() {
        return transport.endpoint().toString();
    }

    /**
     * Leaves without notice: the transport detaches (frames in flight to it are lost, peers find out by timeouts)
     * and the node stops its timers, so that it costs the simulation nothing more.
     */
    void leave() {
        transport.close();
        dht.close();
        slot = -1;
    }

    boolean live() {
        return slot >= 0;
    }
}
