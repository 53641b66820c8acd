package io.hyphae.spi.transport;

import io.hyphae.api.NodeId;
import java.util.Objects;

/**
 * The sender of an inbound frame as the transport knows it.
 *
 * @param nodeId        the sender's node id, authenticated by the transport (TLS certificate, or the virtual
 *                      network for {@code mem})
 * @param scheme        the scheme of the transport the frame came through
 * @param remoteAddress the sender's address as seen by the transport, for logs; not necessarily dialable
 */
public record Peer(NodeId nodeId, String scheme, String remoteAddress) {
    public Peer {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(remoteAddress, "remoteAddress");
    }

    @Override
    public String toString() {
        return nodeId.shortHex() + "@" + scheme + ":" + remoteAddress;
    }
}
