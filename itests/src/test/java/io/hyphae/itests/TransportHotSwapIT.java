package io.hyphae.itests;

import static io.hyphae.itests.FelixNode.call;
import static io.hyphae.itests.FelixNode.callStatic;
import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Proxy;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.After;
import org.junit.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;

import io.hyphae.wire.Advertisements;

/**
 * The promise of issue #6: a transport bundle can be swapped while QoS 1 messages flow, and nothing is lost. Two
 * nodes, each in a Felix framework of its own ({@link FelixNode}) with the QUIC and TCP transports on loopback; B
 * subscribes, A publishes a QoS 1 message every 5 ms. Mid-stream transport-quic is stopped on both nodes (B first:
 * the subscriber's side goes while A still routes over it), started again, then transport-tcp is stopped on both.
 * B's QUIC port is ephemeral, so its restarted transport listens on another port than the one A's cached answer
 * lists: when tcp then goes, A must learn B's new endpoint from the DHT before the QoS 1 deadline.
 *
 * <p>Asserted: B's handler gets every message exactly once and every receipt says delivered 1; after each change
 * the record of B that A's DHT finds lists exactly B's live endpoints, stored by one re-store (its seq one up); the
 * node, router, discovery, advertiser and DHT services of both nodes are never unregistered (their components were
 * never deactivated) and keep their service ids; once both frameworks stopped, nothing listens on their ports. The
 * longest delivery gap during the swap is printed.
 */
public class TransportHotSwapIT {
    private static final String TOPIC = "itest.hotswap";
    private static final String REALM = "default";
    private static final long PUBLISH_EVERY_MS = 5;
    private static final Duration CHANGE = Duration.ofSeconds(15);
    private static final List<String> MODULES = List.of("api", "spi", "wire", "identity", "tls", "dht",
            "advertisement", "discovery", "cache-lru", "router", "node", "transport-quic", "transport-tcp");
    private static final List<String> CORE_SERVICES = List.of("io.hyphae.api.PubSub", "io.hyphae.spi.pubsub.Router",
            "io.hyphae.spi.pubsub.Discovery", "io.hyphae.spi.pubsub.Advertiser", "io.hyphae.spi.dht.Dht");
    private static final List<String> ROUTER_COUNTERS = List.of("router.transport.lost", "router.fallbacks",
            "router.qos1.retries", "router.busy", "router.refused", "router.rediscoveries", "router.moved");
    private static final String QUIC = "io.hyphae.transport.quic";
    private static final String TCP = "io.hyphae.transport.tcp";

    private final List<FelixNode> nodes = new ArrayList<>();
    private ScheduledExecutorService publisher;

    /** Message number to how often B's handler got it, and when it first did (ns). */
    private final Map<Integer, AtomicInteger> received = new ConcurrentHashMap<>();
    private final ConcurrentSkipListMap<Long, Integer> arrivals = new ConcurrentSkipListMap<>();
    private final Map<Integer, CompletableFuture<Object>> receipts = new ConcurrentHashMap<>();
    private final Map<Integer, Long> publishedAt = new ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger();
    private final Set<Integer> usedPorts = ConcurrentHashMap.newKeySet();

    @After
    public void stopEverything() throws Exception {
        if (publisher != null) {
            publisher.shutdownNow();
        }
        closeNodes();
    }

