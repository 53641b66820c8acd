package io.hyphae.bench;

import io.hyphae.api.PublishReceipt;
import io.hyphae.api.Qos;
import io.hyphae.api.Topic;
import io.hyphae.node.EmbeddedNode;
import io.hyphae.node.Hyphae;
import io.hyphae.spi.transport.Endpoint;
import io.hyphae.spi.transport.Transport;
import io.hyphae.transport.quic.QuicSettings;
import java.nio.ByteBuffer;
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
        List<Transports.Owned> transports = new ArrayList<>();
        try (EmbeddedNode a = node(transports).start();
             EmbeddedNode b = node(transports).bootstrap(endpoints(transports.subList(0, 2))).start()) {
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
            transports.forEach(Transports.Owned::close);
        }
    }

    /** A node with QUIC bound to 127.0.0.1 but advertised at 127.0.0.2 (dials to it go unanswered), and TCP. */
    private static Hyphae.Builder node(List<Transports.Owned> transports) {
        QuicSettings unreachable = QuicSettings.defaults(0).withAdvertisedHost("127.0.0.2");
        return Hyphae.node()
                .transport(id -> own(transports, Transports.start(Transports.Kind.QUIC, id, unreachable)))
                .transport(id -> own(transports, Transports.start(Transports.Kind.TCP, id)));
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

    private static Transport own(List<Transports.Owned> transports, Transports.Owned owned) {
        transports.add(owned);
        return owned.transport();
    }

    private static String[] endpoints(List<Transports.Owned> of) {
        return of.stream().flatMap(t -> t.transport().localEndpoints().stream()).map(Endpoint::toString)
                .toArray(String[]::new);
    }
}
