package io.hyphae.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hyphae.api.NodeClosedException;
import io.hyphae.api.Qos;
import io.hyphae.api.Topic;
import io.hyphae.identity.Ed25519Identity;
import io.hyphae.spi.cache.CachePolicy;
import io.hyphae.spi.dht.Key;
import io.hyphae.spi.pubsub.Discovery.Discovered.QuerySent;
import io.hyphae.testkit.ComponentProperties;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The DS wiring only: what reaches the {@link DiscoveryService} behind the component. The DHT never answers. */
class DiscoveryComponentTest {
    private static final Topic TOPIC = Topic.of("sensors.temperature");

    private final FakeDht dht = new FakeDht(Ed25519Identity.generate().nodeId());
    private DiscoveryComponent component;

    @AfterEach
    void deactivate() {
        component.deactivate();
    }

    @Test
    void theNodesRealmReachesTheQueriesAndTheCountersAreDiscoverys() {
        dht.mode = FakeDht.Mode.HOLD;
        component = activate(Map.of("realm", "lab"));

        assertThat(component.discover(TOPIC, new DiscoveryFixture.Recorder(Qos.AT_MOST_ONCE)))
                .isInstanceOf(QuerySent.class);

        assertThat(dht.queries).containsExactly(Key.ofTopic("lab", TOPIC));
        assertThat(component.module()).isEqualTo(DiscoveryStats.MODULE);
        assertThat(component.snapshot()).containsEntry("discovery.queries.sent", 1L);
    }

    /** SCR binds a greedy reference's new service before it unbinds the old one. */
    @Test
    void theNewPolicyIsBoundBeforeTheOldIsUnboundAndUnbindClearsOnlyItsOwn() {
        component = activate(Map.of());
        CachePolicy low = new FixedPolicy(Duration.ofSeconds(60), 10);
        CachePolicy high = new FixedPolicy(Duration.ofSeconds(30), 10);

        component.bindCachePolicy(low);
        component.bindCachePolicy(high);
        component.unbindCachePolicy(low);
        assertThat(component.discovery().policy()).isSameAs(high);

        component.unbindCachePolicy(high);
        assertThat(component.discovery().policy().name()).isEqualTo("built-in");
    }

    @Test
    void deactivationClosesDiscovery() {
        component = activate(Map.of());

        component.deactivate();

        assertThatThrownBy(() -> component.discover(TOPIC, new DiscoveryFixture.Recorder(Qos.AT_MOST_ONCE)))
                .isInstanceOf(NodeClosedException.class);
    }

    private DiscoveryComponent activate(Map<String, Object> node) {
        return new DiscoveryComponent(ComponentProperties.of(DiscoveryComponent.Config.class, Map.of()),
                ComponentProperties.of(DiscoveryComponent.NodeConfig.class, node), dht);
    }
}
