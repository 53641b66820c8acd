package io.hyphae.transport.quic;

import io.hyphae.identity.Ed25519Identity;
import static org.assertj.core.api.Assertions.assertThat;

import io.hyphae.api.MessageId;
import io.hyphae.api.NodeId;
import io.hyphae.api.Qos;
import io.hyphae.api.Topic;
import io.hyphae.spi.dht.Contact;
import io.hyphae.spi.transport.Endpoint;
import io.hyphae.spi.transport.Frame;
import io.hyphae.spi.transport.InboundHandler;
import io.hyphae.spi.transport.Peer;
import io.hyphae.spi.transport.TlsCredentials;
import io.hyphae.spi.transport.TransportException;
import io.hyphae.spi.transport.UnreachablePeerException;
import io.hyphae.testkit.StreamedRoutes;
import io.hyphae.tls.SelfSignedCredentials;
import io.hyphae.wire.Frames;
import io.hyphae.wire.WireLimits;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.SegmentedDatagramPacket;
import io.netty.handler.codec.quic.QuicChannel;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the contract does not cover: restarts, hostile and slow peers, load, a peer with the wrong key. */
class QuicTransportTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private final QuicFixture fixture = new QuicFixture();
    private final List<RawQuicPeer> raws = new ArrayList<>();

    @AfterEach
    void closeEverything() throws Exception {
        try {
            for (RawQuicPeer raw : raws) {
                raw.close();
            }
        } finally {
            fixture.close();
        }
    }

    @Test
    void peerThatRestartsOnTheSamePortIsReachedAgain() throws Exception {
        QuicTransport a = start();
        TlsCredentials bKeys = QuicFixture.credentials();
        QuicTransport b = fixture.start(QuicFixture.SETTINGS, bKeys);
        b.register(new Echo());
        Endpoint bAt = b.localEndpoints().get(0);
        assertThat(a.request(bAt, ping(1), DEADLINE).toCompletableFuture().get(10, TimeUnit.SECONDS)).isNotNull();

        QuicFixture.close(b);
        QuicTransport restarted = fixture.start(QuicFixture.SETTINGS.withPort(bAt.port()), bKeys);
        restarted.register(new Echo());

        Frame answer = a.request(bAt, ping(2), DEADLINE).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(answer).isEqualTo(new Frames.Pong(ping(2).sender()));
        assertThat(a.stats().snapshot().get("transport-quic.connections.dialled")).isEqualTo(2);
    }

    @Test
    void anEndpointThatNeverAnsweredIsNotDialledAgainForEveryFrame() throws Exception {
        QuicTransport a = start();
        // Bound and never read: datagrams vanish as where UDP is blocked, and no port-unreachable comes back.
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            Endpoint blocked = new Endpoint(QuicTransport.SCHEME, "127.0.0.1", silent.getLocalPort(),
                    QuicFixture.credentials().nodeId());
            assertThat(a.connectedTo(blocked)).as("never used").isFalse();
            CompletableFuture<Frame> first = a.request(blocked, ping(1), DEADLINE).toCompletableFuture();
            assertThat(a.connectedTo(blocked)).as("dialling, so a caller may race another endpoint").isFalse();
            assertThat(first).failsWithin(Duration.ofSeconds(10)).withThrowableThat()
                    .havingCause().isInstanceOf(UnreachablePeerException.class).withMessageContaining("within 1000 ms");

            List<CompletableFuture<Void>> sends = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                sends.add(a.send(blocked, route(256, a.nodeId())).toCompletableFuture());
            }
            for (CompletableFuture<Void> send : sends) {
                assertThat(send).as("failed at once, as held down").isCompletedExceptionally();
                assertThat(send).failsWithin(Duration.ZERO).withThrowableThat().havingCause()
                        .isInstanceOf(UnreachablePeerException.class).withMessageContaining("not dialled again");
            }
            assertThat(a.stats().snapshot().get("transport-quic.connections.dialled")).isEqualTo(1);
        }
    }

    @Test
    void garbageFromAPeerClosesItsStreamAndRepeatedGarbageItsConnection() throws Exception {
        QuicTransport b = start();
        b.register(new Echo());
        RawQuicPeer raw = raw();
        QuicChannel connection = raw.dial(address(b), b.nodeId());

        RawQuicPeer.writeRaw(connection, RawQuicPeer.frame(5, new byte[] {1, 2, 3, 4, 5}));
        awaitTrue(() -> b.stats().badFrames() == 1);
        assertThat(connection.isActive()).as("one bad frame closes a stream, not the connection").isTrue();
        RawQuicPeer.writeRaw(connection, RawQuicPeer.frame(3, new byte[] {(byte) 0xff, 0, 0}));
        RawQuicPeer.writeRaw(connection, RawQuicPeer.frame(1, new byte[] {0x7f}));

        awaitTrue(() -> !connection.isActive());
        assertThat(b.stats().badFrames()).isEqualTo(QuicSettings.DEFAULT_MAX_BAD_FRAMES);
        QuicTransport a = start(); // other peers are unaffected
        assertThat(a.request(b.localEndpoints().get(0), ping(3), DEADLINE).toCompletableFuture()
                .get(10, TimeUnit.SECONDS)).isEqualTo(new Frames.Pong(ping(3).sender()));
    }

    @Test
    void routesTravelByAliasAndAnAliasIsKnownOnlyOnTheStreamThatDefinedIt() throws Exception {
        QuicTransport a = start();
        QuicTransport b = start();
        List<Frame> received = new java.util.concurrent.CopyOnWriteArrayList<>();
        b.register(new Counting() {
            @Override
            public void onMessage(Peer from, Frame message) {
                received.add(message);
            }
        });
        List<Frames.Route> sent = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(13);
        for (int i = 0; i < 100; i++) { // three topics: three definitions, then aliases
            Frames.Route route = new Frames.Route(MessageId.random(random), "default", Topic.of("alias.t" + i % 3),
                    new byte[] {(byte) i}, Qos.AT_MOST_ONCE, a.nodeId(), Instant.ofEpochMilli(1_000 + i), 0);
            sent.add(route);
            a.send(b.localEndpoints().get(0), route);
        }
        awaitTrue(() -> received.size() == 100);
        assertThat(received).as("the very routes (sends that waited for the dial may come in any order)")
                .containsExactlyInAnyOrderElementsOf(sent);

        RawQuicPeer raw = raw();
        QuicChannel connection = raw.dial(address(b), b.nodeId());
        List<byte[]> stream = StreamedRoutes.onOneStream(route(16, raw.nodeId()), route(16, raw.nodeId()));
        byte[] defining = stream.get(0);
        byte[] byAlias = stream.get(1);
        RawQuicPeer.writeRaw(connection, RawQuicPeer.frame(defining.length, defining)
                .writeBytes(RawQuicPeer.frame(byAlias.length, byAlias)));
        awaitTrue(() -> received.size() == 102);
        assertThat(b.stats().badFrames()).isZero();

        RawQuicPeer.writeRaw(connection, RawQuicPeer.frame(byAlias.length, byAlias)); // a new stream
        awaitTrue(() -> b.stats().badFrames() == 1);
        assertThat(received).hasSize(102);
        assertThat(connection.isActive()).as("a bad frame closes its stream only").isTrue();
    }

    @Test
    void frameAnnouncedLargerThanTheLimitIsRefusedWithoutBufferingIt() throws Exception {
        QuicTransport b = start();
        RawQuicPeer raw = raw();
        QuicChannel connection = raw.dial(address(b), b.nodeId());

        RawQuicPeer.writeRaw(connection, RawQuicPeer.frame(WireLimits.MAX_FRAME_BYTES + 1, new byte[1024]));

        awaitTrue(() -> b.stats().badFrames() == 1);
        assertThat(connection.isActive()).isTrue();
    }

    @Test
    void slowReaderMakesSendsFailInsteadOfQueueingWithoutBound() throws Exception {
        int maxQueued = 256 * 1024;
        QuicTransport a = fixture.start(QuicFixture.SETTINGS.withMaxQueuedBytes(maxQueued),
                QuicFixture.credentials());
        RawQuicPeer slow = raw();
        InetSocketAddress address = slow.listenWithoutReading(64 * 1024);
        Endpoint to = new Endpoint("quic", "127.0.0.1", address.getPort(), slow.nodeId());
        List<CompletableFuture<Void>> sends = new ArrayList<>();

        for (int i = 0; i < 64; i++) { // 64 x 16 KiB = 1 MiB, four times the bound
            sends.add(a.send(to, route(16 * 1024, a.nodeId())).toCompletableFuture());
        }
        // The event loop takes the sends in turn and counts a refusal just before failing its send: read the
        // futures and the counter together until they agree, rather than at one moment while it is still at it.
        awaitTrue(() -> {
            long refused = sends.stream().filter(CompletableFuture::isCompletedExceptionally).count();
            long stillQueuedBytes = sends.stream().filter(f -> !f.isDone()).count() * (16 * 1024 + 200);
            return refused > 0 && a.stats().sendsRefusedQueueFull() == refused && stillQueuedBytes <= maxQueued;
        });

        CompletableFuture<Void> failed = sends.stream().filter(CompletableFuture::isCompletedExceptionally)
                .findFirst().orElseThrow();
        assertThat(failed).failsWithin(Duration.ZERO).withThrowableThat().havingRootCause()
                .isInstanceOf(TransportException.class).withMessageContaining("full");
    }

    /** Flushes of many packets, handed to the kernel with UDP GSO (the default, where the kernel has it) or not. */
    @Test
    void burstsArriveWholeWithUdpGsoAndWithout() throws Exception {
        boolean kernelHasGso = Epoll.isAvailable() && SegmentedDatagramPacket.isSupported();
        for (int segments : new int[] {QuicSettings.DEFAULT_GSO_SEGMENTS, 0}) {
            QuicSettings settings = QuicFixture.SETTINGS.withGsoSegments(segments);
            QuicTransport a = fixture.start(settings, QuicFixture.credentials());
            QuicTransport b = fixture.start(settings, QuicFixture.credentials());
            Counting routes = new Counting();
            b.register(routes);
            assertThat(a.sockets().segmented()).as("gsoSegments %d", segments).isEqualTo(segments > 0 && kernelHasGso);

            List<CompletableFuture<Void>> sends = new ArrayList<>();
            for (int i = 0; i < 300; i++) { // 300 x 8 KiB: each flush is many packets
                sends.add(a.send(b.localEndpoints().get(0), route(8 * 1024, a.nodeId())).toCompletableFuture());
            }
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
            awaitTrue(() -> routes.count.get() == 300);
            assertThat(b.stats().badFrames()).isZero();
        }
    }

    @Test
    void peerPresentingAnotherKeyThanTheEndpointNamesIsRefused() throws Exception {
        QuicTransport a = start();
        QuicTransport b = start();
        b.register(new Echo());
        NodeId named = QuicFixture.credentials().nodeId(); // a real key, not the one b holds
        Endpoint lie = b.localEndpoints().get(0).withNodeId(named);

        Throwable failure = a.request(lie, ping(1), DEADLINE).toCompletableFuture()
                .handle((ok, e) -> e).get(10, TimeUnit.SECONDS);

        assertThat(failure).isInstanceOf(UnreachablePeerException.class);
        assertThat(b.stats().snapshot().get("transport-quic.frames.received")).isZero();
    }

    @Test
    void serverRefusesAClientWithAnExpiredCertificate() throws Exception {
        QuicTransport b = start();
        b.register(new Echo());
        TlsCredentials expired = new SelfSignedCredentials(Ed25519Identity.generate(),
                Clock.fixed(Instant.now().minus(Duration.ofDays(10)), ZoneOffset.UTC), Duration.ofDays(1));
        QuicTransport a = fixture.start(QuicFixture.SETTINGS, expired);

        Throwable failure = a.request(b.localEndpoints().get(0), ping(1), Duration.ofSeconds(5))
                .toCompletableFuture().handle((ok, e) -> e).get(10, TimeUnit.SECONDS);

        assertThat(failure).isInstanceOf(UnreachablePeerException.class);
        awaitTrue(() -> b.stats().snapshot().get("transport-quic.connections.refused") >= 1);
        assertThat(b.stats().snapshot().get("transport-quic.frames.received")).isZero();
    }

    private QuicTransport start() {
        return fixture.start(QuicFixture.SETTINGS, QuicFixture.credentials());
    }

    private RawQuicPeer raw() {
        RawQuicPeer raw = new RawQuicPeer();
        raws.add(raw);
        return raw;
    }

    private static InetSocketAddress address(QuicTransport t) {
        Endpoint e = t.localEndpoints().get(0);
        return new InetSocketAddress(e.host(), e.port());
    }

    private void awaitTrue(java.util.function.BooleanSupplier condition) {
        assertThat(fixture.runUntil(condition, Duration.ofSeconds(10))).as("condition within 10 s").isTrue();
    }

    static Frames.Ping ping(int tag) {
        byte[] id = new byte[NodeId.BYTES];
        id[0] = (byte) (tag >>> 24);
        id[1] = (byte) (tag >>> 16);
        id[2] = (byte) (tag >>> 8);
        id[3] = (byte) tag;
        return new Frames.Ping(new Contact(NodeId.of(id), List.of()));
    }

    static Frames.Route route(int bytes, NodeId publisher) {
        return new Frames.Route(MessageId.random(new SplittableRandom(bytes)), "default", Topic.of("slow.reader"),
                new byte[bytes], Qos.AT_MOST_ONCE, publisher, Instant.parse("2026-01-01T00:00:00Z"), 0);
    }

    /** Counts the routes it is sent. */
    static class Counting implements InboundHandler {
        final AtomicInteger count = new AtomicInteger();

        @Override
        public boolean accepts(Frame frame) {
            return frame instanceof Frames.Route;
        }

        @Override
        public CompletionStage<? extends Frame> onRequest(Peer from, Frame request) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException("routes only"));
        }

        @Override
        public void onMessage(Peer from, Frame message) {
            count.incrementAndGet();
        }
    }

    /** Answers every ping with a pong naming the ping's contact. */
    static class Echo implements InboundHandler {
        @Override
        public boolean accepts(Frame frame) {
            return frame instanceof Frames.Ping;
        }

        @Override
        public CompletionStage<? extends Frame> onRequest(Peer from, Frame request) {
            return CompletableFuture.completedFuture(new Frames.Pong(((Frames.Ping) request).sender()));
        }

        @Override
        public void onMessage(Peer from, Frame message) {
        }
    }
}
