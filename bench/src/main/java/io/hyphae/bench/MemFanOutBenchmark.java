package io.hyphae.bench;

import io.hyphae.api.PublishReceipt;
import io.hyphae.api.Qos;
import io.hyphae.api.Topic;
import io.hyphae.node.EmbeddedNode;
import io.hyphae.node.Hyphae;
import io.hyphae.spi.concurrent.Scheduler;
import io.hyphae.transport.mem.MemTransport;
import io.hyphae.transport.mem.VirtualNetwork;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Mem-transport end to end (issue 5): one publisher node and N subscriber nodes (1 and 100) on one
 * {@link VirtualNetwork} with perfect links, all embedded nodes ({@link Hyphae#node()}) in this JVM on real threads;
 * the rate is messages received by the subscribers' handlers per second (deliveries/s; for 1&rarr;100 one publish
 * is 100 deliveries). 256-byte payloads, QoS 0 and QoS 1.
 *
 * <p>Flow control: QoS 1 keeps a window of unfinished publishes (a receipt completes when every subscriber acked).
 * QoS 0 publishes complete at send, so the publisher keeps at most {@code window} deliveries unreceived (published
 * &times; N minus handled); when nothing arrives for 500 ms the missing ones are counted lost and the window moves on.
 * Threads: the network delivers on one thread; the nodes share one timer thread and a handler pool of 2 threads
 * (the defaults would give each of 101 nodes its own timer and handler threads on a 2-core box).
 *
 * <p>Not a JMH benchmark (JMH times an operation; this counts events on other threads over a wall-clock window);
 * run: {@code java -cp bench/target/benchmarks.jar io.hyphae.bench.MemFanOutBenchmark [warmupS] [measureS]}.
 */
public final class MemFanOutBenchmark {
    private static final Topic TOPIC = Topic.of("bench.fanout");

    private MemFanOutBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int warmupS = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int measureS = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        System.out.printf(Locale.ROOT, "mem fan-out, 256 B, warm-up %d s, measure %d s, %d cpus, load %s%n", warmupS,
                measureS, Runtime.getRuntime().availableProcessors(), loadAverage());
        for (int fanOut : new int[] {1, 100}) {
            try (Mesh mesh = new Mesh(fanOut)) {
                for (Qos qos : new Qos[] {Qos.AT_MOST_ONCE, Qos.AT_LEAST_ONCE}) {
                    mesh.run(qos, warmupS, false);
                    Result r = mesh.run(qos, measureS, true);
                    System.out.printf(Locale.ROOT,
                            "1->%-3d %-13s %,12.0f deliveries/s  %,10.0f publishes/s  lost %d  (%s)%n", fanOut, qos,
                            r.deliveries / r.seconds, r.publishes / r.seconds, r.lost, mesh.drops());
                }
            }
        }
        System.out.printf(Locale.ROOT, "load at end %s%n", loadAverage());
        System.exit(0);
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException | RuntimeException e) {
            return "n/a";
        }
    }

    private record Result(long publishes, long deliveries, long lost, double seconds) {
    }

    private static final class Mesh implements AutoCloseable {
        private final int fanOut;
        private final Scheduler network = Scheduler.single("bench-mem-network");
        private final Scheduler timers = Scheduler.single("bench-node-timers");
        private final java.util.concurrent.ExecutorService handlers =
                java.util.concurrent.Executors.newFixedThreadPool(2);
        private final EmbeddedNode publisher;
        private final List<EmbeddedNode> subscribers = new ArrayList<>();
        private final LongAdder handled = new LongAdder();
        private final byte[] payload = new byte[256];

        Mesh(int fanOut) throws Exception {
            this.fanOut = fanOut;
            VirtualNetwork net = new VirtualNetwork(network, new SplittableRandom(3));
            publisher = node(net, "pub").start();
            String seed = "mem://pub:1/" + publisher.nodeId().toHex();
            for (int i = 0; i < fanOut; i++) {
                EmbeddedNode s = node(net, "sub" + i).bootstrap(seed).start();
                s.subscribe(TOPIC, m -> handled.increment());
                subscribers.add(s);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (true) { // until a QoS 1 probe is acknowledged by every subscriber: all advertised, all discovered
                PublishReceipt r = publisher.publish(TOPIC, payload, Qos.AT_LEAST_ONCE).toCompletableFuture()
                        .get(60, TimeUnit.SECONDS);
                if (r.delivered() == fanOut) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("1->" + fanOut + ": only " + r + " after 120 s");
                }
                Thread.sleep(500);
            }
        }

        private Hyphae.Builder node(VirtualNetwork net, String host) {
            return Hyphae.node().scheduler(timers).handlers(handlers)
                    .transport(id -> new MemTransport(net, host, 1, id.nodeId(), network).start());
        }

        Result run(Qos qos, int seconds, boolean measured) throws Exception {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            long start = System.nanoTime();
            long handledAtStart = handled.sum();
            long published = 0;
            long lost = 0;
            if (qos == Qos.AT_LEAST_ONCE) {
                int window = fanOut == 1 ? 256 : 8;
                Semaphore inFlight = new Semaphore(window);
                while (System.nanoTime() < end) {
                    if (!inFlight.tryAcquire(1, TimeUnit.SECONDS)) {
                        continue;
                    }
                    published++;
                    publisher.publish(TOPIC, payload, qos).whenComplete((r, e) -> inFlight.release());
                }
                inFlight.acquire(window); // drain: every receipt in
            } else {
                long window = 2_000;
                long expected = handledAtStart; // deliveries the handlers should have seen once all arrived
                long stallSince = 0;
                long lastSeen = -1;
                while (System.nanoTime() < end) {
                    long seen = handled.sum();
                    if (expected - seen >= window) {
                        long now = System.nanoTime();
                        if (seen != lastSeen) {
                            lastSeen = seen;
                            stallSince = now;
                        } else if (now - stallSince > TimeUnit.MILLISECONDS.toNanos(500)) {
                            lost += expected - seen;
                            expected = seen;
                        }
                        LockSupport.parkNanos(20_000);
                        continue;
                    }
                    published++;
                    expected += fanOut;
                    publisher.publish(TOPIC, payload, qos);
                }
                long drainEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
                while (handled.sum() < expected && System.nanoTime() < drainEnd) {
                    LockSupport.parkNanos(1_000_000);
                }
                lost += Math.max(0, expected - handled.sum());
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            return new Result(published, handled.sum() - handledAtStart, lost, elapsed);
        }

        String drops() {
            long rejected = subscribers.stream().mapToLong(s -> s.stats().get("node.handler.rejected")).sum();
            return "node.handler.rejected " + rejected + ", router.backpressure "
                    + publisher.router().stats().snapshot().get("router.backpressure") + ", router.qos1.retries "
                    + publisher.router().stats().snapshot().get("router.qos1.retries");
        }

        @Override
        public void close() {
            subscribers.forEach(EmbeddedNode::close);
            publisher.close();
            handlers.shutdownNow();
            timers.close();
            network.close();
        }
    }
}
