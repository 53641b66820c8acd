package io.hyphae.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.hyphae.api.Qos;
import io.hyphae.api.Topic;
import io.hyphae.spi.cache.CachePolicy;
import io.hyphae.spi.pubsub.Discovery.Discovered;
import io.hyphae.spi.pubsub.Discovery.Discovered.Cached;
import io.hyphae.spi.pubsub.Discovery.Discovered.QuerySent;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PolicySwapTest extends DiscoveryFixture {
    private static final Topic A = Topic.of("a");
    private static final Topic B = Topic.of("b");
    private static final Topic C = Topic.of("c");

    @Test
    void withoutAPolicyTheBuiltInOneKeepsAnswersSixtySeconds() {
        assertThat(discovery.policy().name()).isEqualTo("built-in");
        cache(TOPIC);
        time.advance(Duration.ofSeconds(59));
        assertThat(discover(TOPIC)).isInstanceOf(Cached.class);
        time.advance(Duration.ofSeconds(1));
        assertThat(discover(TOPIC)).isInstanceOf(QuerySent.class);
    }

    @Test
    void aSwapKeepsEntriesForAsLongAsTheNewPolicyAllows() {
        cache(TOPIC);
        time.advance(Duration.ofSeconds(10));

        discovery.usePolicy(new FixedPolicy(Duration.ofSeconds(120), 100));

        time.advance(Duration.ofSeconds(100));
        assertThat(discover(TOPIC)).as("kept past the old 60 s").isInstanceOf(Cached.class);
        time.advance(Duration.ofSeconds(10));
        assertThat(discover(TOPIC)).isInstanceOf(QuerySent.class);
        assertThat(dht.queries).hasSize(2);
        assertThat(discovery.stats().policySwaps()).isEqualTo(1);
    }

    @Test
    void aStricterPolicyDropsWhatIsNoLongerFresh() {
        cache(TOPIC);
        time.advance(Duration.ofSeconds(20));

        discovery.usePolicy(new FixedPolicy(Duration.ofSeconds(10), 100));

        assertThat(discovery.cachedTopics()).isZero();
        assertThat(discover(TOPIC)).isInstanceOf(QuerySent.class);
    }

    @Test
    void aSmallerCapDropsTheLeastRecentlyUsedTopics() {
        cache(A);
        cache(B);
        cache(C);
        assertThat(discover(A)).isInstanceOf(Cached.class); // B is now the least recently used

        discovery.usePolicy(new FixedPolicy(Duration.ofSeconds(60), 2));

        assertThat(discovery.cachedTopics()).isEqualTo(2);
        assertThat(discover(A)).isInstanceOf(Cached.class);
        assertThat(discover(C)).isInstanceOf(Cached.class);
        assertThat(discover(B)).isInstanceOf(QuerySent.class);
    }

    @Test
    void theCapHoldsForNewAnswersToo() {
        discovery.usePolicy(new FixedPolicy(Duration.ofSeconds(60), 2));
        cache(A);
        cache(B);
        cache(C);
        assertThat(discovery.cachedTopics()).isEqualTo(2);
        assertThat(discover(A)).isInstanceOf(QuerySent.class);
    }

    @Test
    void aPolicySetBeforeTheOldOneIsRetiredStaysAndRetiringClearsOnlyItsOwn() {
        CachePolicy low = new FixedPolicy(Duration.ofSeconds(60), 10);
        CachePolicy high = new FixedPolicy(Duration.ofSeconds(30), 10);
        cache(TOPIC);

        discovery.usePolicy(low);
        discovery.usePolicy(high);
        discovery.retirePolicy(low);
        assertThat(discovery.policy()).isSameAs(high);
        assertThat(discovery.cachedTopics()).as("entries survive every step").isEqualTo(1);

        discovery.retirePolicy(high);
        assertThat(discovery.policy().name()).isEqualTo("built-in");
        assertThat(discover(TOPIC)).isInstanceOf(Cached.class);
    }

    @Test
    void aHotTopicIsQueriedAgainBeforeItsEntryExpires() {
        discovery.usePolicy(new FixedPolicy(Duration.ofSeconds(60), 100, true));
        cache(TOPIC);
        time.advance(Duration.ofSeconds(10));
        assertThat(discover(TOPIC)).isInstanceOf(Cached.class);
        time.advance(Duration.ofSeconds(40));

        assertThat(discover(TOPIC)).as("a hit is answered at once").isInstanceOf(Cached.class);
        assertThat(dht.queries).hasSize(2);
        time.runDue();

        time.advance(Duration.ofSeconds(20));
        assertThat(discover(TOPIC)).as("refreshed at 50 s, fresh until 110 s").isInstanceOf(Cached.class);
        assertThat(dht.queries).hasSize(2);
        assertThat(discovery.stats().refreshes()).isEqualTo(1);
    }

    @Test
    void aTopicUsedOnceIsLeftToExpire() {
        discovery.usePolicy(new FixedPolicy(Duration.ofSeconds(60), 100, true));
        cache(TOPIC);
        time.advance(Duration.ofSeconds(55));
        assertThat(discover(TOPIC)).isInstanceOf(Cached.class);
        assertThat(dht.queries).hasSize(1);
        time.advance(Duration.ofSeconds(5));
        assertThat(discover(TOPIC)).isInstanceOf(QuerySent.class);
    }

    private void cache(Topic topic) {
        dht.put(Records.advert(alice, REALM, topic, 1, time.now().plusSeconds(300)));
        assertThat(discover(topic)).isInstanceOf(QuerySent.class);
        time.runDue();
    }

    private Discovered discover(Topic topic) {
        return discovery.discover(topic, new Recorder(Qos.AT_MOST_ONCE));
    }
}
