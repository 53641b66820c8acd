package io.hyphae.bench;

import io.hyphae.api.PublishReceipt;
import io.hyphae.api.Qos;
import io.hyphae.api.Topic;
import io.hyphae.node.EmbeddedNode;
import io.hyphae.node.Hyphae;
import io.hyphae.spi.concurrent.Scheduler;
import io.hyphae.transport.mem.LinkConditions;
import io.hyphae.transport.mem.MemTransport;
import io.hyphae.transport.mem.VirtualNetwork;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What {@code PubSub.publish(topic, 256 B, QoS 0)} costs the publishing thread when discovery answers from its cache
 * (issue 5, "in-process publish cost on a cache hit"). Run with allocation:
 * {@code java -cp bench/target/benchmarks.jar org.openjdk.jmh.Main PublishBenchmark -prof gc}.
 *
 * <p>Setup: two embedded nodes ({@link Hyphae#node()}: DHT, advertisement, discovery with the lru cache, router)
 * on MemTransport over one {@link VirtualNetwork}, on <em>real</em> threads (each node its own timer thread and
 * handler threads; the network delivers on a {@code Scheduler.single} thread). Virtual time was not used: its tasks
 * run only when the caller advances time, so either the measured thread would run the receiving node's work too or
 * the undelivered frames would pile up without bound. The subscriber subscribes, advertises, and QoS 1 probes are
 * published until one is acknowledged, so the publisher's discovery cache holds the topic's one subscriber.
 *
 * <p>Then the link between the two hosts gets loss rate 1: every frame the publisher sends is counted and dropped by
 * the network before it is queued for delivery. What the measured thread does per call is the whole publisher side
 * &mdash; message (id, timestamp), local-subscription lookup, discovery cache hit, router (per-peer queue, ROUTE
 * encode), {@code MemTransport.send} and the network's send accounting, the receipt future and its completion
 * handed to the handler executor &mdash; but not the network's delivery task nor the receiving node's decode and
 * hand-off (those run on other threads; {@link MemFanOutBenchmark} measures end to end). Without the drop the
 * publisher outruns the 2-core box's receiving threads and the delivery queue grows without bound, which measures
 * GC, not publish. QoS 0 needs no answer, so the drop changes nothing the publisher sees. The lru cache keeps an
 * entry at most 60 s of real time: a trial (setup + warm-up + measurement) must stay under that; the tear-down
 * prints the discovery counters of the measured part (cache misses and queries must be 0).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PublishBenchmark {
    private static final Topic TOPIC = Topic.of("bench.publish");

    private Scheduler network;
    private EmbeddedNode subscriber;
    private EmbeddedNode publisher;
    private final LongAdder received = new LongAdder();
    private final byte[] payload = new byte[256];
    private SortedMap<String, Long> discoveryBefore;
    private SortedMap<String, Long> routerBefore;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        network = Scheduler.single("bench-mem-network");
        VirtualNetwork net = new VirtualNetwork(network, new SplittableRandom(5));
        subscriber = Hyphae.node().transport(id -> new MemTransport(net, "sub", 1, id.nodeId(), network).start())
                .start();
        publisher = Hyphae.node().transport(id -> new MemTransport(net, "pub", 1, id.nodeId(), network).start())
                .bootstrap("mem://sub:1/" + subscriber.nodeId().toHex()).start();
        subscriber.subscribe(TOPIC, message -> received.increment());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            PublishReceipt receipt = publisher.publish(TOPIC, payload, Qos.AT_LEAST_ONCE).toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
            if (receipt.delivered() >= 1) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the subscriber was not reached within 30 s");
            }
            Thread.sleep(100);
        }
        // one more on the warm cache, then cut the wire (see the class comment)
        publisher.publish(TOPIC, payload, Qos.AT_MOST_ONCE).toCompletableFuture().get(5, TimeUnit.SECONDS);
        net.setConditions("pub", "sub", LinkConditions.PERFECT.withLossRate(1.0));
        discoveryBefore = publisher.discovery().stats().snapshot();
        routerBefore = publisher.router().stats().snapshot();
    }

    @Benchmark
    public CompletionStage<PublishReceipt> publishQos0CacheHit() {
        return publisher.publish(TOPIC, payload, Qos.AT_MOST_ONCE);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        SortedMap<String, Long> d = publisher.discovery().stats().snapshot();
        SortedMap<String, Long> r = publisher.router().stats().snapshot();
        System.out.printf("%n[PublishBenchmark] during warm-up+measurement: discovery.cache.hits %d, "
                        + "discovery.cache.misses %d, discovery.queries.sent %d, router.sent %d, "
                        + "router.backpressure %d, node.publish.failed %d%n",
                diff(d, discoveryBefore, "discovery.cache.hits"), diff(d, discoveryBefore, "discovery.cache.misses"),
                diff(d, discoveryBefore, "discovery.queries.sent"), diff(r, routerBefore, "router.sent"),
                diff(r, routerBefore, "router.backpressure"), publisher.stats().get("node.publish.failed"));
        publisher.close();
        subscriber.close();
        network.close();
    }

    private static long diff(SortedMap<String, Long> now, SortedMap<String, Long> before, String name) {
        return now.getOrDefault(name, 0L) - before.getOrDefault(name, 0L);
    }
}
