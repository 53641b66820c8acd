package io.hyphae.sim;

import io.hyphae.api.NodeId;
import io.hyphae.dht.DhtSettings;
import io.hyphae.dht.KademliaDht;
import io.hyphae.spi.dht.Key;
import io.hyphae.transport.mem.MemTransport;
import io.hyphae.transport.mem.VirtualNetwork;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The live nodes of a simulation: starts new ones (each joining through up to {@value #BOOTSTRAPS} random live
 * nodes, as a newcomer that knows a few members would), lets random ones leave, picks random askers, and knows the
 * truth a lookup is judged against. Every choice comes from one seeded random. Confined to the thread that drives
 * the {@link EventQueue}.
 */
final class Population {
    static final int BOOTSTRAPS = 3;
    private static final int PORT = 1;

    private final EventQueue time;
    private final VirtualNetwork network;
    private final DhtSettings dhtSettings;
    private final SplittableRandom random;
    private final ArrayList<SimNode> live = new ArrayList<>();
    private int started;
    private int left;

    Population(EventQueue time, VirtualNetwork network, DhtSettings dhtSettings, SplittableRandom random) {
        this.time = time;
        this.network = network;
        this.dhtSettings = dhtSettings;
        this.random = random;
    }

    /** Starts a node with a fresh random id; it joins through random live nodes (the first one has none). */
    SimNode start() {
        NodeId id = randomId();
        List<String> bootstrap = new ArrayList<>(BOOTSTRAPS);
        for (int i = 0; i < BOOTSTRAPS * 2 && bootstrap.size() < Math.min(BOOTSTRAPS, live.size()); i++) {
            String endpoint = live.get(random.nextInt(live.size())).endpoint();
            if (!bootstrap.contains(endpoint)) {
                bootstrap.add(endpoint);
            }
        }
        MemTransport transport = new MemTransport(network, "h" + started, PORT, id, time).start();
        KademliaDht dht = new KademliaDht(dhtSettings.withBootstrap(bootstrap), new SimIdentity(id), time.clock(),
                time);
        dht.addTransport(transport, MemTransport.SCHEME);
        dht.start();
        started++;
        SimNode node = new SimNode(dht, transport, time.millis());
        node.slot = live.size();
        live.add(node);
        return node;
    }

    /** A random live node leaves without notice. */
    void leaveRandom() {
        SimNode leaving = live.get(random.nextInt(live.size()));
        int slot = leaving.slot;
        SimNode last = live.remove(live.size() - 1);
        if (last != leaving) {
            live.set(slot, last);
            last.slot = slot;
        }
        leaving.leave();
        left++;
    }

    /** A random live node that has joined (the first is taken when none has yet). */
    SimNode randomJoined() {
        SimNode node = live.get(random.nextInt(live.size()));
        for (int i = 0; i < 20 && !node.dht.joined(); i++) {
            node = live.get(random.nextInt(live.size()));
        }
        return node;
    }

    /**
     * The live node nearest to {@code target} among those that started at or before {@code sinceMs}, other than
     * {@code asker}: what a lookup started at {@code sinceMs} by {@code asker} must find. Null when there is none.
     */
    NodeId nearestLive(Key target, long sinceMs, NodeId asker) {
        NodeId best = null;
        for (SimNode node : live) {
            NodeId id = node.id();
            if (node.startedAtMs <= sinceMs && !id.equals(asker) && (best == null || Distance.compare(target, id,
                    best) < 0)) {
                best = id;
            }
        }
        return best;
    }

    Key randomKey() {
        byte[] bytes = new byte[Key.BYTES];
        random.nextBytes(bytes);
        return Key.of(bytes);
    }

    int size() {
        return live.size();
    }

    /** Nodes started so far, including the first {@code nodes}. */
    int started() {
        return started;
    }

    int left() {
        return left;
    }

    List<SimNode> live() {
        return live;
    }

    private NodeId randomId() {
        byte[] bytes = new byte[NodeId.BYTES];
        random.nextBytes(bytes);
        return NodeId.of(bytes);
    }
}
