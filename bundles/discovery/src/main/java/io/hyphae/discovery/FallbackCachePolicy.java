package io.hyphae.discovery;

import io.hyphae.spi.cache.CachePolicy;
import java.time.Duration;

/**
 * The policy in force while no {@link CachePolicy} service is bound: the bounds of the {@code lru} bundle's
 * defaults (freshness {@code min(recordTtl, 60 s)}, 10,000 topics, no refresh-ahead), so that discovery works, and
 * never deactivates, while policies are swapped.
 */
final class FallbackCachePolicy implements CachePolicy {
    static final FallbackCachePolicy INSTANCE = new FallbackCachePolicy();
    private static final Duration MAX_FRESHNESS = Duration.ofSeconds(60);
    private static final int MAX_TOPICS = 10_000;

    private FallbackCachePolicy() {
    }

    @Override
    public String name() {
        return "built-in";
    }

    @Override
    public Duration freshness(Duration recordTtl) {
        if (recordTtl.isNegative()) {
            return Duration.ZERO;
        }
        return recordTtl.compareTo(MAX_FRESHNESS) < 0 ? recordTtl : MAX_FRESHNESS;
    }

    @Override
    public int maxTopics() {
        return MAX_TOPICS;
    }
}
