package io.hyphae.advertisement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hyphae.api.NodeClosedException;
import io.hyphae.api.Topic;
import io.hyphae.identity.Ed25519Identity;
import io.hyphae.spi.dht.Key;
import io.hyphae.spi.pubsub.Advertiser.Advertisement;
import io.hyphae.spi.transport.Endpoint;
import io.hyphae.testkit.ComponentProperties;
import io.hyphae.wire.Advertisements;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The DS wiring only: what reaches the {@link AdvertisementService} behind the component. Every assertion follows a
 * call that stores on the calling thread; the re-advertisement a bound transport schedules finds nothing to change.
 */
class AdvertisementComponentTest {
    private static final Topic TOPIC = Topic.of("sensors.temperature");

    private final FakeDht dht = new FakeDht();
    private final Ed25519Identity identity = Ed25519Identity.generate();
    private final Endpoint mem = new Endpoint("mem", "n1", 0, identity.nodeId());
    private AdvertisementComponent component;

    @AfterEach
    void deactivate() {
        component.deactivate();
    }

    @Test
    void aBoundTransportsEndpointsAreAdvertisedInTheNodesRealm() {
        component = activate(Map.of("realm", "lab"));
        component.bindTransport(new FakeTransport("mem", List.of(mem)));

        component.advertise(TOPIC);

        assertThat(dht.last().key()).isEqualTo(Key.ofTopic("lab", TOPIC));
        assertThat(Advertisements.decode(dht.last().value()))
                .isEqualTo(Advertisements.Value.advertisement(identity.nodeId(), List.of(mem), TOPIC, "lab"));
        assertThat(component.advertisements()).extracting(Advertisement::topic).containsExactly(TOPIC);
        assertThat(component.module()).isEqualTo(AdvertisementStats.MODULE);
        assertThat(component.snapshot()).containsEntry("advertisement.stores", 1L);
    }

    @Test
    void anUnboundTransportsEndpointsAreNoLongerAdvertised() {
        component = activate(Map.of());
        FakeTransport transport = new FakeTransport("mem", List.of(mem));
        component.bindTransport(transport);
        component.unbindTransport(transport);

        component.advertise(TOPIC);

        assertThat(Advertisements.decode(dht.last().value()))
                .isEqualTo(Advertisements.Value.advertisement(identity.nodeId(), List.of(), TOPIC, "default"));
    }

    @Test
    void deactivationWithdrawsEveryAdvertisementAndRefusesNewOnes() {
        component = activate(Map.of());
        component.advertise(TOPIC);

        component.deactivate();

        assertThat(Advertisements.decode(dht.last().value()))
                .isEqualTo(Advertisements.Value.withdrawal(identity.nodeId(), TOPIC, "default"));
        assertThat(component.cancel(TOPIC)).isFalse();
        assertThatThrownBy(() -> component.advertise(TOPIC)).isInstanceOf(NodeClosedException.class);
    }

    private AdvertisementComponent activate(Map<String, Object> node) {
        return new AdvertisementComponent(ComponentProperties.of(AdvertisementComponent.Config.class, Map.of()),
                ComponentProperties.of(AdvertisementComponent.NodeConfig.class, node), dht, identity);
    }
}
