package io.hyphae.cache.lru;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hyphae.spi.cache.CachePolicy;
import io.hyphae.spi.cache.CachePolicy.Entry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LruCachePolicyTest extends CachePolicyContract {
    @Override
    protected CachePolicy policy() {
        return new LruCachePolicy(new LruSettings(MAX_TOPICS, MAX_FRESHNESS, 0));
    }

    @Override
    protected String expectedName() {
        return "lru";
    }

    @Test
    void defaultsAreSixtySecondsAndTenThousandTopics() {
        LruCachePolicy policy = new LruCachePolicy(LruSettings.defaults());
        assertThat(policy.freshness(Duration.ofSeconds(300))).isEqualTo(Duration.ofSeconds(60));
        assertThat(policy.freshness(Duration.ofSeconds(20))).isEqualTo(Duration.ofSeconds(20));
        assertThat(policy.maxTopics()).isEqualTo(10_000);
    }

    @Test
    void neverRefreshesAheadEvenAHotEntry() {
        Entry hot = new Entry(T0, T0.plusSeconds(60), T0.plusSeconds(58), 1_000_000);
        assertThat(policy().refreshAhead(hot, T0.plusSeconds(59))).isFalse();
    }

    @Test
    void refusesSettingsThatCannotWork() {
        assertThatThrownBy(() -> new LruSettings(0, MAX_FRESHNESS, 0)).hasMessageContaining("maxTopics");
        assertThatThrownBy(() -> new LruSettings(1, Duration.ZERO, 0)).hasMessageContaining("maxFreshnessMs");
    }
}
