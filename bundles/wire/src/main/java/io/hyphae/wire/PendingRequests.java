package io.hyphae.wire;

import io.hyphae.api.NodeId;
import io.hyphae.spi.concurrent.Scheduler;
import io.hyphae.spi.transport.Frame;
import io.hyphae.spi.transport.RequestTimeoutException;
import io.hyphae.spi.transport.TransportException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The requests a transport sent and awaits answers to, by request id, each with its deadline. Each request completes
 * exactly once: whoever removes it from the table completes it, outside any lock. A request may remember the
 * connection it was written to ({@link Pending#writtenTo(Object)}), so losing that connection fails it at once
 * instead of at its deadline.
 *
 * <p>Deadlines run in one of two ways. Made with a scheduler only, each request gets a timer of its own, which fires
 * at its deadline exactly (what virtual-time tests and simulations want). Made with a {@link Clock} and a sweep
 * period, requests get no timer: a sweep, scheduled only while requests are pending, fails every request whose
 * deadline passed, so a request times out at most one period late and never early. A network transport answers
 * hundreds of thousands of requests a second; a timer per request cost a scheduler insertion and a cancellation,
 * each under the scheduler's one lock, which the sending thread and the event loop then fought over (bench/, #6).
 *
 * <p>Thread safe: every method may be called from any thread (callers, event loops, the timer). Results complete
 * on the thread that answers, fails or times the request out, so continuations must not block.
 */
public final class PendingRequests {
    private final Scheduler timers;
    private final Clock clock; // null: a timer per request
    private final Duration sweepEvery;
    private final LongAdder timedOut;
    private final LongAdder stray;
    private final AtomicLong ids = new AtomicLong();
    private final RequestTable<Pending> byId = new RequestTable<>();
    private final AtomicBoolean sweepScheduled = new AtomicBoolean();
    private final Runnable sweep = this::sweep;

    /**
     * A table whose deadlines are timers on {@code timers}, one per request, each firing at its deadline exactly;
     * {@code timedOut} counts requests that got no answer in time, {@code stray} responses that matched no pending
     * request.
     */
    public PendingRequests(Scheduler timers, LongAdder timedOut, LongAdder stray) {
        this(timers, null, Duration.ZERO, timedOut, stray);
    }

    /**
     * A table whose deadlines are read from {@code clock} by a sweep on {@code timers} every {@code sweepEvery}
     * while requests are pending: a request fails at its deadline or at most {@code sweepEvery} later. Counters as
     * in {@link #PendingRequests(Scheduler, LongAdder, LongAdder)}.
     */
    public PendingRequests(Scheduler timers, Clock clock, Duration sweepEvery, LongAdder timedOut, LongAdder stray) {
        this.timers = Objects.requireNonNull(timers, "timers");
        this.clock = clock;
        this.sweepEvery = Objects.requireNonNull(sweepEvery, "sweepEvery");
        this.timedOut = Objects.requireNonNull(timedOut, "timedOut");
        this.stray = Objects.requireNonNull(stray, "stray");
        if (clock != null && (sweepEvery.isNegative() || sweepEvery.isZero())) {
            throw new IllegalArgumentException("sweepEvery must be positive: " + sweepEvery);
        }
    }

    /** A fresh request id, never 0 (the id of one-way packets). */
    public long nextId() {
        return ids.incrementAndGet();
    }

    /**
     * Awaits the answer to request {@code id} (not 0; best from {@link #nextId()}) from {@code peer}; its result
     * fails with {@link RequestTimeoutException} when none came within {@code timeout}.
     *
     * @throws IllegalArgumentException when {@code id} is 0, the id of one-way packets
     */
    public Pending open(long id, NodeId peer, Frame request, Duration timeout) {
        long timeoutMs = timeout.toMillis();
        if (clock == null) {
            Pending pending = new Pending(id, peer, request, timeoutMs, 0);
            byId.put(id, pending);
            pending.timer = timers.schedule(timeout, () -> expire(pending));
            return pending;
        }
        // +1: the clock ticks in whole milliseconds, the time the request was sent at had a fraction of one more
        Pending pending = new Pending(id, peer, request, timeoutMs, clock.millis() + timeoutMs + 1);
        byId.put(id, pending);
        if (!sweepScheduled.get() && sweepScheduled.compareAndSet(false, true)) {
            timers.schedule(sweepEvery, sweep);
        }
        return pending;
    }

    /** Fails every request whose deadline passed; again after {@code sweepEvery} while any is pending. Timer. */
    private void sweep() {
        long now = clock.millis();
        for (Pending pending : byId.values()) {
            if (now >= pending.deadlineMs) {
                expire(pending);
            }
        }
        sweepScheduled.set(false);
        // A request opened after the set above schedules a sweep itself; one opened before it is seen here.
        if (!byId.isEmpty() && sweepScheduled.compareAndSet(false, true)) {
            timers.schedule(sweepEvery, sweep);
        }
    }

    private void expire(Pending pending) {
        if (fail(pending.id, new RequestTimeoutException(pending.describe() + " got no answer within "
                + pending.timeoutMs + " ms"))) {
            timedOut.increment();
        }
    }

    /**
     * Completes request {@code id} with {@code response} from {@code from}; an {@link Frames.Error} answer fails it
     * with a {@link RemoteErrorException} of its code. A response to no pending request, or from another node than
     * the one asked, is counted as stray and dropped.
     *
     * @return whether the response matched a pending request
     */
    public boolean answer(long id, NodeId from, Frame response) {
        Pending pending = byId.get(id);
        if (pending == null || !pending.peer.equals(from) || !byId.remove(id, pending)) {
            stray.increment();
            return false;
        }
        pending.timer.cancel();
        if (response instanceof Frames.Error error) {
            pending.result.completeExceptionally(new RemoteErrorException(error.code(), pending.describe()
                    + " was answered " + error.code() + ": " + error.message()));
        } else {
            pending.result.complete(response);
        }
        return true;
    }

    /** Fails request {@code id} with {@code failure} if it is still pending; whether it was. */
    public boolean fail(long id, TransportException failure) {
        Pending pending = byId.remove(id);
        if (pending == null) {
            return false;
        }
        pending.timer.cancel();
        pending.result.completeExceptionally(failure);
        return true;
    }

    /** Fails the requests written to {@code connection} (compared by identity), each with a fresh failure. */
    public void failWrittenTo(Object connection, Supplier<? extends TransportException> failure) {
        for (Pending pending : byId.values()) {
            if (pending.writtenTo == connection) {
                fail(pending.id, failure.get());
            }
        }
    }

    /** Fails every pending request, each with a fresh failure. */
    public void failAll(Supplier<? extends TransportException> failure) {
        for (Pending pending : byId.values()) {
            fail(pending.id, failure.get());
        }
    }

    /** How many requests await their answer. */
    public int size() {
        return byId.size();
    }

    /** One request awaiting its answer. Thread safe. */
    public static final class Pending {
        private static final Scheduler.Cancellable NO_TIMER = () -> { };
        private final long id;
        private final NodeId peer;
        private final Class<?> type;
        private final long timeoutMs;
        private final long deadlineMs; // by the clock of a sweeping table
        private final CompletableFuture<Frame> result = new CompletableFuture<>();
        private volatile Scheduler.Cancellable timer = NO_TIMER;
        private volatile Object writtenTo;

        private Pending(long id, NodeId peer, Frame request, long timeoutMs, long deadlineMs) {
            this.id = id;
            this.peer = peer;
            this.type = request.getClass();
            this.timeoutMs = timeoutMs;
            this.deadlineMs = deadlineMs;
        }

        /** The request id. */
        public long id() {
            return id;
        }

        /** The answer, or the failure; completes once. */
        public CompletableFuture<Frame> result() {
            return result;
        }

        /** Notes the connection the request went out on, so {@link #failWrittenTo} finds it. */
        public void writtenTo(Object connection) {
            writtenTo = connection;
        }

        String describe() {
            return type.getSimpleName() + " request " + id + " to " + peer.shortHex();
        }
    }
}
