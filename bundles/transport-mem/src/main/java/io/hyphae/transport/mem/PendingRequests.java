package io.hyphae.transport.mem;

import io.hyphae.api.NodeId;
import io.hyphae.spi.concurrent.Scheduler;
import io.hyphae.spi.transport.Endpoint;
import io.hyphae.spi.transport.Frame;
import io.hyphae.spi.transport.RequestTimeoutException;
import io.hyphae.spi.transport.TransportException;
import io.hyphae.wire.Frames;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The requests a transport sent and awaits answers to, by request id, each with its deadline on the scheduler. Each
 * request completes exactly once: whoever removes it from the table completes it, outside any lock. Thread safe.
 */
final class PendingRequests {
    private final Scheduler scheduler;
    private final MemStats stats;
    private final AtomicLong ids = new AtomicLong();
    private final ConcurrentHashMap<Long, Pending> byId = new ConcurrentHashMap<>();

    PendingRequests(Scheduler scheduler, MemStats stats) {
        this.scheduler = scheduler;
        this.stats = stats;
    }

    /** A fresh request id, never 0 (the id of one-way packets). */
    long nextId() {
        return ids.incrementAndGet();
    }

    /** Awaits the answer to request {@code id} to {@code to}, failing it when none came within {@code timeout}. */
    CompletableFuture<Frame> open(long id, Endpoint to, Frame request, Duration timeout) {
        Pending pending = new Pending(to, request.getClass().getSimpleName(), timeout);
        byId.put(id, pending);
        pending.timer = scheduler.schedule(timeout, () -> expire(id));
        return pending.result;
    }

    /**
     * Completes request {@code id} with {@code response} from {@code from}; an {@link Frames.Error} answer fails it.
     * A response to no pending request, or from another node than the one asked, is counted and dropped.
     */
    void answer(long id, NodeId from, Frame response) {
        Pending pending = byId.get(id);
        if (pending == null || !pending.to.nodeId().equals(from) || !byId.remove(id, pending)) {
            stats.strayResponses.increment();
            return;
        }
        pending.timer.cancel();
        stats.responsesMatched.increment();
        if (response instanceof Frames.Error error) {
            pending.result.completeExceptionally(new TransportException(pending.describe(id) + " was answered "
                    + error.code() + ": " + error.message()));
        } else {
            pending.result.complete(response);
        }
    }

    /** Fails request {@code id}, if it is still pending. */
    void fail(long id, TransportException failure) {
        Pending pending = byId.remove(id);
        if (pending != null) {
            pending.timer.cancel();
            pending.result.completeExceptionally(failure);
        }
    }

    /** Fails every pending request with a fresh failure from {@code failure}. */
    void failAll(Supplier<? extends TransportException> failure) {
        for (Long id : byId.keySet()) {
            fail(id, failure.get());
        }
    }

    int size() {
        return byId.size();
    }

    private void expire(long id) {
        Pending pending = byId.remove(id);
        if (pending != null) {
            stats.timeouts.increment();
            pending.result.completeExceptionally(new RequestTimeoutException(pending.describe(id)
                    + " got no response within " + pending.timeout.toMillis() + " ms"));
        }
    }

    private static final class Pending {
        final Endpoint to;
        final String type;
        final Duration timeout;
        final CompletableFuture<Frame> result = new CompletableFuture<>();
        volatile Scheduler.Cancellable timer = () -> { };

        Pending(Endpoint to, String type, Duration timeout) {
            this.to = to;
            this.type = type;
            this.timeout = timeout;
        }

        String describe(long id) {
            return "request " + id + " (" + type + ") to " + to;
        }
    }
}
