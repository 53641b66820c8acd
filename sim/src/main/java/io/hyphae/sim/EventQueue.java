package io.hyphae.sim;

import io.hyphae.spi.concurrent.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;

/**
 * The simulation's discrete-event time: a {@link Scheduler} and a {@link Clock} that move only when the driving thread
 * {@link #advance advances} them, running tasks in time order and, at equal times, in the order they were scheduled
 * (as {@code io.hyphae.spi.concurrent.VirtualTime} does, so a seeded run replays exactly).
 *
 * <p>Built for millions of tasks, most of them request deadlines that are cancelled when the answer comes: a
 * cancelled task leaves the queue at once (each task knows its place in the heap), and the heap orders primitive
 * arrays, not task objects. Nothing is synchronized: everything, scheduling included, happens on the one thread
 * that made the queue, which is checked.
 */
final class EventQueue implements Scheduler {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final long START_NANOS = START.getEpochSecond() * 1_000_000_000L;
    private static final int INITIAL_CAPACITY = 1 << 12;

    private final Thread owner = Thread.currentThread();
    private final Clock clock = new QueueClock();
    /** A binary heap ordered by (atNanos, seq), in three parallel arrays. */
    private long[] atNanos = new long[INITIAL_CAPACITY];
    private long[] seqs = new long[INITIAL_CAPACITY];
    private Task[] tasks = new Task[INITIAL_CAPACITY];
    private int size;
    private long nowNanos = START_NANOS;
    private long sequence;
    private long executed;
    private boolean closed;

    Clock clock() {
        return clock;
    }

    Instant now() {
        return Instant.ofEpochSecond(0, nowNanos);
    }

    long millis() {
        return Math.floorDiv(nowNanos, 1_000_000L);
    }

    /** Tasks run so far. */
    long executed() {
        return executed;
    }

    /** Tasks waiting. */
    int pending() {
        return size;
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        confined();
        if (closed) {
            return () -> { };
        }
        Task t = new Task(task);
        long at = nowNanos + Math.max(0, delay.toNanos());
        if (size == tasks.length) {
            grow();
        }
        place(size++, at, sequence++, t);
        siftUp(size - 1);
        return t;
    }

    @Override
    public void execute(Runnable task) {
        schedule(Duration.ZERO, task);
    }

    /** Runs every task due within {@code duration} and leaves the clock at now + duration. */
    void advance(Duration duration) {
        confined();
        long until = nowNanos + duration.toNanos();
        while (size > 0 && atNanos[0] <= until) {
            Task next = tasks[0];
            nowNanos = Math.max(nowNanos, atNanos[0]);
            removeAt(0);
            executed++;
            next.task.run();
        }
        nowNanos = Math.max(nowNanos, until);
    }

    @Override
    public void close() {
        closed = true;
        for (int i = 0; i < size; i++) {
            tasks[i].index = -1;
            tasks[i] = null;
        }
        size = 0;
    }

    private void confined() {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("the simulation's event queue is confined to " + owner.getName()
                    + "; " + Thread.currentThread().getName() + " used it");
        }
    }

    private void removeAt(int i) {
        Task removed = tasks[i];
        removed.index = -1;
        int last = --size;
        if (i != last) {
            place(i, atNanos[last], seqs[last], tasks[last]);
            tasks[last] = null;
            siftDown(i);
            siftUp(i); // the last task may belong above or below the place it fills
        } else {
            tasks[last] = null;
        }
    }

    private void siftUp(int i) {
        long at = atNanos[i];
        long seq = seqs[i];
        Task t = tasks[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(at, seq, atNanos[parent], seqs[parent])) {
                break;
            }
            place(i, atNanos[parent], seqs[parent], tasks[parent]);
            i = parent;
        }
        place(i, at, seq, t);
    }

    private void siftDown(int i) {
        long at = atNanos[i];
        long seq = seqs[i];
        Task t = tasks[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && before(atNanos[right], seqs[right], atNanos[child], seqs[child])) {
                child = right;
            }
            if (!before(atNanos[child], seqs[child], at, seq)) {
                break;
            }
            place(i, atNanos[child], seqs[child], tasks[child]);
            i = child;
        }
        place(i, at, seq, t);
    }

    private static boolean before(long atA, long seqA, long atB, long seqB) {
        return atA < atB || (atA == atB && seqA < seqB);
    }

    private void place(int i, long at, long seq, Task t) {
        atNanos[i] = at;
        seqs[i] = seq;
        tasks[i] = t;
        t.index = i;
    }

    private void grow() {
        int capacity = tasks.length * 2;
        atNanos = Arrays.copyOf(atNanos, capacity);
        seqs = Arrays.copyOf(seqs, capacity);
        tasks = Arrays.copyOf(tasks, capacity);
    }

    /** A scheduled task; cancelling it takes it out of the heap. */
    private final class Task implements Cancellable {
        final Runnable task;
        /** Place in the heap, -1 once run or cancelled. */
        int index = -1;

        Task(Runnable task) {
            this.task = task;
        }

        @Override
        public void cancel() {
            confined();
            if (index >= 0) {
                removeAt(index);
            }
        }
    }

    private final class QueueClock extends Clock {
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
            return EventQueue.this.millis();
        }
    }
}
