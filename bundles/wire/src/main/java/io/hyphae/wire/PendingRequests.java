package io.hyphae.wire;

import io.hyphae.api.NodeId;
import io.hyphae.spi.concurrent.Scheduler;
import io.hyphae.spi.transport.Frame;
import io.hyphae.spi.transport.RequestTimeoutException;
import io.hyphae.spi.transport.TransportException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The requests a transport sent and awaits answers to, by request id, each with its deadline on the scheduler.
 * Each request completes exactly once: whoever removes it from the table completes it, outside any lock. A request
 * may remember the connection it was written to ({@link Pending#writtenTo(Object)}), so losing that connection
 * fails it at once instead of at its deadline.
 *
 * <p>Thread safe: every method may be called from any thread (callers, event loops, the timer). Results complete
 * on the thread that answers, fails or times the request out, so continuations must not block.
 */
public final class PendingRequests {
    private final Scheduler timers;
    private final LongAdder timedOut;
    private final LongAdder stray;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, Pending> byId = new ConcurrentHashMap<>();

    /**
     * A table whose deadlines run on {@code timers}; {@code timedOut} counts requests that got no answer in time,
     * {@code stray} responses that matched no pending request.
     */
    public PendingRequests(Scheduler timers, LongAdder timedOut, LongAdder stray) {
        this.timers = Objects.requireNonNull(timers, "timers");
        this.timedOut = Objects.requireNonNull(timedOut, "timedOut");
        this.stray = Objects.requireNonNull(stray, "stray");
    }

    /** A fresh request id, never 0 (the id of one-way packets). */
    public long nextId() {
        return ids.incrementAndGet();
    }

    /**
     * Awaits the answer to request {@code id} from {@code peer}; its result fails with
     * {@link RequestTimeoutException} when none came within {@code timeout}.
     */
    public Pending open(long id, NodeId peer, Frame request, Duration timeout) {
        Pending pending = new Pending(id, peer, request.getClass().getSimpleName());
        byId.put(id, pending);
        pending.timer = timers.schedule(timeout, () -> {
            if (fail(id, new RequestTimeoutException(pending.describe() + " got no answer within "
                    + timeout.toMillis() + " ms"))) {
                timedOut.increment();
            }
        });
        return pending;
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
        for (Long id : byId.keySet()) {
            fail(id, failure.get());
        }
    }

    /** How many requests await their answer. */
    public int size() {
        return byId.size();
    }

    /** One request awaiting its answer. Thread safe. */
    public static final class Pending {
        private final long id;
        private final NodeId peer;
        private final String type;
        private final CompletableFuture<Frame> result = new CompletableFuture<>();
        private volatile Scheduler.Cancellable timer = () -> { };
        private volatile Object writtenTo;

        private Pending(long id, NodeId peer, String type) {
            this.id = id;
            this.peer = peer;
            this.type = type;
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
            return type + " request " + id + " to " + peer.shortHex();
        }
    }
}
