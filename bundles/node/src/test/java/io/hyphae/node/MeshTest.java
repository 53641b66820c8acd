package io.hyphae.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.hyphae.api.NodeId;
import io.hyphae.api.PublishReceipt;
import io.hyphae.api.Qos;
import io.hyphae.api.Subscription;
import io.hyphae.api.Topic;
import io.hyphae.cache.lru.LruCachePolicy;
import io.hyphae.cache.lru.LruSettings;
import io.hyphae.identity.Ed25519Identity;
import io.hyphae.spi.concurrent.VirtualTime;
import io.hyphae.spi.dht.Key;
import io.hyphae.spi.dht.Record;
import io.hyphae.spi.pubsub.NodeIdentity;
import io.hyphae.spi.transport.Endpoint;
import io.hyphae.transport.mem.LinkConditions;
import io.hyphae.transport.mem.MemTransport;
import io.hyphae.transport.mem.VirtualNetwork;
import io.hyphae.wire.Advertisements;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * 50 nodes on the mem virtual network with 5 % frame loss, 20 topics, epochs of random subscribe / unsubscribe
 * followed by bursts of QoS 1 publishes from random nodes, all on virtual time.
 */
class MeshTest {
    private static final int NODES = 50;
    private static final int TOPICS = 20;
    private static final int EPOCHS = 3;
    private static final int MESSAGES_PER_EPOCH = 50;
    /** Discovery answers stay fresh this long, so every burst starts with fresh discoveries after a settle. */
    private static final Duration FRESHNESS = Duration.ofSeconds(5);
    /**
     * Time for advertisements and withdrawals to be stored, and past the freshness. With 5 % loss a store's lookup
     * can take more than 15 s (RPC timeouts of 2 s, several rounds), so "advertised" is taken to mean 30 s after.
     */
    private static final Duration SETTLE = Duration.ofSeconds(30);

    /** Another mesh: {@code -Dmesh.seed=N}. */
    private static final long SEED = Long.getLong("mesh.seed", 20260101);

    private final VirtualTime time = new VirtualTime();
    private final Random random = new Random(SEED);
    private final VirtualNetwork network = new VirtualNetwork(time, new Random(7),
            LinkConditions.ofMillis(5, 3).withLossRate(0.05));
    private final List<RecordingTransport.Sent> routes = new CopyOnWriteArrayList<>();
    private final List<EmbeddedNode> nodes = new ArrayList<>();
    private final List<Topic> topics = new ArrayList<>();
    /** Live subscriptions by node index and topic. */
    private final Map<Integer, Map<Topic, Subscription>> subscribed = new HashMap<>();
    /** How often each (node index, topic) handler saw each message, by message number. */
    private final Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
    private int nextMessage;
    private String seed;
    private int cancelledTotal;
    private EmbeddedNode rogue;

    @AfterEach
    void closeAll() {
        nodes.forEach(EmbeddedNode::close);
        if (rogue != null) {
            rogue.close();
        }
    }

