package io.hyphae.itests;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import io.hyphae.api.NodeId;
import io.hyphae.spi.dht.Contact;
import io.hyphae.spi.transport.Endpoint;
import io.hyphae.spi.transport.Frame;
import io.hyphae.spi.transport.InboundHandler;
import io.hyphae.spi.transport.Transport;
import io.hyphae.spi.transport.UnreachablePeerException;
import io.hyphae.wire.Frames;

/**
 * A Transport of a scheme of its own that reaches one pretend peer: it records every request and every handler
 * registration, answers a Ping as {@code peer} and a FIND_NODE with no contacts, and refuses everything else. Lets an
 * itest see what a component does with a transport without a network. Thread safe.
 */
final class StubTransport implements Transport {
    /** A request as it was asked of the transport. */
    record Request(Endpoint to, Frame frame) {
    }

    private final String scheme;
    private final NodeId peer;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<InboundHandler> handlers = new CopyOnWriteArrayList<>();
    private final AtomicBoolean registrationClosed = new AtomicBoolean();

    StubTransport(String scheme, NodeId peer) {
        this.scheme = scheme;
        this.peer = peer;
    }

    @Override
    public String scheme() {
        return scheme;
    }

    /** None: the node cannot be reached through the stub. */
    @Override
    public List<Endpoint> localEndpoints() {
        return List.of();
    }

    @Override
    public int maxFrameBytes() {
        return 64 * 1024;
    }

    @Override
    public CompletionStage<Frame> request(Endpoint to, Frame request, Duration timeout) {
        requests.add(new Request(to, request));
        if (request instanceof Frames.Ping && to.nodeId().equals(peer)) {
            return CompletableFuture.completedFuture(new Frames.Pong(new Contact(peer, List.of(to))));
        }
        if (request instanceof Frames.FindNode) {
            return CompletableFuture.completedFuture(new Frames.Nodes(List.of()));
        }
        return CompletableFuture.failedFuture(new UnreachablePeerException("the stub reaches nobody at " + to));
    }

    @Override
    public CompletionStage<Void> send(Endpoint to, Frame message) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public Registration register(InboundHandler handler) {
        handlers.add(handler);
        return () -> {
            handlers.remove(handler);
            registrationClosed.set(true);
        };
    }

    boolean handlerRegistered() {
        return !handlers.isEmpty();
    }

    boolean registrationClosed() {
        return registrationClosed.get();
    }

    /** The first request of type {@code type} sent to {@code to}, or null. */
    <F extends Frame> F firstRequestTo(Endpoint to, Class<F> type) {
        for (Request r : requests) {
            if (r.to().equals(to) && type.isInstance(r.frame())) {
                return type.cast(r.frame());
            }
        }
        return null;
    }
}
