package io.hyphae.router;

import io.hyphae.spi.concurrent.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first timer of every QoS 1 delivery of one router (its first retry, or its deadline when that comes first) on
 * one scheduled sweep, not a scheduled task per message. Nearly every delivery is acknowledged long before its first
 * timer; a task per message cost a schedule and a cancel on the scheduler's locked queue, each time, for nothing.
 * A delivery that does reach its first timer arms its later ones on the scheduler itself: few do.
 *
 * <p>Entries wait in the order they were added. None is due sooner than {@code minDelayMs} after it was added, so a
 * sweep stops at the first entry added within that time: what comes after was added later still. A sweep drops the
 * finished entries it passes, fires the due ones (after iterating, holding no lock) and arms itself for the next
 * due time it knows, exactly, to the millisecond of the clock. Thread safe and lock free; {@link Entry#onDue} runs
 * on the scheduler.
 */
final class RetrySweep {
    private static final Logger LOG = LoggerFactory.getLogger(RetrySweep.class);

    /** One delivery waiting for its first timer. */
    interface Entry {
        /** When it was added, clock millis. */
        long addedAtMs();

        /** When its first timer fires, clock millis; at least {@code minDelayMs} after {@link #addedAtMs}. */
        long dueMs();

        /** True once it needs no timer any more (acknowledged, failed, closed); the sweep then drops it. */
        boolean finished();

        /** Its time came ({@code nowMs} ≥ {@link #dueMs}); called once, on the scheduler. */
        void onDue(long nowMs);
    }

    private final Scheduler timers;
    private final Clock clock;
    private final long minDelayMs;
    private final ConcurrentLinkedQueue<Entry> waiting = new ConcurrentLinkedQueue<>();
    /** The earliest time a sweep is scheduled for; {@code Long.MAX_VALUE} while none is. */
    private final AtomicLong armedForMs = new AtomicLong(Long.MAX_VALUE);
    private final Runnable sweep = this::sweep;
    private volatile boolean closed;

    /**
     * @param minDelayMs no entry is due sooner than this after it was added (0 makes every sweep walk every entry)
     */
    RetrySweep(Scheduler timers, Clock clock, long minDelayMs) {
        this.timers = timers;
        this.clock = clock;
        this.minDelayMs = Math.max(0, minDelayMs);
    }

    /** Waits for {@code entry}'s first timer. */
    void add(Entry entry) {
        waiting.add(entry);
        arm(entry.dueMs());
    }

    /** Entries waiting, finished ones not yet swept included. */
    int size() {
        return waiting.size();
    }

    /** Drops every entry; no sweep fires any more. */
    void close() {
        closed = true;
        waiting.clear();
    }

    private void arm(long dueMs) {
        long armed;
        while (!closed && dueMs < (armed = armedForMs.get())) {
            if (armedForMs.compareAndSet(armed, dueMs)) {
                // A sweep armed for later stays scheduled: it finds nothing due and costs one walk to the first
                // entry that is not.
                timers.schedule(Duration.ofMillis(Math.max(0, dueMs - clock.millis())), sweep);
                return;
            }
        }
    }

    private void sweep() {
        if (closed) {
            return;
        }
        armedForMs.set(Long.MAX_VALUE); // an entry added from now on arms its own sweep if this one misses it
        long now = clock.millis();
        long next = Long.MAX_VALUE;
        List<Entry> due = null;
        for (Iterator<Entry> it = waiting.iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e.finished()) {
                it.remove();
            } else if (e.dueMs() <= now) {
                it.remove();
                if (due == null) {
                    due = new ArrayList<>();
                }
                due.add(e);
            } else {
                next = Math.min(next, e.dueMs());
                if (e.addedAtMs() + minDelayMs > now) {
                    // Every later entry was added no sooner, so none is due before this bound.
                    next = Math.min(next, e.addedAtMs() + minDelayMs);
                    break;
                }
            }
        }
        if (next != Long.MAX_VALUE) {
            arm(next);
        }
        if (due != null) {
            for (Entry e : due) {
                try {
                    e.onDue(now);
                } catch (RuntimeException failure) {
                    LOG.error("QoS 1 timer of {} failed", e, failure);
                }
            }
        }
    }
}
