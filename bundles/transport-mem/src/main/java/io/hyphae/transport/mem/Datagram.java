package io.hyphae.transport.mem;

import io.hyphae.api.NodeId;
import java.util.Objects;

/**
 * One frame's bytes arriving through a {@link VirtualNetwork}, with its sender as the network knows it (the network
 * authenticates senders: {@code fromNode} is the node that attached at {@code fromHost:fromPort}). The network hands
 * the sender's array over without copying; receivers must not modify it.
 *
 * @param fromHost the sender's host
 * @param fromPort the sender's port
 * @param fromNode the sender's node id
 * @param bytes    the frame as encoded by the sender
 */
public record Datagram(String fromHost, int fromPort, NodeId fromNode, byte[] bytes) {
    public Datagram {
        Objects.requireNonNull(fromHost, "fromHost");
        Objects.requireNonNull(fromNode, "fromNode");
        Objects.requireNonNull(bytes, "bytes");
    }

    /** {@code host:port} of the sender, for logs and {@link io.hyphae.spi.transport.Peer#remoteAddress()}. */
    public String fromAddress() {
        return fromHost + ":" + fromPort;
    }

    @Override
    public String toString() {
        return "Datagram[" + bytes.length + "B from " + fromNode.shortHex() + "@" + fromAddress() + "]";
    }
}
