package io.hyphae.cache.lru;

import java.time.Duration;

/**
 * Bounds of the {@code lru} cache policy. The defaults are the constants the metatype refers to.
 *
 * @param maxTopics   most topics discovery keeps; at least 1
 * @param maxFreshness longest an answer stays fresh, however long its records live; positive
 * @param ranking     the policy's {@code service.ranking}
 */
public record LruSettings(int maxTopics, Duration maxFreshness, int ranking) {
    public static final int DEFAULT_MAX_TOPICS = 10_000;
    public static final long DEFAULT_MAX_FRESHNESS_MS = 60_000;
    public static final int DEFAULT_RANKING = 0;

    public LruSettings {
        if (maxTopics < 1) {
            throw new IllegalArgumentException("maxTopics must be at least 1: " + maxTopics);
        }
        if (maxFreshness.isNegative() || maxFreshness.isZero()) {
            throw new IllegalArgumentException("maxFreshnessMs must be positive: " + maxFreshness.toMillis());
        }
    }

    public static LruSettings defaults() {
        return new LruSettings(DEFAULT_MAX_TOPICS, Duration.ofMillis(DEFAULT_MAX_FRESHNESS_MS), DEFAULT_RANKING);
    }

    static LruSettings from(LruCachePolicy.Config config) {
        return new LruSettings(config.maxTopics(), Duration.ofMillis(config.maxFreshnessMs()),
                config.service_ranking());
    }
}
