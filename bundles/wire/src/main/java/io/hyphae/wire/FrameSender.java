package io.hyphae.wire;

import io.hyphae.spi.transport.Endpoint;
import io.hyphae.spi.transport.Frame;
import io.hyphae.spi.transport.Transport;
import io.hyphae.spi.transport.TransportClosedException;
import io.hyphae.spi.transport.TransportException;
import io.hyphae.spi.transport.UnreachablePeerException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sending half of a connection-per-peer transport, {@link Transport#request} and {@link Transport#send}: checks
 * the endpoint and the frame on the caller's thread, encodes the packet there (a route is laid out later, by the
 * stream it goes on: {@link RouteAliases.Out}), opens the request in the {@link PendingRequests} table, and hands the packet to the peer's {@link Link}, dialled first when there is none.
 * A peer already connected costs no continuation: the packet goes to its link at once. Failures are
 * {@link TransportException}s in the returned stage, never thrown.
 *
 * <p>Thread safe; stages complete on the threads that decide them (the transport's network threads, its timer),
 * so continuations must not block.
 *
 * @param <C> the transport's connection
 */
public final class FrameSender<C extends FrameSender.Link> {
    private static final Logger LOG = LoggerFactory.getLogger(FrameSender.class);
    private final String scheme;
    private final FrameCodec codec;
    private final PendingRequests pending;
    private final LongAdder refusedBySize;
    private final Links<C> links;
    private final BooleanSupplier closed;

    /**
     * A sender of {@code scheme} endpoints that dials through {@code links}; {@code refusedBySize} counts frames the
     * wire limits refused, {@code closed} says whether the transport closed.
     */
    public FrameSender(String scheme, FrameCodec codec, PendingRequests pending, LongAdder refusedBySize,
            Links<C> links, BooleanSupplier closed) {
        this.scheme = Objects.requireNonNull(scheme, "scheme");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.pending = Objects.requireNonNull(pending, "pending");
        this.refusedBySize = Objects.requireNonNull(refusedBySize, "refusedBySize");
        this.links = Objects.requireNonNull(links, "links");
        this.closed = Objects.requireNonNull(closed, "closed");
    }

    /** {@link Transport#request}: the answer, or a failure (timeout, unreachable, refused, remote error). */
    public CompletionStage<Frame> request(Endpoint to, Frame request, Duration timeout) {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(timeout, "timeout");
        long id = pending.nextId();
        OutboundPacket packet;
        try {
            Packet framed = Packet.request(id, wireFrame(request));
            int routeLength = routeLength(to, framed);
            packet = routeLength >= 0 ? new RequestPacket(framed, routeLength, id)
                    : new RequestPacket(encode(to, framed), id);
        } catch (TransportException e) {
            return CompletableFuture.failedFuture(e);
        }
        PendingRequests.Pending waiting = pending.open(id, to.nodeId(), request, timeout);
        if (closed.getAsBoolean()) {
            pending.fail(id, closedFailure());
        }
        CompletableFuture<C> link = links.to(to);
        C known = established(link);
        if (known != null) { // the usual case: no continuation to allocate and run
            writeRequest(known, waiting, packet);
        } else {
            link.whenComplete((dialled, failure) -> {
                if (failure != null) {
                    pending.fail(id, unreachable(to, failure));
                } else {
                    writeRequest(dialled, waiting, packet);
                }
            });
        }
        return waiting.result();
    }

    /** {@link Transport#send}: completes when the frame was handed to the network. */
    public CompletionStage<Void> send(Endpoint to, Frame message) {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        send(to, message, (ok, failure) -> {
            if (failure != null) {
                sent.completeExceptionally(failure);
            } else {
                sent.complete(null);
            }
        });
        return sent;
    }

    /**
     * {@link Transport#send(Endpoint, Frame, BiConsumer)}: tells {@code outcome} once, with a null failure when the
     * frame was handed to the network, else with the {@link TransportException}.
     */
    public void send(Endpoint to, Frame message, BiConsumer<? super Void, ? super Throwable> outcome) {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(outcome, "outcome");
        OutboundPacket packet;
        try {
            Packet framed = Packet.oneWay(wireFrame(message));
            int routeLength = routeLength(to, framed);
            packet = routeLength >= 0 ? new Told(framed, routeLength, outcome) : new Told(encode(to, framed), outcome);
        } catch (TransportException e) {
            tell(outcome, e);
            return;
        }
        CompletableFuture<C> link = links.to(to);
        C known = established(link);
        if (known != null) { // the usual case; a write fails with TransportExceptions only
            known.write(packet);
            return;
        }
        link.whenComplete((dialled, failure) -> {
            if (failure != null) {
                tell(outcome, unreachable(to, failure));
            } else {
                dialled.write(packet);
            }
        });
    }

    /**
     * {@code failure} as the {@link TransportException} a caller should see: itself, or its cause, when it is one;
     * else an {@link UnreachablePeerException} naming {@code to}.
     */
    public static TransportException unreachable(Endpoint to, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof TransportException transport) {
            return transport;
        }
        return new UnreachablePeerException("cannot reach " + to + ": " + cause, cause);
    }

    private void writeRequest(C link, PendingRequests.Pending waiting, OutboundPacket packet) {
        waiting.writtenTo(link);
        link.write(packet);
    }

    /**
     * The length in full of {@code packet} when it is a route its stream lays out itself (encoded on the stream's
     * thread, straight into its buffer); -1 for a packet to {@link #encode} here.
     */
    private int routeLength(Endpoint to, Packet packet) {
        check(to);
        try {
            return codec.routeLength(packet);
        } catch (WireException e) {
            throw refused(to, e);
        }
    }

    private byte[] encode(Endpoint to, Packet packet) {
        check(to);
        try {
            return codec.encode(packet);
        } catch (WireException e) {
            throw refused(to, e);
        }
    }

    private void check(Endpoint to) {
        if (closed.getAsBoolean()) {
            throw closedFailure();
        }
        if (!scheme.equals(to.scheme())) {
            throw new TransportException("the " + scheme + " transport cannot reach a " + to.scheme()
                    + " endpoint: " + to);
        }
    }

    private TransportException refused(Endpoint to, WireException e) {
        refusedBySize.increment();
        return new TransportException("frame refused before sending to " + to + ": " + e.getMessage(), e);
    }

    private TransportClosedException closedFailure() {
        return new TransportClosedException("the " + scheme + " transport is closed");
    }

    /** The link a finished dial yields, or null while it dials or when it failed. */
    private static <C> C established(CompletableFuture<C> link) {
        return link.isDone() && !link.isCompletedExceptionally() ? link.join() : null;
    }

    private static WireFrame wireFrame(Frame frame) {
        if (frame instanceof WireFrame wire) {
            return wire;
        }
        throw new TransportException("only io.hyphae.wire frames can be sent, not " + frame.getClass().getName());
    }

    /** A one-way packet whose outcome is told to a callback. */
    private static final class Told extends OutboundPacket {
        private final BiConsumer<? super Void, ? super Throwable> outcome;

        Told(byte[] bytes, BiConsumer<? super Void, ? super Throwable> outcome) {
            super(bytes);
            this.outcome = outcome;
        }

        Told(Packet route, int length, BiConsumer<? super Void, ? super Throwable> outcome) {
            super(route, length);
            this.outcome = outcome;
        }

        @Override
        public void sent() {
            tell(outcome, null);
        }

        @Override
        public void failed(TransportException failure) {
            tell(outcome, failure);
        }
    }

    /** Tells {@code outcome} how a send ended; it must not throw, and if it does, the caller's thread goes on. */
    private static void tell(BiConsumer<? super Void, ? super Throwable> outcome, TransportException failure) {
        try {
            outcome.accept(null, failure);
        } catch (RuntimeException e) {
            LOG.warn("the outcome of a send failed", e);
        }
    }

    /** A request on its way: a failure to send it fails the request at once. */
    private final class RequestPacket extends OutboundPacket {
        private final long id;

        RequestPacket(byte[] bytes, long id) {
            super(bytes);
            this.id = id;
        }

        RequestPacket(Packet route, int length, long id) {
            super(route, length);
            this.id = id;
        }

        @Override
        public void failed(TransportException failure) {
            pending.fail(id, failure);
        }
    }

    /** A transport's connection to one peer, as far as sending goes. */
    public interface Link {
        /**
         * Writes {@code packet}, which learns of the outcome: {@link TransportException} when refused (queue full)
         * or lost with the connection. Any thread; never blocks, never throws.
         */
        void write(OutboundPacket packet);
    }

    /** How a transport finds, or dials, the link to a peer. */
    @FunctionalInterface
    public interface Links<C extends Link> {
        /** The live link to {@code to.nodeId()}, or a dial to {@code to}; fails with a TransportException. */
        CompletableFuture<C> to(Endpoint to);
    }
}
