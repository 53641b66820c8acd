package io.hyphae.transport.quic;

import static io.hyphae.transport.quic.QuicTransportTest.ping;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hyphae.spi.transport.Endpoint;
import io.hyphae.spi.transport.Frame;
import io.hyphae.spi.transport.Peer;
import io.hyphae.wire.Frames;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Both QUIC roles of a transport on its one UDP socket: real quiche and TLS 1.3 on loopback. */
class QuicOneSocketTest {
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
    void aPeerSeesDialsComeFromTheAdvertisedPort() throws Exception {
        QuicTransport a = start();
        QuicTransport b = start();
        Queue<Peer> senders = new ConcurrentLinkedQueue<>();
        a.register(new QuicTransportTest.Echo());
        b.register(new Recording(senders));

        assertThat(request(a, b, 1)).isEqualTo(pong(1));

        assertThat(port(senders.peek())).isEqualTo(at(a).port());
        assertThat(request(b, a, 2)).as("b answers on the connection a dialled").isEqualTo(pong(2));
        assertThat(dialled(b)).isZero();
    }

    @Test
    void twoTransportsDialEachOtherAtTheSameTime() throws Exception {
        QuicTransport a = start();
        QuicTransport b = start();
        a.register(new QuicTransportTest.Echo());
        b.register(new QuicTransportTest.Echo());

        CompletableFuture<Frame> aToB = a.request(at(b), ping(1), DEADLINE).toCompletableFuture();
        CompletableFuture<Frame> bToA = b.request(at(a), ping(2), DEADLINE).toCompletableFuture();

        assertThat(aToB.get(20, TimeUnit.SECONDS)).isEqualTo(pong(1));
        assertThat(bToA.get(20, TimeUnit.SECONDS)).isEqualTo(pong(2));
        for (QuicTransport t : List.of(a, b)) {
            assertThat(dialled(t)).isEqualTo(1);
            await().atMost(DEADLINE).until(() -> t.stats().snapshot().get("transport-quic.connections.accepted") == 1);
        }
        for (int i = 0; i < 100; i++) {
            assertThat(request(a, b, i)).isEqualTo(pong(i));
            assertThat(request(b, a, i)).isEqualTo(pong(i));
        }
    }

    @Test
    void threeTransportsMakeAThousandRoundTripsEachWay() throws Exception {
        List<QuicTransport> three = List.of(start(), start(), start());
        for (QuicTransport t : three) {
            t.register(new QuicTransportTest.Echo());
        }
        List<CompletableFuture<Integer>> runs = new ArrayList<>();
        for (QuicTransport from : three) {
            for (QuicTransport to : three) {
                if (from != to) {
                    runs.add(roundTrips(from, to, 1000));
                }
            }
        }
        CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

        for (CompletableFuture<Integer> run : runs) {
            assertThat(run.join()).isEqualTo(1000);
        }
        for (QuicTransport t : three) {
            assertThat(t.stats().snapshot().get("transport-quic.connections.refused")).isZero();
        }
    }

    @Test
    void aDialSurvivesAPeerThatDemandsARetry() throws Exception {
        QuicTransport a = start();
        RawQuicPeer peer = raw();
        InetSocketAddress address = peer.listenWithRetry();
        Endpoint to = new Endpoint(QuicTransport.SCHEME, "127.0.0.1", address.getPort(), peer.nodeId());

        a.send(to, QuicTransportTest.route(256, a.nodeId())).toCompletableFuture().get(20, TimeUnit.SECONDS);

        assertThat(dialled(a)).isEqualTo(1);
        assertThat(a.connections().live()).hasSize(1);
    }

    @Test
    void garbageDatagramsNeitherCrashNorStallTheSocket() throws Exception {
        QuicTransport a = start();
        QuicTransport b = start();
        b.register(new QuicTransportTest.Echo());
        assertThat(request(a, b, 1)).isEqualTo(pong(1));

        Random random = new Random(6);
        byte[] noise = new byte[1200];
        random.nextBytes(noise);
        byte[] longNoise = noise.clone();
        longNoise[0] = (byte) 0xc3; // an Initial of a random version: b's server may answer Version Negotiation
        byte[] clientId = b.sockets().ids().newClientId(); // the form of b's dials, for a dial b never made
        List<byte[]> unknown = List.of(noise, longNoise, shortHeader(clientId, random), longHeaderOnly(clientId));
        List<byte[]> cutShort = List.of(
                new byte[0],
                new byte[] {(byte) 0xc0}, // a long header flag byte alone
                new byte[] {(byte) 0xc0, 0, 0, 0, 1, 20, 1, 2, 3, 4, 5}, // id cut short
                new byte[] {(byte) 0xc0, 0, 0, 0, 1, (byte) 0xff, 1, 2, 3}, // id length 255
                new byte[] {0x40, 1, 2}); // short header cut short
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            for (byte[] datagram : unknown) {
                send(udp, datagram, b);
            }
            for (byte[] datagram : cutShort) {
                send(udp, datagram, b);
            }
            // loopback keeps one sender's order: when the last is counted, all were read
            await().atMost(DEADLINE).until(() -> malformed(b) == cutShort.size());
            // then a blast, which the kernel may partly drop when the receive buffer is full
            for (int round = 0; round < 50; round++) {
                for (byte[] datagram : unknown) {
                    send(udp, datagram, a);
                    send(udp, datagram, b);
                }
                for (byte[] datagram : cutShort) {
                    send(udp, datagram, a);
                    send(udp, datagram, b);
                }
            }
        }
        assertThat(malformed(a)).isBetween(0L, 50L * cutShort.size());

