package io.hyphae.discovery;

import io.hyphae.spi.cache.CachePolicy;
import java.time.Duration;
import java.time.Instant;

/** A policy with fixed bounds that refreshes ahead in the last fifth of an entry used twice, when told to. */
final class FixedPolicy implements CachePolicy {
    private final Duration maxFreshness;
    private final int maxTopics;
    private final boolean refreshAhead;

    FixedPolicy(Duration maxFreshness, int maxTopics) {
        this(maxFreshness, maxTopics, false);
    }

    FixedPolicy(Duration maxFreshness, int maxTopics, boolean refreshAhead) {
        this.maxFreshness = maxFreshness;
        this.maxTopics = maxTopics;
        this.refreshAhead = refreshAhead;
    }

    @Override
    public String name() {
        return "fixed-" + maxFreshness.toSeconds() + "s-" + maxTopics;
    }

    @Override
    public Duration freshness(Duration recordTtl) {
        return recordTtl.compareTo(maxFreshness) < 0 ? recordTtl : maxFreshness;
    }

    @Override
    public int maxTopics() {
        return maxTopics;
    }

    @Override
    public boolean refreshAhead(Entry entry, Instant now) {
        long fresh = Duration.between(entry.storedAt(), entry.expiresAt()).toMillis();
        return refreshAhead && entry.uses() >= 2 && Duration.between(now, entry.expiresAt()).toMillis() <= fresh / 5;
    }
}
