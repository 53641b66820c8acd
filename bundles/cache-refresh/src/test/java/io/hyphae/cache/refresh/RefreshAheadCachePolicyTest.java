package io.hyphae.cache.refresh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hyphae.cache.lru.CachePolicyContract;
import io.hyphae.spi.cache.CachePolicy;
import io.hyphae.spi.cache.CachePolicy.Entry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RefreshAheadCachePolicyTest extends CachePolicyContract {
    private static final Entry HOT = new Entry(T0, T0.plusSeconds(60), T0.plusSeconds(40), 5);

    @Override
    protected CachePolicy policy() {
        return new RefreshAheadCachePolicy(new RefreshAheadSettings(MAX_TOPICS, MAX_FRESHNESS, 0.2, 2, 10));
    }

    @Override
    protected String expectedName() {
        return "refresh-ahead";
    }

    @Test
    void refreshesAHotEntryInTheLastFifthOfItsFreshness() {
        assertThat(policy().refreshAhead(HOT, T0.plusSeconds(47))).isFalse();
        assertThat(policy().refreshAhead(HOT, T0.plusSeconds(48))).isTrue();
        assertThat(policy().refreshAhead(HOT, T0.plusSeconds(59))).isTrue();
        assertThat(policy().refreshAhead(HOT, T0.plusSeconds(60))).isFalse();
    }

    @Test
    void anEntryUsedOnceIsNotHot() {
        Entry once = new Entry(T0, T0.plusSeconds(60), T0.plusSeconds(55), 1);
        assertThat(policy().refreshAhead(once, T0.plusSeconds(56))).isFalse();
    }

    @Test
    void anEntryNotUsedWithinItsFreshnessIsNotHot() {
        Entry stale = new Entry(T0, T0.plusSeconds(100), T0.plusSeconds(1), 50);
        assertThat(policy().refreshAhead(stale, T0.plusSeconds(99))).isTrue();
        Entry idle = new Entry(T0, T0.plusSeconds(30), T0.minusSeconds(10), 50);
        assertThat(policy().refreshAhead(idle, T0.plusSeconds(29))).isFalse();
    }

    @Test
    void defaultsMatchLruBoundsAndRankAboveIt() {
        RefreshAheadSettings defaults = RefreshAheadSettings.defaults();
        assertThat(defaults.maxTopics()).isEqualTo(10_000);
        assertThat(defaults.maxFreshness()).isEqualTo(Duration.ofSeconds(60));
        assertThat(defaults.refreshFraction()).isEqualTo(0.2);
        assertThat(defaults.ranking()).isGreaterThan(0);
    }

    @Test
    void refusesAFractionOutsideZeroToOne() {
        assertThatThrownBy(() -> new RefreshAheadSettings(1, MAX_FRESHNESS, 1.0, 2, 10))
                .hasMessageContaining("refreshPercent");
        assertThatThrownBy(() -> new RefreshAheadSettings(1, MAX_FRESHNESS, 0.2, 0, 10))
                .hasMessageContaining("minUses");
    }
}