    @Test
    void qos1ReachesEveryAdvertisedSubscriberOnceAndNeverACancelledForgedOrExpiredOne() {
        for (int i = 0; i < TOPICS; i++) {
            topics.add(Topic.of("mesh.topic" + i));
        }
        start();
        time.advance(Duration.ofSeconds(30));
        rogue = startRogue();
        Topic bait = topics.get(0);
        Topic decoy = topics.get(1);

        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            cancelledTotal += churn(epoch == 0 ? 80 : 25).size();
            CompletableFuture<Integer> stolen = epoch == 1 ? plantForgedAndExpired(bait, decoy) : null;
            time.advance(SETTLE);
            if (stolen != null) {
                assertThat(stolen).as("a record in another node's name is refused by the DHT")
                        .isCompletedExceptionally();
            }
            routes.clear();
            List<Published> burst = publishBurst(bait, decoy);
            for (int s = 0; s < 40 && !burst.stream().allMatch(p -> p.receipt.isDone()); s++) {
                time.advance(Duration.ofSeconds(1));
            }

            for (Published p : burst) {
                assertThat(p.receipt).as("receipt of message %d", p.number).isCompleted();
                for (int node : p.expected) {
                    assertThat(seen.get(node + "/" + p.topic + "/" + p.number))
                            .as("node %d on %s, message %d", node, p.topic, p.number).hasValue(1);
                }
                assertThat(p.receipt.join().missed()).as("missed by message %d", p.number).isZero();
            }
            for (RecordingTransport.Sent r : routes) {
                int target = indexOf(r.nodeId());
                assertThat(r.to().host()).as("route to a forged endpoint").isNotEqualTo("rogue");
                assertThat(target).as("route to %s (the expired record's node)", r.to()).isNotNegative();
                assertThat(subscribed.get(target)).as("route to node %d on %s: not (or no longer) subscribed",
                        target, r.topic()).containsKey(r.topic());
            }
        }
        assertThat(cancelledTotal).as("unsubscriptions happened").isPositive();
        assertThat(seen.values()).allSatisfy(n -> assertThat(n).hasValue(1));
        assertThat(nodes.stream().mapToLong(n -> n.discovery().stats().snapshot()
                .get("discovery.records.rejected")).sum()).as("the forged record was seen and refused").isPositive();
        assertThat(nodes.stream().mapToLong(n -> n.router().stats().get("router.qos1.retries")).sum())
                .as("loss made retries happen").isPositive();
    }

    private void start() {
        for (int i = 0; i < NODES; i++) {
            NodeIdentity id = identity(i);
            MemTransport mem = new MemTransport(network, "n" + i, 1, id.nodeId(), time).start();
            Hyphae.Builder b = Hyphae.node().identity(id).transport(new RecordingTransport(mem, routes))
                    .scheduler(time).clock(time.clock()).handlers(time).random(new Random(i))
                    .cachePolicy(new LruCachePolicy(new LruSettings(10_000, FRESHNESS, 0)));
            if (seed != null) {
                b.bootstrap(seed);
            }
            nodes.add(b.start());
            if (seed == null) {
                seed = mem.endpoint().toString();
            }
            subscribed.put(i, new HashMap<>());
            time.advance(Duration.ofMillis(200));
        }
    }

    /** Toggles {@code changes} random (node, topic) subscriptions; answers the cancelled ones. */
    private Set<String> churn(int changes) {
        Set<String> cancelled = new HashSet<>();
        for (int c = 0; c < changes; c++) {
            int node = random.nextInt(NODES);
            Topic topic = topics.get(random.nextInt(TOPICS));
            Subscription s = subscribed.get(node).remove(topic);
            if (s != null) {
                s.close();
                cancelled.add(node + "/" + topic);
            } else {
                subscribed.get(node).put(topic, nodes.get(node).subscribe(topic,
                        m -> seen.computeIfAbsent(node + "/" + topic + "/" + ByteBuffer.wrap(m.payload()).getInt(),
                                k -> new AtomicInteger()).incrementAndGet()));
            }
        }
        return cancelled;
    }

    /** QoS 1 messages from random nodes on random topics, the first two on {@code first} and {@code second}. */
    private List<Published> publishBurst(Topic first, Topic second) {
        List<Published> burst = new ArrayList<>();
        for (int m = 0; m < MESSAGES_PER_EPOCH; m++) {
            int publisher = random.nextInt(NODES);
            Topic topic = m == 0 ? first : m == 1 ? second : topics.get(random.nextInt(TOPICS));
            int number = nextMessage++;
            List<Integer> expected = new ArrayList<>();
            for (int n = 0; n < NODES; n++) {
                if (subscribed.get(n).containsKey(topic)) {
                    expected.add(n);
                }
            }
            byte[] payload = ByteBuffer.allocate(4).putInt(number).array();
            burst.add(new Published(publisher, number, topic, expected,
                    nodes.get(publisher).publish(topic, payload, Qos.AT_LEAST_ONCE).toCompletableFuture()));
            time.advance(Duration.ofMillis(random.nextInt(200)));
        }
        return burst;
    }

    /** A node outside the honest set that stores records no publisher may route to. */
    private EmbeddedNode startRogue() {
        NodeIdentity id = identity(NODES);
        MemTransport mem = new MemTransport(network, "rogue", 1, id.nodeId(), time).start();
        EmbeddedNode r = Hyphae.node().identity(id).transport(mem).scheduler(time).clock(time.clock())
                .handlers(time).random(new Random(99)).bootstrap(seed).start();
        time.advance(Duration.ofSeconds(10));
        return r;
    }

    /**
     * A record signed by the rogue whose value names another node (forged), a valid record of the rogue that expires
     * before the next burst, and a record in the victim's name signed with the rogue's key (answered: its store).
     */
    private CompletableFuture<Integer> plantForgedAndExpired(Topic bait, Topic decoy) {
        NodeIdentity id = rogue.identity();
        Endpoint rogueAt = new Endpoint("mem", "rogue", 1, id.nodeId());
        NodeId victim = nodes.get(NODES - 1).nodeId();
        Instant now = time.now();
        Record namesVictim = sign(id, bait, Advertisements.Value.advertisement(victim,
                List.of(rogueAt.withNodeId(victim)), bait, "default"), now.plusSeconds(300));
        rogue.dht().store(namesVictim);
        rogue.dht().store(sign(id, decoy, Advertisements.Value.advertisement(id.nodeId(), List.of(rogueAt), decoy,
                "default"), now.plusSeconds(3)));
        Record inVictimsName = new Record(namesVictim.key(), victim, namesVictim.seq(), namesVictim.expiresAt(),
                namesVictim.value(), namesVictim.publicKey(), namesVictim.signature());
        return rogue.dht().store(inVictimsName).toCompletableFuture();
    }

    private static Record sign(NodeIdentity id, Topic topic, Advertisements.Value value, Instant expiresAt) {
        Key key = Key.ofTopic("default", topic);
        byte[] bytes = Advertisements.encode(value);
        long seq = expiresAt.toEpochMilli();
        byte[] signature = id.sign(Record.signedBytes(key, id.nodeId(), seq, expiresAt, bytes));
        return new Record(key, id.nodeId(), seq, expiresAt, bytes, id.publicKey().getEncoded(), signature);
    }

    /** A key pair drawn from a seeded generator, so every run builds the same mesh. */
    private static NodeIdentity identity(int n) {
        try {
            SecureRandom seeded = SecureRandom.getInstance("SHA1PRNG");
            seeded.setSeed(SEED * 1_000 + n);
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            generator.initialize(255, seeded);
            return Ed25519Identity.of(generator.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new AssertionError("Ed25519 is part of every JDK 17", e);
        }
    }

    private int indexOf(NodeId id) {
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).nodeId().equals(id)) {
                return i;
            }
        }
        return -1;
    }

    private record Published(int publisher, int number, Topic topic, List<Integer> expected,
                             CompletableFuture<PublishReceipt> receipt) {
    }
}
