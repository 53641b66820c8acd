package io.hyphae.cache.refresh;

import java.time.Duration;

/**
 * Bounds of the {@code refresh-ahead} cache policy. The defaults are the constants the metatype refers to.
 *
 * @param maxTopics       most topics discovery keeps; at least 1
 * @param maxFreshness    longest an answer stays fresh, however long its records live; positive
 * @param refreshFraction the last part of an entry's freshness (0 < f < 1, default 0.2) in which a hot entry is
 *                        queried again
 * @param minUses         uses since it was stored that make an entry hot (default 2)
 * @param ranking         the policy's {@code service.ranking}; above lru's 0 so that installing this takes over
 */
public record RefreshAheadSettings(int maxTopics, Duration maxFreshness, double refreshFraction, long minUses,
                                   int ranking) {
    public static final int DEFAULT_MAX_TOPICS = 10_000;
    public static final long DEFAULT_MAX_FRESHNESS_MS = 60_000;
    public static final int DEFAULT_REFRESH_PERCENT = 20;
    public static final long DEFAULT_MIN_USES = 2;
    public static final int DEFAULT_RANKING = 10;

    public RefreshAheadSettings {
        if (maxTopics < 1) {
            throw new IllegalArgumentException("maxTopics must be at least 1: " + maxTopics);
        }
        if (maxFreshness.isNegative() || maxFreshness.isZero()) {
            throw new IllegalArgumentException("maxFreshnessMs must be positive: " + maxFreshness.toMillis());
        }
        if (!(refreshFraction > 0 && refreshFraction < 1)) {
            throw new IllegalArgumentException("refreshPercent must be between 0 and 100 exclusive: "
                    + refreshFraction * 100);
        }
        if (minUses < 1) {
            throw new IllegalArgumentException("minUses must be at least 1: " + minUses);
        }
    }

    public static RefreshAheadSettings defaults() {
        return new RefreshAheadSettings(DEFAULT_MAX_TOPICS, Duration.ofMillis(DEFAULT_MAX_FRESHNESS_MS),
                DEFAULT_REFRESH_PERCENT / 100.0, DEFAULT_MIN_USES, DEFAULT_RANKING);
    }

    static RefreshAheadSettings from(RefreshAheadCachePolicy.Config config) {
        return new RefreshAheadSettings(config.maxTopics(), Duration.ofMillis(config.maxFreshnessMs()),
                config.refreshPercent() / 100.0, config.minUses(), config.service_ranking());
    }
}
