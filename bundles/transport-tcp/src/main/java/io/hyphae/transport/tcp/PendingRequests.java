package io.hyphae.transport.tcp;

import io.hyphae.api.NodeId;
import io.hyphae.spi.concurrent.Scheduler;
import io.hyphae.spi.transport.Frame;
import io.hyphae.spi.transport.RequestTimeoutException;
import io.hyphae.spi.transport.TransportException;
import io.hyphae.wire.Frames;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The requests this transport sent and awaits answers to, by request id, each with its deadline on the scheduler.
 * Each request completes exactly once: whoever removes it from the table completes it, outside any lock. A request
 * remembers the connection it was written to, so losing that connection fails it at once instead of at its deadline.
 * Thread safe. Identical in transport-quic and transport-tcp but for the package (see #6 for a shared home).
 */
final class PendingRequests {
    private final Scheduler timers;
    private final LongAdder timedOut;
    private final LongAdder stray;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, Pending> byId = new ConcurrentHashMap<>();

    /** {@code timedOut} and {@code stray} count requests that timed out and responses that matched none. */
    PendingRequests(Scheduler timers, LongAdder timedOut, LongAdder stray) {
        this.timers = timers;
        this.timedOut = timedOut;
        this.stray = stray;
    }

    /** A fresh request id, never 0 (the id of one-way packets). */
    long nextId() {
        return ids.incrementAndGet();
    }

    /** Awaits the answer from {@code peer}, failing with {@link RequestTimeoutException} after {@code timeout}. */
    Pending open(long id, NodeId peer, Frame request, Duration timeout) {
        Pending pending = new Pending(id, peer, request.getClass().getSimpleName(), timeout);
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
     * Completes request {@code id} with {@code response} from {@code from}; an {@link Frames.Error} answer fails it.
     * A response to no pending request, or from another node than the one asked, is counted and dropped.
     */
    void answer(long id, NodeId from, Frame response) {
        Pending pending = byId.get(id);
        if (pending == null || !pending.peer.equals(from) || !byId.remove(id, pending)) {
            stray.increment();
            return;
        }
        pending.timer.cancel();
        if (response instanceof Frames.Error error) {
            pending.result.completeExceptionally(new TransportException(pending.describe() + " was answered "
                    + error.code() + ": " + error.message()));
        } else {
            pending.result.complete(response);
        }
    }

    /** Fails request {@code id} if it is still pending; whether it was. */
    boolean fail(long id, TransportException failure) {
        Pending pending = byId.remove(id);
        if (pending == null) {
            return false;
        }
        pending.timer.cancel();
        pending.result.completeExceptionally(failure);
        return true;
    }

    /** Fails the requests written to {@code connection}. */
    void failWrittenTo(Object connection, Supplier<? extends TransportException> failure) {
        for (Pending pending : byId.values()) {
            if (pending.writtenTo == connection) {
                fail(pending.id, failure.get());
            }
        }
    }

    /** Fails every pending request. */
    void failAll(Supplier<? extends TransportException> failure) {
        for (Long id : byId.keySet()) {
            fail(id, failure.get());
        }
    }

    int size() {
        return byId.size();
    }

    /** One request awaiting its answer. */
    static final class Pending {
        final long id;
        final NodeId peer;
        final CompletableFuture<Frame> result = new CompletableFuture<>();
        private final String type;
        private final Duration timeout;
        private volatile Scheduler.Cancellable timer = () -> { };
        /** The connection the request went out on, once written; compared by identity. */
        volatile Object writtenTo;

        Pending(long id, NodeId peer, String type, Duration timeout) {
            this.id = id;
            this.peer = peer;
            this.type = type;
            this.timeout = timeout;
        }

        String describe() {
            return type + " request " + id + " to " + peer.shortHex();
        }
    }
}
