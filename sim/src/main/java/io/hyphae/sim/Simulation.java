package io.hyphae.sim;

import io.hyphae.dht.DhtSettings;
import io.hyphae.spi.dht.Key;
import io.hyphae.transport.mem.LinkConditions;
import io.hyphae.transport.mem.VirtualNetwork;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One deterministic simulation run: N plain-Java {@code KademliaDht} nodes on one {@link VirtualNetwork}, all timed
 * by ONE {@link EventQueue} (a discrete-event scheduler: no thread sleeps, nothing reads the wall clock but the
 * report). Phases: build-up (nodes start {@link SimulationSettings#effectiveJoinSpacingMs} apart, each joining
 * through random live nodes), warm-up, then the measured phase with {@link Churn} and the {@link Workload}, then a
 * drain in which lookups still in flight end. The same settings and seed give the same figures on any machine;
 * only the wall-clock and heap figures differ.
 */
public final class Simulation {
    private static final Logger LOG = LoggerFactory.getLogger(Simulation.class);
    private static final Duration DRAIN = Duration.ofSeconds(60);
    private static final long NETWORK_SEED = 0x6e6574L;
    private static final long PUBLISHER_SEED = 0x707562L;

    private final SimulationSettings settings;
    private final LongSupplier wallNanos;
    private final HeapGauge heap;

    /**
     * @param wallNanos read only to report wall time and events per second ({@code System::nanoTime})
     * @param heap      measures the used heap for the per-node figure
     */
    public Simulation(SimulationSettings settings, LongSupplier wallNanos, HeapGauge heap) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.wallNanos = Objects.requireNonNull(wallNanos, "wallNanos");
        this.heap = Objects.requireNonNull(heap, "heap");
    }

    /** Runs the whole simulation on the calling thread and returns its figures. */
    public SimulationResult run() {
        long wallStart = wallNanos.getAsLong();
        SplittableRandom random = new SplittableRandom(settings.seed());
        EventQueue time = new EventQueue();
        LinkConditions links = new LinkConditions(Duration.ofMillis(settings.latencyMs()),
                Duration.ofMillis(settings.jitterMs()), settings.lossRate());
        VirtualNetwork network = new VirtualNetwork(time, new SplittableRandom(settings.seed() ^ NETWORK_SEED), links);
        Population population = new Population(time, network, DhtSettings.defaults(), random.split());
        try {
            Duration spacing = Duration.ofMillis(settings.effectiveJoinSpacingMs());
            int tenth = Math.max(1, settings.nodes() / 10);
            for (int i = 0; i < settings.nodes(); i++) {
                population.start();
                time.advance(spacing);
                if ((i + 1) % tenth == 0) {
                    LOG.info("build-up: {} nodes started, {} events, {} s wall", i + 1, time.executed(),
                            (wallNanos.getAsLong() - wallStart) / 1_000_000_000);
                }
            }
            time.advance(Duration.ofSeconds(settings.warmUpSeconds()));
            long heapAfterBuild = heap.usedAfterGc();
            long wallBuilt = wallNanos.getAsLong();
            long eventsBuilt = time.executed();

            Publishers publishers = new Publishers(keys(population, settings.keys()), settings.publishersPerKey(),
                    settings.seed() ^ PUBLISHER_SEED);
            Workload workload = new Workload(time, population, publishers, settings, random.split());
            Duration phase = Duration.ofMinutes(settings.minutes());
            workload.schedule(phase);
            new Churn(time, population, settings.nodes(), settings.churnPercentPerMin()).schedule(phase);
            for (int minute = 1; minute <= settings.minutes(); minute++) {
                time.advance(Duration.ofMinutes(1));
                LOG.info("minute {}: {} live, {} left; FIND_NODE {} judged, {} failed; FIND_VALUE {} judged, {} failed;"
                        + " {} events, {} s wall", minute, population.size(), population.left(),
                        workload.findNode.judged(), workload.findNode.failed, workload.findValue.judged(),
                        workload.findValue.failed, time.executed(),
                        (wallNanos.getAsLong() - wallStart) / 1_000_000_000);
            }
            time.advance(DRAIN);
            long wallEnd = wallNanos.getAsLong();
            long heapAtEnd = heap.usedAfterGc();
            Replication replication = Replication.of(population, publishers, time.now(), DhtSettings.DEFAULT_K);

            return new SimulationResult(settings, population.size(), population.started(), population.left(),
                    workload.findNode, workload.findValue, workload.storesAccepted, workload.storesRetried,
                    workload.storesFailed,
                    heapAfterBuild, heapAtEnd, eventsBuilt, time.executed(), (wallBuilt - wallStart) / 1_000_000,
                    (wallEnd - wallStart) / 1_000_000, network.stats().sent(), network.stats().droppedByLoss(),
                    network.stats().droppedDetached() + network.stats().refused(), replication,
                    Machine.current());
        } finally {
            population.live().forEach(SimNode::leave);
            time.close();
        }
    }

    private static List<Key> keys(Population population, int n) {
        List<Key> keys = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            keys.add(population.randomKey());
        }
        return keys;
    }
}
