package io.hyphae.dht;

import io.hyphae.api.NodeId;
import io.hyphae.spi.concurrent.VirtualTime;
import io.hyphae.spi.dht.Key;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Many DHT nodes on one FakeNetwork and one VirtualTime; the first is the bootstrap of the others. */
final class Mesh {
    final VirtualTime time = new VirtualTime();
    final FakeNetwork net = new FakeNetwork(time, Duration.ofMillis(10));
    final List<KademliaDht> nodes = new ArrayList<>();
    final Map<NodeId, FakeNetwork.FakeTransport> transports = new HashMap<>();
    final Random random;
    final DhtSettings settings;

    Mesh(long seed, DhtSettings settings) {
        this.random = new Random(seed);
        this.settings = settings;
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
        FakeNetwork.FakeTransport transport = net.attach(id);
        KademliaDht dht = new KademliaDht(settings.withBootstrap(bootstrap), new TestIdentity(id), time.clock(), time);
        dht.addTransport(transport, "mem");
        dht.start();
        nodes.add(dht);
        transports.put(id, transport);
        return dht;
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
    List<NodeId> bruteForceClosest(Key target, int n, NodeId except, java.util.Set<NodeId> excluded) {
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
