package io.hyphae.router;

import io.hyphae.spi.concurrent.VirtualTime;
import io.hyphae.spi.transport.Endpoint;
import io.hyphae.spi.transport.Frame;
import io.hyphae.spi.transport.InboundHandler;
import io.hyphae.spi.transport.Peer;
import io.hyphae.spi.transport.RequestTimeoutException;
import io.hyphae.spi.transport.Transport;
import io.hyphae.spi.transport.UnreachablePeerException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/** A scripted transport on virtual time: records what is sent, fails unreachable endpoints, answers by a function. */
final class FakeTransport implements Transport {
    record Sent(Instant at, Endpoint to, Frame frame, boolean request) {
    }

    private final String scheme;
    private final VirtualTime time;
    final List<Sent> sent = new ArrayList<>();
    final Set<Endpoint> unreachable = new HashSet<>();
    /** Endpoints without a connection yet ({@link #connectedTo} false): sends there wait in {@link #held}. */
    final Set<Endpoint> dialling = new HashSet<>();
    /** Endpoints with a connection whose sends still wait in {@link #held} (a full socket, say). */
    final Set<Endpoint> stalled = new HashSet<>();
    /** Sends waiting for the test to complete or fail them, in order. */
    final List<CompletableFuture<Void>> held = new ArrayList<>();
    final List<InboundHandler> handlers = new ArrayList<>();
    /** Answers a request; null leaves it unanswered until its timeout. */
    Function<Sent, Frame> responder = s -> null;
    /** Fails a request as the peer's error answer would (after 1 ms); null lets the responder answer. */
    Function<Sent, RuntimeException> refuser = s -> null;

    FakeTransport(String scheme, VirtualTime time) {
        this.scheme = scheme;
        this.time = time;
    }

    @Override
    public String scheme() {
        return scheme;
    }

    @Override
    public List<Endpoint> localEndpoints() {
        return List.of();
    }

    @Override
    public synchronized boolean connectedTo(Endpoint to) {
        return !dialling.contains(to);
    }

    @Override
    public int maxFrameBytes() {
        return 2 << 20;
    }

    @Override
    public synchronized CompletionStage<Frame> request(Endpoint to, Frame request, Duration timeout) {
        Sent s = new Sent(time.now(), to, request, true);
        sent.add(s);
        if (unreachable.contains(to)) {
            return CompletableFuture.failedFuture(new UnreachablePeerException("no route to " + to));
        }
        CompletableFuture<Frame> response = new CompletableFuture<>();
        RuntimeException refusal = refuser.apply(s);
        Frame answer = refusal == null ? responder.apply(s) : null;
        if (refusal != null) {
            time.schedule(Duration.ofMillis(1), () -> response.completeExceptionally(refusal));
        } else if (answer != null) {
            time.schedule(Duration.ofMillis(1), () -> response.complete(answer));
        } else {
            time.schedule(timeout, () -> response.completeExceptionally(new RequestTimeoutException("timeout")));
        }
        return response;
    }

    @Override
    public synchronized CompletionStage<Void> send(Endpoint to, Frame message) {
        sent.add(new Sent(time.now(), to, message, false));
        if (unreachable.contains(to)) {
            return CompletableFuture.failedFuture(new UnreachablePeerException("no route to " + to));
        }
        if (dialling.contains(to) || stalled.contains(to)) {
            CompletableFuture<Void> waiting = new CompletableFuture<>();
            held.add(waiting);
            return waiting;
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized Registration register(InboundHandler handler) {
        handlers.add(handler);
        return () -> {
            synchronized (FakeTransport.this) {
                handlers.remove(handler);
            }
        };
    }

    /** A request arrives from {@code from}; answers what the first accepting handler answered. */
    Frame inboundRequest(Peer from, Frame frame) {
        InboundHandler h = handler(frame);
        return h.onRequest(from, frame).toCompletableFuture().join();
    }

    void inboundMessage(Peer from, Frame frame) {
        handler(frame).onMessage(from, frame);
    }

    synchronized List<Sent> requests() {
        return sent.stream().filter(Sent::request).toList();
    }

    private synchronized InboundHandler handler(Frame frame) {
        return handlers.stream().filter(h -> h.accepts(frame)).findFirst()
                .orElseThrow(() -> new AssertionError("no handler accepts " + frame));
    }
}
