package io.hyphae.transport.quic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hyphae.testkit.ComponentProperties;
import java.time.Duration;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The DS component as a plain object: it is the transport's StatsSource. */
class QuicTransportComponentTest {
    private final QuicFixture fixture = new QuicFixture();
    private QuicTransportComponent component;

    @AfterEach
    void close() {
        if (component != null) {
            component.deactivate();
        }
        fixture.close();
    }

    @Test
    void saysWhetherItIsConnectedToAPeerAsItsTransportDoes() throws Exception {
        component = new QuicTransportComponent(ComponentProperties.of(QuicTransportComponent.Config.class,
                Map.of("port", 0)), QuicFixture.credentials());
        QuicTransport peer = fixture.start(QuicFixture.SETTINGS, QuicFixture.credentials());
        peer.register(new QuicTransportTest.Echo());
        var peerAt = peer.localEndpoints().get(0);
        assertThat(component.connectedTo(peerAt)).as("before the first frame").isFalse();

        component.request(peerAt, QuicTransportTest.ping(1), Duration.ofSeconds(20)).toCompletableFuture()
                .get(20, TimeUnit.SECONDS);
        assertThat(component.connectedTo(peerAt)).isTrue();
    }

    @Test
    void countersAreAStatsSourceOfTheTransportModule() throws Exception {
        component = new QuicTransportComponent(ComponentProperties.of(QuicTransportComponent.Config.class,
                Map.of("port", 0)), QuicFixture.credentials());
        QuicTransport peer = fixture.start(QuicFixture.SETTINGS, QuicFixture.credentials());
        peer.register(new QuicTransportTest.Echo());

        component.request(peer.localEndpoints().get(0), QuicTransportTest.ping(1), Duration.ofSeconds(20))
                .toCompletableFuture().get(20, TimeUnit.SECONDS);
        SortedMap<String, Long> snapshot = component.snapshot();

        assertThat(component.module()).isEqualTo("transport-quic");
        assertThat(snapshot.keySet()).allMatch(name -> name.startsWith("transport-quic."));
        assertThat(snapshot).containsEntry("transport-quic.connections.dialled", 1L)
                .containsEntry("transport-quic.requests.pending", 0L);
        assertThat(snapshot.get("transport-quic.frames.sent")).isGreaterThanOrEqualTo(1L);
    }

    @Test
    void gsoSegmentsBeyondWhatNettyTakesIsRefusedNamingTheRule() {
        assertThatThrownBy(() -> new QuicTransportComponent(ComponentProperties.of(QuicTransportComponent.Config.class,
                Map.of("port", 0, "gsoSegments", 65)), QuicFixture.credentials()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("io.hyphae.transport.quic: gsoSegments must be 0..64: 65");
    }
}
