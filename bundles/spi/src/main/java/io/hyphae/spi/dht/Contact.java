package io.hyphae.spi.dht;

import io.hyphae.api.NodeId;
import io.hyphae.spi.transport.Endpoint;
import java.util.List;
import java.util.Objects;

/**
 * A node of the DHT and where it can be reached.
 *
 * @param nodeId    the node
 * @param endpoints its endpoints, one per transport, each naming {@code nodeId}; the preferred first
 */
public record Contact(NodeId nodeId, List<Endpoint> endpoints) {
    public Contact {
        Objects.requireNonNull(nodeId, "nodeId");
        endpoints = List.copyOf(endpoints);
        for (Endpoint e : endpoints) {
            if (!e.nodeId().equals(nodeId)) {
                throw new IllegalArgumentException("endpoint " + e + " names another node than " + nodeId);
            }
        }
    }
}
