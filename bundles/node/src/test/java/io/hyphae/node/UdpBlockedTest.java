package io.hyphae.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hyphae.api.PublishReceipt;
import io.hyphae.api.Qos;
import io.hyphae.api.Topic;
import io.hyphae.spi.concurrent.Scheduler;
import io.hyphae.spi.pubsub.NodeIdentity;
import io.hyphae.spi.transport.Endpoint;
import io.hyphae.spi.transport.Transport;
import io.hyphae.tls.SelfSignedCredentials;
import io.hyphae.transport.quic.QuicSettings;
import io.hyphae.transport.quic.QuicTransport;
import io.hyphae.transport.tcp.TcpSettings;
import io.hyphae.transport.tcp.TcpTransport;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes with the real QUIC and TCP transports on loopback, where UDP is "blocked": each QUIC endpoint is
 * advertised at 127.0.0.2, where nothing answers (the sockets are bound to 127.0.0.1), and QUIC's connect timeout is
 * a minute. The join, the lookups and QoS 0 messages must not wait for it: they race the TCP endpoint after 250 ms.
 */
class UdpBlockedTest {
    private static final Topic TOPIC = Topic.of("udp.blocked");
    /** Far longer than the test may take: nothing may wait for a QUIC dial to give up. */
    private static final long QUIC_CONNECT_TIMEOUT_MS = 60_000;
    private static final Duration WELL_BEFORE_THE_QUIC_TIMEOUT = Duration.ofSeconds(20);

    private final Closer toClose = new Closer();

    @AfterEach
    void closeNodesThenTransports() throws Exception {
        toClose.close();
    }

    @Test
    void qos0MessagesAndDhtRequestsGoOverTcpWithoutWaitingForTheQuicDial() throws Exception {
        List<Transport> aTransports = new ArrayList<>();
        EmbeddedNode a = node(aTransports, new String[0]);
        String[] aEndpoints = aTransports.stream().flatMap(t -> t.localEndpoints().stream())
                .map(Endpoint::toString).sorted().toArray(String[]::new); // quic:// first, as a node lists them
        assertThat(aEndpoints[0]).startsWith("quic://127.0.0.2:");
        EmbeddedNode b = node(new ArrayList<>(), aEndpoints);

        Set<Integer> arrived = ConcurrentHashMap.newKeySet();
        b.subscribe(TOPIC, m -> arrived.add(ByteBuffer.wrap(m.payload()).getInt()));
        List<CompletableFuture<PublishReceipt>> receipts = new ArrayList<>();
        await("A to find B's subscription").atMost(WELL_BEFORE_THE_QUIC_TIMEOUT).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    receipts.add(publish(a, receipts.size()));
                    return !arrived.isEmpty();
                });
        for (int i = 0; i < 20; i++) {
            receipts.add(publish(a, receipts.size()));
        }

        CompletableFuture.allOf(receipts.toArray(CompletableFuture[]::new))
                .get(WELL_BEFORE_THE_QUIC_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        int from = receipts.size() - 20;
        await("the last 20 messages at B").atMost(Duration.ofSeconds(5))
                .until(() -> arrived.containsAll(IntStream.range(from, from + 20).boxed().toList()));
        assertThat(receipts.subList(from, receipts.size())).allSatisfy(r -> assertThat(r.join().delivered())
                .as("delivered to B").isOne());
        assertThat(a.router().stats().get("router.raced")).as("QoS 0 sends raced over TCP").isPositive();
        assertThat(a.dht().stats().snapshot().get("dht.rpc.raced") + b.dht().stats().snapshot().get("dht.rpc.raced"))
                .as("DHT requests raced over TCP").isPositive();
    }

    private static CompletableFuture<PublishReceipt> publish(EmbeddedNode from, int n) {
        return from.publish(TOPIC, ByteBuffer.allocate(4).putInt(n).array(), Qos.AT_MOST_ONCE).toCompletableFuture();
    }

    private EmbeddedNode node(List<Transport> made, String[] bootstrap) {
        EmbeddedNode node = Hyphae.node()
                .transport(id -> own(made, quic(id)))
                .transport(id -> own(made, tcp(id)))
                .bootstrap(bootstrap).start();
        toClose.add(node);
        return node;
    }

    private Transport quic(NodeIdentity id) {
        Scheduler timers = timers("quic");
        QuicTransport quic = new QuicTransport(QuicSettings.defaults(0).withAdvertisedHost("127.0.0.2")
                .withConnectTimeoutMs(QUIC_CONNECT_TIMEOUT_MS), credentials(id), Clock.systemUTC(), timers);
        toClose.add(() -> quic.close().toCompletableFuture().get(5, TimeUnit.SECONDS));
        quic.start();
        return quic;
    }

    private Transport tcp(NodeIdentity id) {
        Scheduler timers = timers("tcp");
        TcpTransport tcp = new TcpTransport(TcpSettings.defaults(0), credentials(id), Clock.systemUTC(), timers);
        toClose.add(() -> tcp.close().toCompletableFuture().get(5, TimeUnit.SECONDS));
        tcp.start();
        return tcp;
    }

    private Scheduler timers(String scheme) {
        Scheduler timers = Scheduler.single("udp-blocked-" + scheme + "-timers");
        toClose.add(timers::close);
        return timers;
    }

    private static SelfSignedCredentials credentials(NodeIdentity id) {
        return new SelfSignedCredentials(id, Clock.systemUTC(), SelfSignedCredentials.DEFAULT_VALIDITY);
    }

    private static Transport own(List<Transport> made, Transport transport) {
        made.add(transport);
        return transport;
    }
}