        assertThat(request(a, b, 2)).as("the connection from before").isEqualTo(pong(2));
        QuicTransport c = start();
        c.register(new QuicTransportTest.Echo());
        assertThat(request(c, b, 3)).as("b accepts").isEqualTo(pong(3));
        assertThat(request(b, fresh(), 4)).as("b dials").isEqualTo(pong(4));
        assertThat(a.stats().snapshot().get("transport-quic.connections.refused")).isZero();
        assertThat(b.stats().snapshot().get("transport-quic.connections.refused")).isZero();
    }

    @Test
    void eachTransportHoldsOneUdpSocket() throws Exception {
        Map<Long, Integer> before = UdpSockets.ofThisProcess();
        List<QuicTransport> three = List.of(start(), start(), start());
        List<CompletableFuture<Integer>> runs = new ArrayList<>();
        for (QuicTransport t : three) {
            t.register(new QuicTransportTest.Echo());
        }
        for (QuicTransport from : three) { // at the same time, so that every transport dials and accepts
            for (QuicTransport to : three) {
                if (from != to) {
                    runs.add(roundTrips(from, to, 10));
                }
            }
        }
        CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);

        Map<Long, Integer> ours = new HashMap<>(UdpSockets.ofThisProcess());
        ours.keySet().removeAll(before.keySet());
        assertThat(ours.values()).containsExactlyInAnyOrderElementsOf(
                three.stream().map(t -> at(t).port()).toList());
        assertThat(three.stream().mapToLong(QuicOneSocketTest::dialled).sum()).isPositive();
    }

    private QuicTransport start() {
        return fixture.start(QuicFixture.SETTINGS, QuicFixture.credentials());
    }

    private QuicTransport fresh() {
        QuicTransport t = start();
        t.register(new QuicTransportTest.Echo());
        return t;
    }

    private RawQuicPeer raw() {
        RawQuicPeer raw = new RawQuicPeer();
        raws.add(raw);
        return raw;
    }

    private static Endpoint at(QuicTransport t) {
        return t.localEndpoints().get(0);
    }

    private static Frame request(QuicTransport from, QuicTransport to, int tag) throws Exception {
        return from.request(at(to), ping(tag), DEADLINE).toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private static Frames.Pong pong(int tag) {
        return new Frames.Pong(ping(tag).sender());
    }

    /** {@code count} requests one after the other; completes with how many were answered right. */
    private static CompletableFuture<Integer> roundTrips(QuicTransport from, QuicTransport to, int count) {
        CompletableFuture<Integer> chain = CompletableFuture.completedFuture(0);
        for (int i = 0; i < count; i++) {
            int tag = i;
            chain = chain.thenCompose(answered -> from.request(at(to), ping(tag), DEADLINE)
                    .thenApply(answer -> answer.equals(pong(tag)) ? answered + 1 : answered));
        }
        return chain;
    }

    private static long dialled(QuicTransport t) {
        return t.stats().snapshot().get("transport-quic.connections.dialled");
    }

    private static long malformed(QuicTransport t) {
        return t.stats().snapshot().get("transport-quic.datagrams.malformed");
    }

    private static int port(Peer peer) {
        return Integer.parseInt(peer.remoteAddress().substring(peer.remoteAddress().lastIndexOf(':') + 1));
    }

    private static void send(DatagramSocket udp, byte[] datagram, QuicTransport to) throws Exception {
        udp.send(new DatagramPacket(datagram, datagram.length, new InetSocketAddress("127.0.0.1", at(to).port())));
    }

    private static byte[] shortHeader(byte[] dcid, Random random) {
        byte[] packet = new byte[1 + dcid.length + 40];
        random.nextBytes(packet);
        packet[0] = 0x41;
        System.arraycopy(dcid, 0, packet, 1, dcid.length);
        return packet;
    }

    /** A long header that ends right after its destination id. */
    private static byte[] longHeaderOnly(byte[] dcid) {
        byte[] packet = new byte[6 + dcid.length];
        packet[0] = (byte) 0xc0;
        packet[4] = 1;
        packet[5] = (byte) dcid.length;
        System.arraycopy(dcid, 0, packet, 6, dcid.length);
        return packet;
    }

    /** Answers pings, remembering who sent them. */
    private static final class Recording extends QuicTransportTest.Echo {
        private final Queue<Peer> senders;

        Recording(Queue<Peer> senders) {
            this.senders = senders;
        }

        @Override
        public CompletionStage<? extends Frame> onRequest(Peer from, Frame request) {
            senders.add(from);
            return super.onRequest(from, request);
        }
    }
}
