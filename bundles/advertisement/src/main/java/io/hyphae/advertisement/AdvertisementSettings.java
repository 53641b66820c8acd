package io.hyphae.advertisement;

import java.time.Duration;
import java.util.Objects;

/**
 * How the advertiser keeps its records. The defaults are the constants the metatype refers to.
 *
 * @param realm            the mesh this node advertises in (part of every topic key)
 * @param ttl              lifetime of each stored record (default 300 s)
 * @param refreshFraction  a record is stored again after this part of its TTL (default 0.5: every ttl/2)
 * @param jitterFraction   up to this part of the refresh interval is taken off at random (default 0.1), so that
 *                         nodes that started together do not refresh together; a refresh is never later than
 *                         {@code ttl * refreshFraction}
 * @param storeRetry       how soon a failed store is tried again, if that is before the next refresh (default 10 s)
 * @param withdrawDeadline how long {@link AdvertisementService#close()} waits for its withdrawals (default 2 s)
 */
public record AdvertisementSettings(String realm, Duration ttl, double refreshFraction, double jitterFraction,
                                    Duration storeRetry, Duration withdrawDeadline) {
    public static final String DEFAULT_REALM = "default";
    public static final long DEFAULT_TTL_SECONDS = 300;
    public static final int DEFAULT_REFRESH_PERCENT = 50;
    public static final int DEFAULT_JITTER_PERCENT = 10;
    public static final long DEFAULT_STORE_RETRY_MS = 10_000;
    public static final long DEFAULT_WITHDRAW_DEADLINE_MS = 2_000;

    public AdvertisementSettings {
        Objects.requireNonNull(realm, "realm");
        if (realm.isEmpty()) {
            throw new IllegalArgumentException("realm must not be empty");
        }
        if (ttl.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("ttlSeconds must be at least 1: " + ttl.toSeconds());
        }
        if (!(refreshFraction > 0 && refreshFraction < 1)) {
            throw new IllegalArgumentException("refreshPercent must be between 0 and 100 exclusive: "
                    + refreshFraction * 100);
        }
        if (!(jitterFraction >= 0 && jitterFraction < 1)) {
            throw new IllegalArgumentException("jitterPercent must be 0..99: " + jitterFraction * 100);
        }
        if (storeRetry.isNegative() || storeRetry.isZero()) {
            throw new IllegalArgumentException("storeRetryMs must be positive: " + storeRetry.toMillis());
        }
        if (withdrawDeadline.isNegative()) {
            throw new IllegalArgumentException("withdrawDeadlineMs must not be negative: "
                    + withdrawDeadline.toMillis());
        }
    }

    public static AdvertisementSettings defaults() {
        return new AdvertisementSettings(DEFAULT_REALM, Duration.ofSeconds(DEFAULT_TTL_SECONDS),
                DEFAULT_REFRESH_PERCENT / 100.0, DEFAULT_JITTER_PERCENT / 100.0,
                Duration.ofMillis(DEFAULT_STORE_RETRY_MS), Duration.ofMillis(DEFAULT_WITHDRAW_DEADLINE_MS));
    }

    /** The realm from the node's configuration, the rest from the advertiser's own. */
    static AdvertisementSettings from(AdvertisementComponent.NodeConfig node, AdvertisementComponent.Config config) {
        return new AdvertisementSettings(node.realm(), Duration.ofSeconds(config.ttlSeconds()),
                config.refreshPercent() / 100.0, config.jitterPercent() / 100.0,
                Duration.ofMillis(config.storeRetryMs()), Duration.ofMillis(config.withdrawDeadlineMs()));
    }

    public AdvertisementSettings withRealm(String otherRealm) {
        return new AdvertisementSettings(otherRealm, ttl, refreshFraction, jitterFraction, storeRetry,
                withdrawDeadline);
    }

    public AdvertisementSettings withJitterFraction(double fraction) {
        return new AdvertisementSettings(realm, ttl, refreshFraction, fraction, storeRetry, withdrawDeadline);
    }

    public AdvertisementSettings withTtl(Duration otherTtl) {
        return new AdvertisementSettings(realm, otherTtl, refreshFraction, jitterFraction, storeRetry,
                withdrawDeadline);
    }

    /** The longest time between two stores of one record: {@code ttl * refreshFraction}. */
    Duration refreshInterval() {
        return Duration.ofMillis((long) (ttl.toMillis() * refreshFraction));
    }
}
