package io.hyphae.transport.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.hyphae.testkit.ComponentProperties;
import java.time.Duration;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The DS component as a plain object: it is the transport's StatsSource. */
class TcpTransportComponentTest {
    private final TcpFixture fixture = new TcpFixture();
    private TcpTransportComponent component;

    @AfterEach
    void close() {
        if (component != null) {
            component.deactivate();
        }
        fixture.close();
    }

    @Test
    void saysWhetherItIsConnectedToAPeerAsItsTransportDoes() throws Exception {
        component = new TcpTransportComponent(ComponentProperties.of(TcpTransportComponent.Config.class,
                Map.of("port", 0)), TcpFixture.credentials());
        TcpTransport peer = fixture.start(TcpFixture.SETTINGS, TcpFixture.credentials());
        peer.register(new TcpTransportTest.Echo());
        var peerAt = peer.localEndpoints().get(0);
        assertThat(component.connectedTo(peerAt)).as("before the first frame").isFalse();

        component.request(peerAt, TcpTransportTest.ping(1), Duration.ofSeconds(20)).toCompletableFuture()
                .get(20, TimeUnit.SECONDS);
        assertThat(component.connectedTo(peerAt)).isTrue();
    }

    @Test
    void countersAreAStatsSourceOfTheTransportModule() throws Exception {
        component = new TcpTransportComponent(ComponentProperties.of(TcpTransportComponent.Config.class,
                Map.of("port", 0)), TcpFixture.credentials());
        TcpTransport peer = fixture.start(TcpFixture.SETTINGS, TcpFixture.credentials());
        peer.register(new TcpTransportTest.Echo());

        component.request(peer.localEndpoints().get(0), TcpTransportTest.ping(1), Duration.ofSeconds(20))
                .toCompletableFuture().get(20, TimeUnit.SECONDS);
        SortedMap<String, Long> snapshot = component.snapshot();

        assertThat(component.module()).isEqualTo("transport-tcp");
        assertThat(snapshot.keySet()).allMatch(name -> name.startsWith("transport-tcp."));
        assertThat(snapshot).containsEntry("transport-tcp.connections.dialled", 1L)
                .containsEntry("transport-tcp.requests.pending", 0L);
        assertThat(snapshot.get("transport-tcp.frames.sent")).isGreaterThanOrEqualTo(1L);
    }
}