    @Test
    public void quicThenTcpSwappedUnderContinuousQos1LosesNothingAndRestartsNothing() throws Exception {
        long started = System.nanoTime();
        int[] ports = freePorts(3);
        FelixNode a = launch("a", ports[0], ports[1], null);
        // B's QUIC port is ephemeral: restarted, it listens on another one, and A's cached answer goes stale.
        FelixNode b = launch("b", 0, ports[2], liveEndpoints(a).toArray(String[]::new));
        String bId = (String) call(call(service(b, "io.hyphae.spi.pubsub.NodeIdentity"), "nodeId"), "toHex");

        Map<FelixNode, Map<String, Long>> serviceIds = Map.of(a, coreServiceIds(a), b, coreServiceIds(b));
        Object pubSubA = service(a, "io.hyphae.api.PubSub");
        Object pubSubB = service(b, "io.hyphae.api.PubSub");
        call(pubSubB, "subscribe", topic(b), handler(b));
        Advert advert = awaitAdvert(a, bId, -1, Set.copyOf(liveEndpoints(b)));
        System.out.printf("hot swap: B advertises %s (seq %d), %d ms after launch%n", advert.endpoints(),
                advert.seq(), ms(System.nanoTime() - started));

        publisher = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "itest-hotswap-publisher"));
        Object topicA = topic(a);
        Object qos1 = callStatic(a.type("io.hyphae.api", "io.hyphae.api.Qos"), "valueOf", "AT_LEAST_ONCE");
        publisher.scheduleAtFixedRate(() -> publish(pubSubA, topicA, qos1), 0, PUBLISH_EVERY_MS,
                TimeUnit.MILLISECONDS);
        awaitDeliveries(200, "before the swap");
        long swapStarted = System.nanoTime();

        advert = swap(a, b, bId, advert, "stop quic", Bundle::stop, QUIC);
        advert = swap(a, b, bId, advert, "start quic", Bundle::start, QUIC);
        swap(a, b, bId, advert, "stop tcp", Bundle::stop, TCP);

        publisher.shutdown();
        assertTrue("publisher stopped", publisher.awaitTermination(5, TimeUnit.SECONDS));
        long swapEnded = System.nanoTime();
        int published = next.get();
        CompletableFuture.allOf(receipts.values().toArray(CompletableFuture[]::new)).get(40, TimeUnit.SECONDS);
        await("B's handler to get all " + published + " messages").atMost(Duration.ofSeconds(10))
                .until(received::size, n -> n == published);

        List<String> badReceipts = new ArrayList<>();
        receipts.forEach((n, r) -> {
            Object receipt = r.join();
            if ((int) call(receipt, "delivered") != 1 || (int) call(receipt, "subscribers") != 1) {
                badReceipts.add(n + ": " + receipt);
            }
        });
        assertEquals("receipts not delivered=1 of 1 subscriber", List.of(), badReceipts);
        Map<Integer, Integer> notOnce = new TreeMap<>();
        for (int n = 0; n < published; n++) {
            AtomicInteger times = received.get(n);
            if (times == null || times.get() != 1) {
                notOnce.put(n, times == null ? 0 : times.get());
            }
        }
        assertEquals("messages B's handler got other than once (number=times)", Map.of(), notOnce);
        for (FelixNode node : List.of(a, b)) {
            assertEquals(node.name() + ": core service ids", serviceIds.get(node), coreServiceIds(node));
            Set<String> gone = node.unregisteredObjectClasses();
            assertTrue(node.name() + ": core services unregistered (components deactivated): " + gone,
                    CORE_SERVICES.stream().noneMatch(gone::contains));
            assertTrue(node.name() + ": the transports did leave: " + gone,
                    gone.contains("io.hyphae.spi.transport.Transport"));
        }
        assertTrue("the same PubSub instance on A", pubSubA == service(a, "io.hyphae.api.PubSub"));
        assertTrue("the same PubSub instance on B", pubSubB == service(b, "io.hyphae.api.PubSub"));

        long longestGap = longestGap(swapStarted, swapEnded);
        long slowest = slowestDelivery();
        String routerA = ROUTER_COUNTERS.stream().map(c -> c + "=" + counter(a, "router", c))
                .collect(Collectors.joining(", "));
        closeNodes();
        Set<Integer> used = new TreeSet<>(usedPorts);
        Arrays.stream(ports).forEach(used::add);
        for (int port : used) {
            assertTrue("port " + port + " is free once both frameworks stopped", isFree(port));
        }
        System.out.printf("hot swap: %d QoS 1 messages, each delivered once; longest delivery gap during the swap"
                + " %d ms, slowest publish-to-handler %d ms; test %d ms; A's %s%n", published, longestGap, slowest,
                ms(System.nanoTime() - started), routerA);
    }

    /**
     * Applies {@code change} to bundle {@code bsn} on B, then on A; waits until A's DHT holds B's next record with
     * exactly B's live endpoints and until messages flow over what is left.
     */
    private Advert swap(FelixNode a, FelixNode b, String bId, Advert before, String what, BundleChange change,
                        String bsn) throws Exception {
        long t0 = System.nanoTime();
        int deliveredBefore = received.size();
        long storesBefore = counter(b, "advertisement", "advertisement.stores");
        change.apply(b.bundle(bsn));
        change.apply(a.bundle(bsn));
        Set<String> live = Set.copyOf(liveEndpoints(b));
        Advert after = awaitAdvert(a, bId, before.seq(), live);
        assertEquals(what + ": B's record lists its live endpoints " + live + " after one re-store", storesBefore + 1,
                counter(b, "advertisement", "advertisement.stores"));
        awaitDeliveries(deliveredBefore + 150, "after " + what);
        long t1 = System.nanoTime();
        System.out.printf("hot swap: %s: B advertises %s (seq %d) %d ms later; longest delivery gap %d ms%n", what,
                after.endpoints(), after.seq(), ms(t1 - t0), longestGap(t0, t1));
        return after;
    }

    private FelixNode launch(String name, int quicPort, int tcpPort, String[] bootstrap) throws Exception {
        Map<String, Map<String, Object>> configurations = new HashMap<>();
        configurations.put(QUIC, Map.of("bindHost", "127.0.0.1", "port", quicPort));
        configurations.put(TCP, Map.of("bindHost", "127.0.0.1", "port", tcpPort));
        if (bootstrap != null) {
            configurations.put("io.hyphae.dht", Map.of("bootstrap", bootstrap));
        }
        FelixNode node = FelixNode.launch(name, MODULES, configurations);
        nodes.add(node);
        await(name + ": quic and tcp transports").atMost(CHANGE)
                .until(() -> node.references("io.hyphae.spi.transport.Transport", null).size() == 2);
        return node;
    }

    /** Counter {@code name} of the StatsSource of {@code module} in {@code node}. */
    private static long counter(FelixNode node, String module, String name) {
        for (ServiceReference<?> ref : node.references("io.hyphae.spi.stats.StatsSource", null)) {
            Object source = node.service(ref);
            if (module.equals(call(source, "module"))) {
                Object value = ((Map<?, ?>) call(source, "snapshot")).get(name);
                return value == null ? 0 : (Long) value;
            }
        }
        throw new AssertionError(node.name() + " has no " + module + " StatsSource");
    }

    /** Every counter of both nodes, and the first failed receipts, for a failure message. */
    private String diagnostics() {
        StringBuilder out = new StringBuilder("published " + next.get() + ", at B " + received.size());
        receipts.entrySet().stream().filter(e -> e.getValue().isCompletedExceptionally()).limit(3)
                .forEach(e -> out.append("\n  receipt ").append(e.getKey()).append(" failed: ")
                        .append(e.getValue().handle((r, x) -> x).join()));
        for (FelixNode node : nodes) {
            for (ServiceReference<?> ref : node.references("io.hyphae.spi.stats.StatsSource", null)) {
                out.append("\n  ").append(node.name()).append(' ').append(call(node.service(ref), "snapshot"));
            }
        }
        return out.toString();
    }

    private void publish(Object pubSub, Object topic, Object qos) {
        int n = next.getAndIncrement();
        publishedAt.put(n, System.nanoTime());
        CompletableFuture<Object> receipt = new CompletableFuture<>();
        receipts.put(n, receipt);
        try {
            ((CompletionStage<?>) call(pubSub, "publish", topic, ByteBuffer.allocate(4).putInt(n).array(), qos))
                    .whenComplete((r, e) -> {
                        if (e != null) {
                            receipt.completeExceptionally(e);
                        } else {
                            receipt.complete(r);
                        }
                    });
        } catch (RuntimeException | Error e) { // never out: the executor would cancel the schedule
            receipt.completeExceptionally(e);
        }
    }

    /** B's message handler: a proxy of the framework's MessageHandler that counts each message by its number. */
    private Object handler(FelixNode b) {
        Class<?> type = b.type("io.hyphae.api", "io.hyphae.api.MessageHandler");
        return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            switch (method.getName()) {
                case "onMessage" -> {
                    int n = ByteBuffer.wrap((byte[]) call(args[0], "payload")).getInt();
                    if (received.computeIfAbsent(n, k -> new AtomicInteger()).incrementAndGet() == 1) {
                        arrivals.put(System.nanoTime(), n);
                    }
                    return null;
                }
                case "equals" -> {
                    return proxy == args[0];
                }
                case "hashCode" -> {
                    return System.identityHashCode(proxy);
                }
                default -> {
                    return "hot swap handler";
                }
            }
        });
    }

    private void awaitDeliveries(int count, String when) {
        try {
            await(count + " messages at B " + when).atMost(CHANGE).until(received::size, n -> n >= count);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\n" + diagnostics(), e);
        }
    }

    /** B's record as A's DHT finds it, once its seq passed {@code afterSeq} and it lists exactly {@code endpoints}. */
    private Advert awaitAdvert(FelixNode a, String bId, long afterSeq, Set<String> endpoints) {
        return await("A's DHT to find B's record listing " + endpoints).atMost(CHANGE)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> findAdvert(a, bId), r -> r != null && r.seq() > afterSeq
                        && Set.copyOf(r.endpoints()).equals(endpoints));
    }

    private Advert findAdvert(FelixNode a, String bId) throws Exception {
        Object dht = service(a, "io.hyphae.spi.dht.Dht");
        Object key = callStatic(a.type("io.hyphae.spi", "io.hyphae.spi.dht.Key"), "ofTopic", REALM, topic(a));
        List<?> records = (List<?>) ((CompletionStage<?>) call(dht, "findValue", key)).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        for (Object r : records) {
            if (bId.equals(call(call(r, "publisher"), "toHex"))) {
                Advertisements.Value value = Advertisements.decode((byte[]) call(r, "value"));
                return new Advert((long) call(r, "seq"),
                        value.endpoints().stream().map(Object::toString).collect(Collectors.toList()));
            }
        }
        return null;
    }

    private List<String> liveEndpoints(FelixNode node) {
        List<String> out = new ArrayList<>();
        for (ServiceReference<?> ref : node.references("io.hyphae.spi.transport.Transport", null)) {
            for (Object e : (List<?>) call(node.service(ref), "localEndpoints")) {
                out.add(e.toString());
                usedPorts.add((Integer) call(e, "port"));
            }
        }
        return out;
    }

    private static Map<String, Long> coreServiceIds(FelixNode node) {
        Map<String, Long> ids = new TreeMap<>();
        for (String objectClass : CORE_SERVICES) {
            List<ServiceReference<?>> refs = node.references(objectClass, null);
            assertEquals(node.name() + ": " + objectClass + " services", 1, refs.size());
            node.service(refs.get(0)); // got, so a delayed component stays active
            ids.put(objectClass, (Long) refs.get(0).getProperty(Constants.SERVICE_ID));
        }
        return ids;
    }

    private static Object service(FelixNode node, String objectClass) {
        List<ServiceReference<?>> refs = node.references(objectClass, null);
        assertEquals(node.name() + ": " + objectClass + " services", 1, refs.size());
        return node.service(refs.get(0));
    }

    private static Object topic(FelixNode node) {
        return callStatic(node.type("io.hyphae.api", "io.hyphae.api.Topic"), "of", TOPIC);
    }

    /** The longest time between two first deliveries at B while the transports were being swapped. */
    private long longestGap(long from, long to) {
        long longest = 0;
        Long previous = arrivals.floorKey(from);
        for (long at : arrivals.subMap(from, true, to, true).keySet()) {
            if (previous != null) {
                longest = Math.max(longest, at - previous);
            }
            previous = at;
        }
        return ms(longest);
    }

    private long slowestDelivery() {
        long slowest = 0;
        for (Map.Entry<Long, Integer> arrival : arrivals.entrySet()) {
            slowest = Math.max(slowest, arrival.getKey() - publishedAt.get(arrival.getValue()));
        }
        return ms(slowest);
    }

    private void closeNodes() throws Exception {
        Exception first = null;
        for (FelixNode node : List.copyOf(nodes)) {
            try {
                node.close();
            } catch (Exception e) {
                first = first == null ? e : first;
            }
            nodes.remove(node);
        }
        if (first != null) {
            throw first;
        }
    }

    /** Ports free for both TCP and UDP on 127.0.0.1, distinct. */
    private static int[] freePorts(int count) throws Exception {
        int[] ports = new int[count];
        for (int i = 0; i < count; ) {
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            boolean taken = false;
            for (int j = 0; j < i; j++) {
                taken |= ports[j] == port;
            }
            if (!taken && isFree(port)) {
                ports[i++] = port;
            }
        }
        return ports;
    }

    private static boolean isFree(int port) {
        try (ServerSocket tcp = new ServerSocket();
             DatagramSocket udp = new DatagramSocket(null)) {
            tcp.setReuseAddress(true);
            tcp.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            udp.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    /** B's subscriber record as A found it. */
    private record Advert(long seq, List<String> endpoints) {
    }

    @FunctionalInterface
    private interface BundleChange {
        void apply(Bundle bundle) throws Exception;
    }
}
