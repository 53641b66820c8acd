package io.hyphae.transport.tcp;

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
import io.netty.channel.Channel;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the contract does not cover: restarts, hostile and slow peers, load, a peer with the wrong key. */
class TcpTransportTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private final TcpFixture fixture = new TcpFixture();
    private final List<RawTcpPeer> raws = new ArrayList<>();

    @AfterEach
    void closeEverything() throws Exception {
        try {
            for (RawTcpPeer raw : raws) {
                raw.close();
            }
        } finally {
            fixture.close();
        }
    }

    @Test
    void peerThatRestartsOnTheSamePortIsReachedAgain() throws Exception {
        TcpTransport a = start();
        TlsCredentials bKeys = TcpFixture.credentials();
        TcpTransport b = fixture.start(TcpFixture.SETTINGS, bKeys);
        b.register(new Echo());
        Endpoint bAt = b.localEndpoints().get(0);
        assertThat(a.connectedTo(bAt)).as("before the first frame").isFalse();
        assertThat(a.request(bAt, ping(1), DEADLINE).toCompletableFuture().get(10, TimeUnit.SECONDS)).isNotNull();
        assertThat(a.connectedTo(bAt)).isTrue();

        TcpFixture.close(b);
        awaitTrue(() -> !a.connectedTo(bAt));
        TcpTransport restarted = fixture.start(TcpFixture.SETTINGS.withPort(bAt.port()), bKeys);
        restarted.register(new Echo());

        Frame answer = a.request(bAt, ping(2), DEADLINE).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(answer).isEqualTo(new Frames.Pong(ping(2).sender()));
        assertThat(a.stats().snapshot().get("transport-tcp.connections.dialled")).isEqualTo(2);
    }

    @Test
    void garbageFromAPeerClosesItsConnectionAndOtherPeersAreUnaffected() throws Exception {
        TcpTransport b = start();
        b.register(new Echo());
        RawTcpPeer raw = raw();
        Channel connection = raw.dial(address(b), b.nodeId());

        connection.writeAndFlush(RawTcpPeer.frame(5, new byte[] {1, 2, 3, 4, 5}));

        awaitTrue(() -> !connection.isActive());
        assertThat(b.stats().badFrames()).isEqualTo(1);
        TcpTransport a = start();
        assertThat(a.request(b.localEndpoints().get(0), ping(3), DEADLINE).toCompletableFuture()
                .get(10, TimeUnit.SECONDS)).isEqualTo(new Frames.Pong(ping(3).sender()));
    }

    @Test
    void routesByAliasAreTakenOnTheConnectionThatDefinedThemAndAnUndefinedAliasClosesIt() throws Exception {
        TcpTransport b = start();
        List<Frame> routes = new java.util.concurrent.CopyOnWriteArrayList<>();
        b.register(new Echo() {
            @Override
            public boolean accepts(Frame frame) {
                return frame instanceof Frames.Route || frame instanceof Frames.Ping;
            }

            @Override
            public void onMessage(Peer from, Frame message) {
                routes.add(message);
            }
        });
        RawTcpPeer raw = raw();
        List<byte[]> stream = StreamedRoutes.onOneStream(route(16, raw.nodeId()), route(17, raw.nodeId()));
        byte[] defining = stream.get(0);
        byte[] byAlias = stream.get(1);

        Channel first = raw.dial(address(b), b.nodeId());
        first.writeAndFlush(RawTcpPeer.frame(defining.length, defining)
                .writeBytes(RawTcpPeer.frame(byAlias.length, byAlias)));
        awaitTrue(() -> routes.size() == 2);
        assertThat(routes).containsExactly(route(16, raw.nodeId()), route(17, raw.nodeId()));
        assertThat(b.stats().badFrames()).isZero();

        Channel second = raw.dial(address(b), b.nodeId()); // a connection of its own: nothing defined on it
        second.writeAndFlush(RawTcpPeer.frame(byAlias.length, byAlias));
        awaitTrue(() -> !second.isActive());
        assertThat(b.stats().badFrames()).isEqualTo(1);
        assertThat(routes).hasSize(2);
    }

    @Test
    void frameAnnouncedLargerThanTheLimitIsRefusedWithoutBufferingIt() throws Exception {
        TcpTransport b = start();
        RawTcpPeer raw = raw();
        Channel connection = raw.dial(address(b), b.nodeId());

        connection.writeAndFlush(RawTcpPeer.frame(WireLimits.MAX_FRAME_BYTES + 1, new byte[1024]));

        awaitTrue(() -> b.stats().badFrames() == 1);
        awaitTrue(() -> !connection.isActive());
    }

    @Test
    void slowReaderMakesSendsFailInsteadOfQueueingWithoutBound() throws Exception {
        int maxQueued = 256 * 1024;
        TcpTransport a = fixture.start(TcpFixture.SETTINGS.withMaxQueuedBytes(maxQueued),
                TcpFixture.credentials());
        RawTcpPeer slow = raw();
        InetSocketAddress address = slow.listenWithoutReading();
        Endpoint to = new Endpoint("tcp", "127.0.0.1", address.getPort(), slow.nodeId());
        assertThat(a.send(to, route(16, a.nodeId())).toCompletableFuture().get(10, TimeUnit.SECONDS)).isNull();
        List<CompletableFuture<Void>> sends = new ArrayList<>();

        for (int i = 0; i < 1024; i++) { // 1024 x 16 KiB = 16 MiB: more than loopback socket buffers hold
            sends.add(a.send(to, route(16 * 1024, a.nodeId())).toCompletableFuture());
        }
        awaitTrue(() -> sends.stream().filter(CompletableFuture::isDone).count() >= 900);

        long refused = sends.stream().filter(CompletableFuture::isCompletedExceptionally).count();
        assertThat(refused).isGreaterThan(0);
        assertThat(a.stats().sendsRefusedQueueFull()).isEqualTo(refused);
        CompletableFuture<Void> failed = sends.stream().filter(CompletableFuture::isCompletedExceptionally)
                .findFirst().orElseThrow();
        assertThat(failed).failsWithin(Duration.ZERO).withThrowableThat().havingRootCause()
                .isInstanceOf(TransportException.class).withMessageContaining("full");
        assertThat(sends.stream().filter(f -> !f.isDone()).count() * (16 * 1024 + 200))
                .as("bytes still queued").isLessThanOrEqualTo(maxQueued);
    }

    @Test
    void peerPresentingAnotherKeyThanTheEndpointNamesIsRefused() throws Exception {
        TcpTransport a = start();
        TcpTransport b = start();
        b.register(new Echo());
        NodeId named = TcpFixture.credentials().nodeId(); // a real key, not the one b holds
        Endpoint lie = b.localEndpoints().get(0).withNodeId(named);

        Throwable failure = a.request(lie, ping(1), DEADLINE).toCompletableFuture()
                .handle((ok, e) -> e).get(10, TimeUnit.SECONDS);

        assertThat(failure).isInstanceOf(UnreachablePeerException.class);
        assertThat(b.stats().snapshot().get("transport-tcp.frames.received")).isZero();
    }

    @Test
    void serverRefusesAClientWithAnExpiredCertificate() throws Exception {
        TcpTransport b = start();
        b.register(new Echo());
        TlsCredentials expired = new SelfSignedCredentials(Ed25519Identity.generate(),
                Clock.fixed(Instant.now().minus(Duration.ofDays(10)), ZoneOffset.UTC), Duration.ofDays(1));
        TcpTransport a = fixture.start(TcpFixture.SETTINGS, expired);

        Throwable failure = a.request(b.localEndpoints().get(0), ping(1), Duration.ofSeconds(5))
                .toCompletableFuture().handle((ok, e) -> e).get(10, TimeUnit.SECONDS);

        assertThat(failure).isInstanceOf(UnreachablePeerException.class);
        awaitTrue(() -> b.stats().snapshot().get("transport-tcp.connections.refused") >= 1);
        assertThat(b.stats().snapshot().get("transport-tcp.frames.received")).isZero();
    }

    private TcpTransport start() {
        return fixture.start(TcpFixture.SETTINGS, TcpFixture.credentials());
    }

    private RawTcpPeer raw() {
        RawTcpPeer raw = new RawTcpPeer();
        raws.add(raw);
        return raw;
    }

    private static InetSocketAddress address(TcpTransport t) {
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
