package io.hyphae.transport.mem;

import io.hyphae.api.NodeId;
import java.util.Objects;

/**
 * A node's place on a {@link VirtualNetwork}: it sends from {@code host:port} as {@code nodeId} and receives there
 * until {@link #close closed}. Thread safe.
 */
public final class Attachment implements AutoCloseable {
    private final VirtualNetwork network;
    private final String host;
    private final int port;
    private final NodeId nodeId;
    private final VirtualNetwork.Receiver receiver;
    private volatile boolean attached = true;

    Attachment(VirtualNetwork network, String host, int port, NodeId nodeId, VirtualNetwork.Receiver receiver) {
        this.network = network;
        this.host = host;
        this.port = port;
        this.nodeId = nodeId;
        this.receiver = receiver;
    }

    /**
     * Hands {@code bytes} to the network for {@code toHost:toPort}, expecting node {@code expected} there. Returns at
     * once; the bytes arrive later on the network's scheduler, or are dropped (loss, partition). Refuses, sending
     * nothing, when nobody is attached there or the node attached there is another: the virtual counterpart of a
     * refused connection or a failed TLS identity check. The network takes {@code bytes} over without copying.
     */
    public Transmission transmit(String toHost, int toPort, NodeId expected, byte[] bytes) {
        Objects.requireNonNull(toHost, "toHost");
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(bytes, "bytes");
        if (!attached) {
            return Transmission.DETACHED;
        }
        return network.transmit(this, toHost, toPort, expected, bytes);
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public NodeId nodeId() {
        return nodeId;
    }

    /** {@code host:port}. */
    public String address() {
        return host + ":" + port;
    }

    /** Whether this attachment still receives. */
    public boolean isAttached() {
        return attached;
    }

    /** Leaves the network: frames in flight to this address are dropped. Closing twice is harmless. */
    @Override
    public void close() {
        if (attached) {
            attached = false;
            network.detach(this);
        }
    }

    VirtualNetwork.Receiver receiver() {
        return receiver;
    }

    @Override
    public String toString() {
        return nodeId.shortHex() + "@" + address();
    }

    /** What the network did with a frame handed to it. */
    public enum Transmission {
        /** Accepted: it will be delivered or dropped by loss or partition. */
        SENT,
        /** Nobody is attached at the address. */
        NO_SUCH_ADDRESS,
        /** Another node than the expected one is attached at the address. */
        WRONG_NODE,
        /** The sender's attachment is closed. */
        DETACHED
    }
}
