package io.hyphae.dht;

import io.hyphae.spi.concurrent.Scheduler;
import io.hyphae.spi.dht.Contact;
import io.hyphae.spi.transport.Endpoint;
import io.hyphae.spi.transport.Frame;
import io.hyphae.spi.transport.RequestTimeoutException;
import io.hyphae.spi.transport.Transport;
import io.hyphae.spi.transport.TransportException;
import io.hyphae.spi.transport.UnreachablePeerException;
import io.hyphae.wire.WireFrame;
import io.hyphae.wire.WireLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Sends DHT requests through the transport whose scheme matches each endpoint, trying a contact's endpoints in
 * order. Every request has a deadline of its own, enforced here too, so a transport that never completes cannot hang
 * a lookup. Transports are added and removed from any thread; results complete on whatever thread finished them.
 */
final class Rpc {
    private final Map<String, Transport> byScheme = new ConcurrentHashMap<>();
    private final Scheduler scheduler;
    private final DhtStats stats;
    private final Supplier<Duration> timeout;

    Rpc(Scheduler scheduler, DhtStats stats, Supplier<Duration> timeout) {
        this.scheduler = scheduler;
        this.stats = stats;
        this.timeout = timeout;
    }

    void add(String scheme, Transport transport) {
        byScheme.put(scheme, transport);
    }

    void remove(Transport transport) {
        byScheme.values().removeIf(t -> t == transport);
    }

    boolean reaches(Endpoint endpoint) {
        return byScheme.containsKey(endpoint.scheme());
    }

    /** Endpoints of every bound transport that name {@code self}, at most {@link WireLimits#MAX_ENDPOINTS}. */
    List<Endpoint> localEndpoints(io.hyphae.api.NodeId self) {
        List<Endpoint> out = new ArrayList<>();
        for (Transport t : byScheme.values()) {
            for (Endpoint e : t.localEndpoints()) {
                if (e.nodeId().equals(self) && out.size() < WireLimits.MAX_ENDPOINTS) {
                    out.add(e);
                }
            }
        }
        out.sort((a, b) -> a.toString().compareTo(b.toString()));
        return out;
    }

    /** Asks {@code to} through its first endpoint that answers. */
    CompletableFuture<WireFrame> call(Contact to, WireFrame request) {
        List<Endpoint> usable = new ArrayList<>(to.endpoints().size());
        for (Endpoint e : to.endpoints()) {
            if (reaches(e)) {
                usable.add(e);
            }
        }
        if (usable.isEmpty()) {
            return CompletableFuture.failedFuture(new UnreachablePeerException("no bound transport reaches any "
                    + "endpoint of " + to.nodeId().shortHex()));
        }
        CompletableFuture<WireFrame> result = new CompletableFuture<>();
        attempt(usable, 0, request, result);
        return result;
    }

    private void attempt(List<Endpoint> endpoints, int i, WireFrame request, CompletableFuture<WireFrame> result) {
        call(endpoints.get(i), request).whenComplete((frame, error) -> {
            if (error == null) {
                result.complete(frame);
            } else if (i + 1 < endpoints.size()) {
                attempt(endpoints, i + 1, request, result);
            } else {
                result.completeExceptionally(error);
            }
        });
    }

    /** Asks the node at {@code to}. */
    CompletableFuture<WireFrame> call(Endpoint to, WireFrame request) {
        Transport transport = byScheme.get(to.scheme());
        if (transport == null) {
            return CompletableFuture.failedFuture(new UnreachablePeerException("no transport for " + to));
        }
        Duration deadline = timeout.get();
        CompletableFuture<WireFrame> result = new CompletableFuture<>();
        result.whenComplete((frame, error) -> count(error));
        stats.rpcSent.increment();
        Scheduler.Cancellable guard = scheduler.schedule(deadline.plus(deadline.dividedBy(2)),
                () -> result.completeExceptionally(new RequestTimeoutException("no answer from " + to + " within "
                        + deadline.toMillis() + " ms")));
        try {
            transport.request(to, request, deadline).whenComplete((Frame frame, Throwable error) -> {
                guard.cancel();
                if (error != null) {
                    result.completeExceptionally(unwrap(error));
                } else if (frame instanceof WireFrame wire) {
                    result.complete(wire);
                } else {
                    result.completeExceptionally(new TransportException("answer from " + to + " is not a wire frame"));
                }
            });
        } catch (RuntimeException e) {
            guard.cancel();
            result.completeExceptionally(e);
        }
        return result;
    }

    private void count(Throwable error) {
        if (error instanceof RequestTimeoutException) {
            stats.rpcTimeouts.increment();
        } else if (error != null) {
            stats.rpcFailures.increment();
        }
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
