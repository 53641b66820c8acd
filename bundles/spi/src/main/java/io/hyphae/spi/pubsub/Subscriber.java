package io.hyphae.spi.pubsub;

import io.hyphae.api.NodeId;
import io.hyphae.spi.transport.Endpoint;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A remote node subscribed to a topic, as its verified advertisement says.
 *
 * @param nodeId    the subscriber
 * @param endpoints where it takes routes, preferred first, each naming {@code nodeId}
 * @param seq       version of its advertisement
 * @param expiresAt when its advertisement expires
 */
public record Subscriber(NodeId nodeId, List<Endpoint> endpoints, long seq, Instant expiresAt) {
    public Subscriber {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(expiresAt, "expiresAt");
        endpoints = List.copyOf(endpoints);
    }
}
