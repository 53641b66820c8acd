package io.hyphae.bench;

import io.hyphae.api.PublishReceipt;
import io.hyphae.api.Qos;
import io.hyphae.api.Topic;
import io.hyphae.node.EmbeddedNode;
import io.hyphae.node.Hyphae;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Where UDP is blocked: two embedded nodes with the QUIC and the TCP transport each, whose QUIC endpoints are
 * advertised at 127.0.0.2, where nobody listens and nothing answers (the sockets are bound to 127.0.0.1), so every
 * QUIC dial runs into its connect timeout, as it does where a firewall drops UDP. B subscribes; A publishes one
 * message every 50 ms for 10 s, QoS 0 then QoS 1. Prints, per QoS, how many arrived and the publish-to-handler
 * latency of all of them and of those published after the first 6 s (past the first QUIC dial's connect timeout).
 *
 * <pre>java -cp bench/target/benchmarks.jar io.hyphae.bench.UdpBlocked</pre>
 */
public final class UdpBlocked {
    private static final Topic TOPIC = Topic.of("bench.udp-blocked");
    private static final int MESSAGES = 200;
    private static final int EVERY_MS = 50;
    /** Messages published from this one on are past the first QUIC dial's connect timeout (5 s). */
    private static final int SETTLED_FROM = 120;

    private UdpBlocked() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println(Main.machine());
        for (Qos qos : List.of(Qos.AT_MOST_ONCE, Qos.AT_LEAST_ONCE)) {
            run(qos);
        }
        System.exit(0);
    }

    private static void run(Qos qos) throws Exception {
        List<Transport> transports = new ArrayList<>();
        Scheduler timers = Scheduler.single("udp-blocked-timers");
        try (EmbeddedNode a = Hyphae.node().transport(id -> own(transports, quic(id, timers)))
                     .transport(id -> own(transports, tcp(id, timers))).start();
             EmbeddedNode b = Hyphae.node().transport(id -> own(transports, quic(id, timers)))
                     .transport(id -> own(transports, tcp(id, timers)))
                     .bootstrap(endpoints(transports.subList(0, 2))).start()) {
            ConcurrentHashMap<Integer, Long> arrived = new ConcurrentHashMap<>();
            b.subscribe(TOPIC, m -> arrived.putIfAbsent(ByteBuffer.wrap(m.payload()).getInt(), System.nanoTime()));
            Thread.sleep(3_000); // B joins through A's TCP endpoint and advertises
            long[] sentAt = new long[MESSAGES];
            List<CompletableFuture<PublishReceipt>> receipts = new ArrayList<>();
            for (int i = 0; i < MESSAGES; i++) {
                sentAt[i] = System.nanoTime();
                receipts.add(a.publish(TOPIC, ByteBuffer.allocate(4).putInt(i).array(), qos).toCompletableFuture());
                Thread.sleep(EVERY_MS);
            }
            CompletableFuture.allOf(receipts.toArray(CompletableFuture[]::new)).get(40, TimeUnit.SECONDS);
            Thread.sleep(1_000);
            long delivered = receipts.stream().filter(r -> r.join().delivered() == 1).count();
            System.out.printf(Locale.ROOT, "%s: %d of %d arrived, %d receipts say delivered; latency %s; published"
                            + " after %d s: %s%n", qos, arrived.size(), MESSAGES, delivered,
                    latency(arrived, sentAt, 0), SETTLED_FROM * EVERY_MS / 1000,
                    latency(arrived, sentAt, SETTLED_FROM));
        } finally { // the nodes leave their transports to whoever made them
            for (Transport t : transports) {
                if (t instanceof QuicTransport quic) {
                    quic.close().toCompletableFuture().get(5, TimeUnit.SECONDS);
                } else if (t instanceof TcpTransport tcp) {
                    tcp.close().toCompletableFuture().get(5, TimeUnit.SECONDS);
                }
            }
            timers.close();
        }
    }

    private static String latency(ConcurrentHashMap<Integer, Long> arrived, long[] sentAt, int from) {
        long sum = 0;
        long max = 0;
        int n = 0;
        for (int i = from; i < sentAt.length; i++) {
            Long at = arrived.get(i);
            if (at != null) {
                long ns = at - sentAt[i];
                sum += ns;
                max = Math.max(max, ns);
                n++;
            }
        }
        return n == 0 ? "none arrived" : String.format(Locale.ROOT, "mean %.1f ms, max %.1f ms (%d messages)",
                sum / 1e6 / n, max / 1e6, n);
    }

    /** QUIC bound to 127.0.0.1, advertised at 127.0.0.2: dials to it go unanswered. */
    private static Transport quic(NodeIdentity id, Scheduler timers) {
        QuicSettings d = QuicSettings.defaults(0);
        QuicSettings unreachable = new QuicSettings(d.bindHost(), 0, "127.0.0.2", d.idleTimeoutMs(),
                d.keepAliveMs(), d.lingerMs(), d.connectTimeoutMs(), d.maxStreams(), d.maxQueuedBytes(),
                d.maxBadFrames(), d.maxUdpPayloadBytes(), d.socketBufferBytes(), d.gsoSegments(), d.ioThreads(),
                d.bindTimeoutMs());
        QuicTransport quic = new QuicTransport(unreachable, credentials(id), Clock.systemUTC(), timers);
        quic.start();
        return quic;
    }

    private static Transport tcp(NodeIdentity id, Scheduler timers) {
        TcpTransport tcp = new TcpTransport(TcpSettings.defaults(0), credentials(id), Clock.systemUTC(), timers);
        tcp.start();
        return tcp;
    }

    private static SelfSignedCredentials credentials(NodeIdentity id) {
        return new SelfSignedCredentials(id, Clock.systemUTC(), SelfSignedCredentials.DEFAULT_VALIDITY);
    }

    private static Transport own(List<Transport> transports, Transport t) {
        transports.add(t);
        return t;
    }

    private static String[] endpoints(List<Transport> of) {
        return of.stream().flatMap(t -> t.localEndpoints().stream()).map(Endpoint::toString).toArray(String[]::new);
    }
}
