package io.hyphae.transport.mem;

import static org.assertj.core.api.Assertions.assertThat;

import io.hyphae.api.NodeId;
import io.hyphae.spi.dht.Contact;
import io.hyphae.spi.pubsub.NodeIdentity;
import io.hyphae.spi.transport.Frame;
import io.hyphae.spi.transport.Transport;
import io.hyphae.testkit.RecordingHandler;
import io.hyphae.wire.Frames;
import java.lang.annotation.Annotation;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The component without a framework: constructed as SCR would, on its own scheduler thread and wall clock. */
class MemTransportComponentTest {

    @Test
    void listensAtTheConfiguredHostAndAnswersItself() throws Exception {
        MemTransportComponent component = new MemTransportComponent(config("alpha", 9, 0), null);
        try {
            assertThat(component.scheme()).isEqualTo("mem");
            assertThat(component.localEndpoints()).singleElement().satisfies(endpoint -> {
                assertThat(endpoint.host()).isEqualTo("alpha");
                assertThat(endpoint.port()).isEqualTo(9);
            });
            Contact self = new Contact(component.localEndpoints().get(0).nodeId(), component.localEndpoints());
            component.register(RecordingHandler.answering(Frames.Ping.class, frame -> new Frames.Pong(self)));

            Frame response = component.request(component.localEndpoints().get(0), new Frames.Ping(self),
                    Duration.ofSeconds(5)).toCompletableFuture().get(10, TimeUnit.SECONDS);

            assertThat(response).isEqualTo(new Frames.Pong(self));
        } finally {
            component.close();
            component.close();
        }
        assertThat(component.localEndpoints()).isEmpty();
    }

    @Test
    void takesItsNodeIdFromTheNodeIdentityWhenThereIsOne() {
        NodeId id = NodeId.ofHex("ab".repeat(32));
        MemTransportComponent component = new MemTransportComponent(config("local", 1, 0), identity(id));
        try {
            assertThat(component.localEndpoints().get(0).nodeId()).isEqualTo(id);
        } finally {
            component.close();
        }
    }

    @Test
    void withoutNodeIdentityEachActivationHasItsOwnRandomNodeId() {
        MemTransportComponent first = new MemTransportComponent(config("local", 1, 0), null);
        MemTransportComponent second = new MemTransportComponent(config("local", 1, 0), null);
        try {
            assertThat(first.localEndpoints().get(0).nodeId()).isNotEqualTo(second.localEndpoints().get(0).nodeId());
        } finally {
            first.close();
            second.close();
        }
    }

    @Test
    void configuredLatencyDelaysEveryFrame() throws Exception {
        MemTransportComponent component = new MemTransportComponent(config("alpha", 1, 100), null);
        try {
            Transport transport = component;
            Contact self = new Contact(transport.localEndpoints().get(0).nodeId(), List.of());
            transport.register(RecordingHandler.answering(Frames.Ping.class, frame -> new Frames.Pong(self)));
            long startNanos = System.nanoTime();

            transport.request(transport.localEndpoints().get(0), new Frames.Ping(self), Duration.ofSeconds(5))
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);

            assertThat(Duration.ofNanos(System.nanoTime() - startNanos)).isGreaterThanOrEqualTo(
                    Duration.ofMillis(200));
        } finally {
            component.close();
        }
    }

    @Test
    void defaultsAreWrittenOnce() {
        MemSettings defaults = MemSettings.defaults();
        assertThat(MemSettings.from(config(MemSettings.DEFAULT_HOST, MemSettings.DEFAULT_PORT,
                MemSettings.DEFAULT_LATENCY_MS))).isEqualTo(defaults);
        assertThat(defaults.host()).isEqualTo("local");
        assertThat(defaults.defaultLink()).isEqualTo(LinkConditions.PERFECT);
    }

    private static MemTransportComponent.Config config(String host, int port, long latencyMs) {
        return new MemTransportComponent.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return MemTransportComponent.Config.class;
            }

            @Override
            public String host() {
                return host;
            }

            @Override
            public int port() {
                return port;
            }

            @Override
            public long latencyMs() {
                return latencyMs;
            }

            @Override
            public long jitterMs() {
                return 0;
            }

            @Override
            public double lossRate() {
                return 0;
            }
        };
    }

    private static NodeIdentity identity(NodeId id) {
        return new NodeIdentity() {
            @Override
            public NodeId nodeId() {
                return id;
            }

            @Override
            public PublicKey publicKey() {
                throw new UnsupportedOperationException("not needed by the mem transport");
            }

            @Override
            public PrivateKey privateKey() {
                throw new UnsupportedOperationException("not needed by the mem transport");
            }

            @Override
            public byte[] sign(byte[] data) {
                throw new UnsupportedOperationException("not needed by the mem transport");
            }
        };
    }
}
