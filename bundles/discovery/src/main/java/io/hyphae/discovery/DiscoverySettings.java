package io.hyphae.discovery;

import java.time.Duration;
import java.util.Objects;

/**
 * How discovery queries and caches. The defaults are the constants the metatype refers to. How long a positive
 * answer stays fresh and how many topics are kept is the {@link io.hyphae.spi.cache.CachePolicy}'s to decide.
 *
 * @param realm        the mesh whose topic keys are queried (must equal the advertisers' realm)
 * @param queryTimeout how long one DHT query may take (default 5 s); then QoS 0 waiters are dropped and QoS 1
 *                     waiters are queried for again
 * @param qos1Deadline how long a QoS 1 waiter is queried for before it is dropped (default 30 s)
 * @param negativeTtl  how long an answer without subscribers is cached (default 2 s)
 */
public record DiscoverySettings(String realm, Duration queryTimeout, Duration qos1Deadline, Duration negativeTtl) {
    public static final String DEFAULT_REALM = "default";
    public static final long DEFAULT_QUERY_TIMEOUT_MS = 5_000;
    public static final long DEFAULT_QOS1_DEADLINE_MS = 30_000;
    public static final long DEFAULT_NEGATIVE_TTL_MS = 2_000;

    public DiscoverySettings {
        Objects.requireNonNull(realm, "realm");
        if (realm.isEmpty()) {
            throw new IllegalArgumentException("realm must not be empty");
        }
        positive("queryTimeoutMs", queryTimeout);
        positive("qos1DeadlineMs", qos1Deadline);
        if (negativeTtl.isNegative()) {
            throw new IllegalArgumentException("negativeTtlMs must not be negative: " + negativeTtl.toMillis());
        }
    }

    public static DiscoverySettings defaults() {
        return new DiscoverySettings(DEFAULT_REALM, Duration.ofMillis(DEFAULT_QUERY_TIMEOUT_MS),
                Duration.ofMillis(DEFAULT_QOS1_DEADLINE_MS), Duration.ofMillis(DEFAULT_NEGATIVE_TTL_MS));
    }

    /** The realm and QoS 1 deadline from the node's configuration, the rest from discovery's own. */
    static DiscoverySettings from(DiscoveryComponent.NodeConfig node, DiscoveryComponent.Config config) {
        return new DiscoverySettings(node.realm(), Duration.ofMillis(config.queryTimeoutMs()),
                Duration.ofMillis(node.qos1DeadlineMs()), Duration.ofMillis(config.negativeTtlMs()));
    }

    public DiscoverySettings withRealm(String otherRealm) {
        return new DiscoverySettings(otherRealm, queryTimeout, qos1Deadline, negativeTtl);
    }

    private static void positive(String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + value.toMillis());
        }
    }
}
