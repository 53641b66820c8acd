package io.hyphae.spi.cache;

import java.time.Duration;
import java.time.Instant;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Decides the life of discovery's cache entries; the cache itself stays in discovery, so a policy swap keeps every
 * entry the new policy still considers fresh. Implementations are stateless or thread safe and answer fast: they
 * are asked on the publish path.
 */
@ProviderType
public interface CachePolicy {
    /** Service property naming the policy, e.g. {@code lru}. */
    String NAME = "cache.policy";

    /** Short name for logs and the shell. */
    String name();

    /** How long an answer stays fresh, given the shortest remaining TTL among its records. */
    Duration freshness(Duration recordTtl);

    /** Most topics the cache keeps; the least recently used go first. */
    int maxTopics();

    /**
     * Whether discovery should query the DHT for {@code entry} again now, before it expires, so that a topic in use
     * never waits on a miss. Asked when an entry is used.
     */
    default boolean refreshAhead(Entry entry, Instant now) {
        return false;
    }

    /**
     * What the policy may know of an entry.
     *
     * @param storedAt   when the answer was cached
     * @param expiresAt  when it stops being fresh under the policy in force
     * @param lastUsedAt when a discovery last used it
     * @param uses       how many discoveries used it since it was stored
     */
    record Entry(Instant storedAt, Instant expiresAt, Instant lastUsedAt, long uses) {
    }
}
