package io.hyphae.dht;

import io.hyphae.spi.concurrent.Scheduler;
import io.hyphae.spi.dht.Contact;
import io.hyphae.spi.transport.Endpoint;
import io.hyphae.spi.transport.Frame;
import io.hyphae.spi.transport.RequestTimeoutException;
import io.hyphae.spi.transport.Transport;
import io.hyphae.spi.transport.TransportException;
import io.hyphae.spi.transport.UnreachablePeerException;
import io.hyphae.wire.OvertakenDials;
import io.hyphae.wire.WireFrame;
import io.hyphae.wire.WireLimits;
import java.time.Clock;
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
    private final OvertakenDials overtaken;

    Rpc(Clock clock, Scheduler scheduler, DhtStats stats, Supplier<Duration> timeout) {
        this.scheduler = scheduler;
        this.stats = stats;
        this.timeout = timeout;
        this.overtaken = new OvertakenDials(clock);
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

    /**
     * Asks {@code to} through its first endpoint that answers, in order (those whose dial lost a race lately last). An
     * endpoint whose transport is still dialling the node gets {@link Transport#CONNECTION_ATTEMPT_DELAY}; then the
     * next one is asked too, and the first answer wins (a DHT request may be answered twice: asking again changes
     * nothing). Fails with the last failure once every endpoint failed.
     */
    CompletableFuture<WireFrame> call(Contact to, WireFrame request) {
        List<Endpoint> usable = new ArrayList<>(to.endpoints().size());
        List<Endpoint> overtakenLast = null;
        for (Endpoint e : to.endpoints()) {
            if (!reaches(e)) {
                continue;
            }
            if (overtaken.contains(e)) {
                if (overtakenLast == null) {
                    overtakenLast = new ArrayList<>(2);
                }
                overtakenLast.add(e);
            } else {
                usable.add(e);
            }
        }
        if (overtakenLast != null) {
            usable.addAll(overtakenLast);
        }
        if (usable.isEmpty()) {
            return CompletableFuture.failedFuture(new UnreachablePeerException("no bound transport reaches any "
                    + "endpoint of " + to.nodeId().shortHex()));
        }
        return new EndpointRace(usable, request).next();
    }

    /** One request to one contact over its endpoints, in order, racing those still being dialled. */
    private final class EndpointRace {
        private final List<Endpoint> endpoints;
        private final WireFrame request;
        private final CompletableFuture<WireFrame> result = new CompletableFuture<>();
        // Guarded by this.
        private int asked;
        private int failed;

        EndpointRace(List<Endpoint> endpoints, WireFrame request) {
            this.endpoints = endpoints;
            this.request = request;
        }

        /** Asks the next endpoint, unless the answer came or every endpoint was asked; answers the result. */
        CompletableFuture<WireFrame> next() {
            int i;
            synchronized (this) {
                if (result.isDone() || asked == endpoints.size()) {
                    return result;
                }
                i = asked++;
            }
            Endpoint endpoint = endpoints.get(i);
            CompletableFuture<WireFrame> answer = call(endpoint, request);
            answer.whenComplete(this::ended);
            if (!answer.isDone() && i + 1 < endpoints.size() && !connectedTo(endpoint)) {
                scheduler.schedule(Transport.CONNECTION_ATTEMPT_DELAY, () -> raceAfter(i, answer));
            }
            return result;
        }

        /** Endpoint {@code i} has had its time ({@code answer} still waits): ask the next one unless that happened. */
        private void raceAfter(int i, CompletableFuture<WireFrame> answer) {
            synchronized (this) {
                if (result.isDone() || asked != i + 1) {
                    return; // answered, or it failed and the next endpoint was asked already
                }
            }
            stats.rpcRaced.increment();
            overtaken.add(endpoints.get(i), answer);
            next();
        }

        private void ended(WireFrame frame, Throwable error) {
            if (error == null) {
                result.complete(frame);
                return;
            }
            boolean last;
            boolean askNext;
            synchronized (this) {
                failed++;
                last = failed == endpoints.size();
                askNext = failed == asked && !last; // nothing of ours is in flight any more
            }
            if (last) {
                result.completeExceptionally(error);
            } else if (askNext) {
                next();
            }
        }
    }

    private boolean connectedTo(Endpoint endpoint) {
        Transport transport = byScheme.get(endpoint.scheme());
        return transport == null || transport.connectedTo(endpoint);
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
