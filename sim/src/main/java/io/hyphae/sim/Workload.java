package io.hyphae.sim;

import io.hyphae.api.NodeId;
import io.hyphae.dht.LookupResult;
import io.hyphae.spi.dht.Contact;
import io.hyphae.spi.dht.Key;
import io.hyphae.spi.dht.Record;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * What the nodes are asked to do during the measured phase, all scheduled on the {@link EventQueue} up front:
 * <ul>
 * <li>every publisher stores its record under its key at the start, through a random joined node, and again every
 * half record TTL with the next seq (as the advertisement service re-advertises). A store that fails (its node
 * left while storing) is made again through another node: the publisher itself is still there;</li>
 * <li>FIND_NODE lookups for random targets from random joined nodes, at random times over the phase. Success: the
 * nearest node the lookup returns is at least as near to the target as the nearest node that was live all along
 * (started before the lookup did and still live when it ended), the asker aside;</li>
 * <li>FIND_VALUE lookups of random stored keys from random joined nodes, at random times from 30 s into the phase.
 * Success: a live record of every publisher of the key is among those returned.</li>
 * </ul>
 * A lookup whose asker left before it ended is aborted and not judged. Runs on the thread driving the time.
 */
final class Workload {
    private static final Duration FIRST_VALUE_LOOKUP = Duration.ofSeconds(30);
    private static final int STORE_ATTEMPTS = 3;

    private final EventQueue time;
    private final Population population;
    private final Publishers publishers;
    private final SimulationSettings settings;
    private final SplittableRandom random;
    final LookupTally findNode = new LookupTally();
    final LookupTally findValue = new LookupTally();
    long storesAccepted;
    long storesRetried;
    long storesFailed;

    Workload(EventQueue time, Population population, Publishers publishers, SimulationSettings settings,
             SplittableRandom random) {
        this.time = time;
        this.population = population;
        this.publishers = publishers;
        this.settings = settings;
        this.random = random;
    }

    /** Schedules the whole workload of a phase of {@code phase}, starting now. */
    void schedule(Duration phase) {
        long phaseMs = phase.toMillis();
        for (int k = 0; k < publishers.keyCount(); k++) {
            for (int p = 0; p < publishers.perKey(); p++) {
                int key = k;
                int publisher = p;
                // publishers start a few seconds apart, not all at the same instant
                time.schedule(Duration.ofMillis(random.nextLong(5_000)), () -> republishUntil(key, publisher,
                        time.millis() + phaseMs));
            }
        }
        for (int i = 0; i < settings.lookups(); i++) {
            time.schedule(Duration.ofMillis(random.nextLong(phaseMs)), this::findNode);
        }
        long valueStart = Math.min(FIRST_VALUE_LOOKUP.toMillis(), phaseMs / 2);
        for (int i = 0; i < settings.valueLookups(); i++) {
            time.schedule(Duration.ofMillis(valueStart + random.nextLong(phaseMs - valueStart)), this::findValue);
        }
    }

    private void republishUntil(int k, int p, long endMs) {
        store(publishers.next(k, p, time.now(), settings.recordTtlSeconds()), STORE_ATTEMPTS);
        long periodMs = settings.recordTtlSeconds() * 1_000 / 2;
        if (time.millis() + periodMs < endMs) {
            time.schedule(Duration.ofMillis(periodMs), () -> republishUntil(k, p, endMs));
        }
    }

    private void store(Record record, int attempts) {
        population.randomJoined().dht.store(record).whenComplete((accepted, error) -> {
            if (error == null) {
                storesAccepted++;
            } else if (attempts > 1) {
                storesRetried++;
                store(record, attempts - 1);
            } else {
                storesFailed++;
            }
        });
    }

    private void findNode() {
        SimNode asker = population.randomJoined();
        Key target = population.randomKey();
        long startMs = time.millis();
        findNode.started();
        asker.dht.lookupNodes(target).whenComplete((result, error) -> {
            if (!asker.live()) {
                findNode.aborted();
            } else if (error != null) {
                findNode.error();
            } else {
                findNode.ended(result.stats(), 0, foundNearest(result, target, startMs, asker.id()));
            }
        });
    }

    private boolean foundNearest(LookupResult result, Key target, long startMs, NodeId asker) {
        NodeId truth = population.nearestLive(target, startMs, asker);
        if (truth == null) {
            return true;
        }
        if (result.closest().isEmpty()) {
            return false;
        }
        Contact found = result.closest().get(0);
        return Distance.compare(target, found.nodeId(), truth) <= 0;
    }

    private void findValue() {
        SimNode asker = population.randomJoined();
        int k = random.nextInt(publishers.keyCount());
        Set<NodeId> expected = publishers.publishersOf(k);
        findValue.started();
        asker.dht.lookupValue(publishers.key(k)).whenComplete((result, error) -> {
            if (!asker.live()) {
                findValue.aborted();
            } else if (error != null) {
                findValue.error();
            } else {
                Set<NodeId> found = new HashSet<>();
                for (Record r : result.records()) {
                    found.add(r.publisher());
                }
                findValue.ended(result.stats(), result.records().size(), found.containsAll(expected));
            }
        });
    }
}
