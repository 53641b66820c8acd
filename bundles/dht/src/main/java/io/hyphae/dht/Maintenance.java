package io.hyphae.dht;

import io.hyphae.spi.concurrent.Scheduler;
import io.hyphae.spi.dht.Contact;
import io.hyphae.spi.dht.Key;
import io.hyphae.spi.dht.Record;
import io.hyphae.wire.Frames;
import io.hyphae.wire.WireLimits;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The periodic work of a node: sweeping expired records, refreshing buckets idle for {@code refreshIntervalMs},
 * re-joining when the routing table emptied, and replication: held records are pushed to the current k nearest every
 * {@code republishIntervalMs}, and at once to a node that joins among the k nearest of a held key. Runs on the node's
 * serial scheduler; at most {@value #PARALLEL} maintenance lookups run at a time.
 */
final class Maintenance {
    static final int PARALLEL = 2;
    private final DhtCore core;
    private final Deque<Runnable> queue = new ArrayDeque<>();
    private final List<Periodic> timers = new ArrayList<>();
    private Joiner joiner;
    private int running;

    Maintenance(DhtCore core) {
        this.core = core;
    }

    void start(Joiner joiner) {
        this.joiner = joiner;
        DhtSettings s = core.settings;
        long tickMs = Math.max(1_000, Math.min(s.refreshIntervalMs() / 4, 60_000));
        every(tickMs, this::tick);
        every(s.republishIntervalMs(), this::republishAll);
    }

    void stop() {
        timers.forEach(p -> p.next.cancel());
        timers.clear();
        queue.clear();
    }

    private void every(long periodMs, Runnable task) {
        Periodic periodic = new Periodic(periodMs, task);
        // a random phase per node keeps 10,000 simulated nodes from ticking at the same instant
        long first = periodMs / 2 + core.random.nextLong(periodMs / 2 + 1);
        periodic.next = core.scheduler.schedule(Duration.ofMillis(first), periodic);
        timers.add(periodic);
    }

    /** A task run every period until {@link #stop}. */
    private final class Periodic implements Runnable {
        private final long periodMs;
        private final Runnable task;
        private Scheduler.Cancellable next;

        Periodic(long periodMs, Runnable task) {
            this.periodMs = periodMs;
            this.task = task;
        }

        @Override
        public void run() {
            if (!core.closed) {
                task.run();
                next = core.scheduler.schedule(Duration.ofMillis(periodMs), this);
            }
        }
    }

    private void tick() {
        int expired = core.store.expire(core.now());
        core.stats.recordsExpired.add(expired);
        if (core.table.size() == 0 && !core.settings.bootstrap().isEmpty()) {
            joiner.join();
            return;
        }
        for (int index : core.table.idleBuckets(core.clock.millis(), core.settings.refreshIntervalMs())) {
            Key target = Xor.randomInBucket(core.localId, index, core.random);
            enqueue(() -> core.lookup(target, false).whenComplete((r, e) -> done()));
        }
    }

    /**
     * Refreshes every bucket below {@code index} (after a join: those the self-lookup did not fill), nearest first.
     * A bucket that is full by the time its turn comes (requests from other nodes fill the far ones) is skipped.
     */
    void refreshBelow(int index) {
        for (int i = Math.min(index, Xor.BITS) - 1; i >= 0; i--) {
            int bucket = i;
            enqueue(() -> {
                if (core.table.bucketSize(bucket) >= core.settings.k()) {
                    done();
                    return;
                }
                Key target = Xor.randomInBucket(core.localId, bucket, core.random);
                core.lookup(target, false).whenComplete((r, e) -> done());
            });
        }
    }

    private void republishAll() {
        for (Key key : core.store.keys()) {
            enqueue(() -> core.lookup(key, false).whenComplete((result, error) -> {
                if (result != null) {
                    List<Record> live = core.store.live(key, core.now());
                    for (Contact c : result.closest()) {
                        push(c, live);
                    }
                }
                done();
            }));
        }
    }

    /**
     * A contact joined the routing table: give it the held records of keys it is now among the k nearest of, when
     * this node is among them too. A holder no longer among the k nearest, or still joining (its table is too thin
     * to tell who is near a key), leaves that to the nodes that are: they would otherwise push to contacts far from
     * the key, and those keep a replica no lookup needs (#4).
     */
    void added(Contact contact) {
        if (core.store.size() == 0 || joiner == null || !joiner.joined()) {
            return;
        }
        int k = core.settings.k();
        List<Record> records = new ArrayList<>();
        for (Key key : core.store.keys()) {
            List<Contact> closest = core.table.closest(key, k);
            if (closest.size() >= k && Xor.compare(key, core.localId, closest.get(k - 1).nodeId()) > 0) {
                continue;
            }
            for (Contact c : closest) {
                if (c.nodeId().equals(contact.nodeId())) {
                    records.addAll(core.store.live(key, core.now()));
                    break;
                }
            }
        }
        push(contact, records);
    }

    private void push(Contact to, List<Record> records) {
        for (int i = 0; i < records.size(); i += WireLimits.MAX_RECORDS) {
            List<Record> page = records.subList(i, Math.min(records.size(), i + WireLimits.MAX_RECORDS));
            core.stats.republished.add(page.size());
            core.rpc.call(to, new Frames.Store(core.self(), page));
        }
    }

    private void enqueue(Runnable lookup) {
        queue.addLast(lookup);
        next();
    }

    private void done() {
        running--;
        next();
    }

    private void next() {
        while (running < PARALLEL && !queue.isEmpty() && !core.closed) {
            running++;
            queue.pollFirst().run();
        }
    }
}
