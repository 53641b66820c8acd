package io.hyphae.spi.concurrent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.PriorityQueue;

/**
 * Deterministic discrete-event time: a {@link Scheduler} and a {@link Clock} that only move when told. Tasks run on
 * the thread that calls {@link #advance} or {@link #runUntilIdle}, in time order and, at equal times, in the order
 * they were scheduled, so a seeded simulation replays exactly. Scheduling is thread safe; running is meant for one
 * driving thread.
 */
public final class VirtualTime implements Scheduler {
    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private final Clock clock = new VirtualClock();
    private long nowNanos;
    private long sequence;
    private long executed;
    private boolean closed;

    /** Starts at {@code start}. */
    public VirtualTime(Instant start) {
        this.nowNanos = start.getEpochSecond() * 1_000_000_000L + start.getNano();
    }

    /** Starts at 2026-01-01T00:00:00Z. */
    public VirtualTime() {
        this(Instant.parse("2026-01-01T00:00:00Z"));
    }

    /** A clock that reads this virtual time. */
    public Clock clock() {
        return clock;
    }

    public synchronized Instant now() {
        return Instant.ofEpochSecond(0, nowNanos);
    }

    @Override
    public synchronized Cancellable schedule(Duration delay, Runnable task) {
        if (closed) {
            return () -> { };
        }
        Task t = new Task(nowNanos + Math.max(0, delay.toNanos()), sequence++, task);
        queue.add(t);
        return () -> t.cancelled = true;
    }

    @Override
    public void execute(Runnable task) {
        schedule(Duration.ZERO, task);
    }

    /** Runs every task due within {@code duration} and leaves the clock at now + duration. */
    public void advance(Duration duration) {
        long until;
        synchronized (this) {
            until = nowNanos + duration.toNanos();
        }
        while (runNext(until)) {
            // each round runs one task outside the lock, so tasks may schedule more
        }
        synchronized (this) {
            nowNanos = Math.max(nowNanos, until);
        }
    }

    /** Runs tasks, moving the clock, until none is left or {@code limit} of virtual time has passed. */
    public void runUntilIdle(Duration limit) {
        advance(limit);
    }

    /** Runs every task due now (including the ones they schedule for now), without moving the clock. */
    public void runDue() {
        advance(Duration.ZERO);
    }

    /** Tasks waiting, including cancelled ones not yet reached. */
    public synchronized int pending() {
        return queue.size();
    }

    /** Tasks run so far. */
    public synchronized long executed() {
        return executed;
    }

    @Override
    public synchronized void close() {
        closed = true;
        queue.clear();
    }

    private boolean runNext(long until) {
        Task next;
        synchronized (this) {
            next = queue.peek();
            if (next == null || next.atNanos > until) {
                return false;
            }
            queue.poll();
            nowNanos = Math.max(nowNanos, next.atNanos);
            if (next.cancelled) {
                return true;
            }
            executed++;
        }
        next.task.run();
        return true;
    }

    private static final class Task implements Comparable<Task> {
        final long atNanos;
        final long seq;
        final Runnable task;
        volatile boolean cancelled;

        Task(long atNanos, long seq, Runnable task) {
            this.atNanos = atNanos;
            this.seq = seq;
            this.task = task;
        }

        @Override
        public int compareTo(Task o) {
            int c = Long.compare(atNanos, o.atNanos);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private final class VirtualClock extends Clock {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now();
        }

        @Override
        public long millis() {
            synchronized (VirtualTime.this) {
                return Math.floorDiv(nowNanos, 1_000_000L);
            }
        }
    }
}
