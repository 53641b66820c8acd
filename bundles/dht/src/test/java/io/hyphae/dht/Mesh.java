package io.hyphae.dht;

import io.hyphae.api.NodeId;
import io.hyphae.spi.concurrent.VirtualTime;
import io.hyphae.spi.dht.Key;
import io.hyphae.spi.transport.InboundHandler;
import io.hyphae.transport.mem.LinkConditions;
import io.hyphae.transport.mem.MemTransport;
import io.hyphae.transport.mem.VirtualNetwork;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Many DHT nodes, each on a {@link MemTransport} of one {@link VirtualNetwork} (frames really go through the CBOR
 * codec), all on one {@link VirtualTime}; the first node is the bootstrap of the others. Links have 10 ms latency.
 */
final class Mesh {
    static final LinkConditions LINKS = LinkConditions.ofMillis(10, 0);

    final VirtualTime time = new VirtualTime();
    final VirtualNetwork net;
    final List<KademliaDht> nodes = new ArrayList<>();
    final Map<NodeId, MemTransport> transports = new HashMap<>();
    final Random random;
    final DhtSettings settings;
    private int hosts;

    Mesh(long seed, DhtSettings settings) {
        this.random = new Random(seed);
        this.settings = settings;
        this.net = new VirtualNetwork(time, new SplittableRandom(seed), LINKS);
    }

    static Mesh of(int n, long seed) {
        Mesh mesh = new Mesh(seed, DhtSettings.defaults());
        mesh.grow(n);
        return mesh;
    }

    void grow(int n) {
        for (int i = 0; i < n; i++) {
            add(TestIdentity.random(random).nodeId());
            time.advance(Duration.ofMillis(500));
        }
        time.advance(Duration.ofSeconds(30));
    }

    KademliaDht add(NodeId id) {
        List<String> bootstrap = nodes.isEmpty() ? List.of() : List.of(bootstrapEndpoint());
        return add(id, bootstrap);
    }

    KademliaDht add(NodeId id, List<String> bootstrap) {
        MemTransport transport = attach(id);
        KademliaDht dht = new KademliaDht(settings.withBootstrap(bootstrap), new TestIdentity(id), time.clock(), time);
        dht.addTransport(transport, MemTransport.SCHEME);
        dht.start();
        nodes.add(dht);
        transports.put(id, transport);
        return dht;
    }

    /** A started mem transport for {@code id} at a host of its own. */
    MemTransport attach(NodeId id) {
        return new MemTransport(net, "n" + hosts++, 1, id, time).start();
    }

    /**
     * Turns {@code node} hostile: its DHT no longer answers through its transport, {@code handler} does (and
     * the node asks nothing any more).
     */
    void turnHostile(KademliaDht node, InboundHandler handler) {
        MemTransport transport = transports.get(node.localId());
        node.removeTransport(transport);
        transport.register(handler);
    }

    /** Cuts {@code node} off the network (a black hole: requests to it time out) until the partition heals. */
    VirtualNetwork.Partition cutOff(KademliaDht node) {
        return net.partition(List.of(transports.get(node.localId()).endpoint().host()));
    }

    String bootstrapEndpoint() {
        return nodes.get(0).contact().endpoints().get(0).toString();
    }

    KademliaDht any() {
        return nodes.get(random.nextInt(nodes.size()));
    }

    /** Runs virtual time until {@code stage} completes (at most a virtual minute). */
    <T> T await(CompletionStage<T> stage) {
        CompletableFuture<T> f = stage.toCompletableFuture();
        for (int i = 0; i < 600 && !f.isDone(); i++) {
            time.advance(Duration.ofMillis(100));
        }
        if (!f.isDone()) {
            throw new AssertionError("not done after a virtual minute");
        }
        return f.join();
    }

    /** Ids of every node except {@code except}, nearest to {@code target} first, at most {@code n}. */
    List<NodeId> bruteForceClosest(Key target, int n, NodeId except, Set<NodeId> excluded) {
        List<NodeId> ids = new ArrayList<>();
        for (KademliaDht d : nodes) {
            if (!d.localId().equals(except) && !excluded.contains(d.localId())) {
                ids.add(d.localId());
            }
        }
        ids.sort(Xor.byDistanceTo(target));
        return ids.subList(0, Math.min(n, ids.size()));
    }

    long total(String counter) {
        return nodes.stream().mapToLong(d -> d.stats().get(counter)).sum();
    }
}
