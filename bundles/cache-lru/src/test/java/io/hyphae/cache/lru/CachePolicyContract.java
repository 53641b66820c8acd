package io.hyphae.cache.lru;

import static org.assertj.core.api.Assertions.assertThat;

import io.hyphae.spi.cache.CachePolicy;
import io.hyphae.spi.cache.CachePolicy.Entry;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * What every {@link CachePolicy} must do, whatever else it decides. Extended by each policy's test (published in
 * this module's test-jar). Subclasses answer a policy built with {@link #MAX_FRESHNESS} and {@link #MAX_TOPICS}.
 */
public abstract class CachePolicyContract {
    /** The freshness ceiling the policy under test must be built with. */
    protected static final Duration MAX_FRESHNESS = Duration.ofSeconds(60);
    /** The topic cap the policy under test must be built with. */
    protected static final int MAX_TOPICS = 100;
    protected static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /** A fresh policy built with {@link #MAX_FRESHNESS} and {@link #MAX_TOPICS}. */
    protected abstract CachePolicy policy();

    /** The name it registers under {@link CachePolicy#NAME}. */
    protected abstract String expectedName();

    @Test
    void hasItsName() {
        assertThat(policy().name()).isEqualTo(expectedName());
    }

    @Test
    void freshnessNeverOutlivesTheRecords() {
        CachePolicy policy = policy();
        for (long s : new long[] {1, 5, 59, 60, 61, 300, 86_400}) {
            Duration ttl = Duration.ofSeconds(s);
            assertThat(policy.freshness(ttl)).as("freshness(%s)", ttl).isLessThanOrEqualTo(ttl).isPositive();
        }
    }

    @Test
    void freshnessIsCappedByTheConfiguredCeiling() {
        assertThat(policy().freshness(Duration.ofMinutes(5))).isEqualTo(MAX_FRESHNESS);
        assertThat(policy().freshness(Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void expiredOrNegativeRecordTtlIsNeverFresh() {
        assertThat(policy().freshness(Duration.ZERO)).isZero();
        assertThat(policy().freshness(Duration.ofSeconds(-3))).isZero();
    }

    @Test
    void keepsTheConfiguredNumberOfTopics() {
        assertThat(policy().maxTopics()).isEqualTo(MAX_TOPICS);
    }

    @Test
    void neverRefreshesAnExpiredEntry() {
        Entry entry = new Entry(T0, T0.plusSeconds(60), T0.plusSeconds(59), 1_000);
        assertThat(policy().refreshAhead(entry, T0.plusSeconds(60))).isFalse();
        assertThat(policy().refreshAhead(entry, T0.plusSeconds(600))).isFalse();
    }

    @Test
    void neverRefreshesAnEntryNobodyUses() {
        Entry entry = new Entry(T0, T0.plusSeconds(60), T0, 0);
        for (int s = 0; s < 60; s++) {
            assertThat(policy().refreshAhead(entry, T0.plusSeconds(s))).as("at %d s", s).isFalse();
        }
    }

    @Test
    void answersTheSameForTheSameQuestion() {
        CachePolicy policy = policy();
        Entry entry = new Entry(T0, T0.plusSeconds(60), T0.plusSeconds(55), 10);
        boolean first = policy.refreshAhead(entry, T0.plusSeconds(56));
        assertThat(policy.refreshAhead(entry, T0.plusSeconds(56))).isEqualTo(first);
        assertThat(policy.freshness(Duration.ofSeconds(42))).isEqualTo(policy.freshness(Duration.ofSeconds(42)));
    }
}
