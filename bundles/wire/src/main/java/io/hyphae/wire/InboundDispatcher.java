package io.hyphae.wire;

import io.hyphae.spi.transport.Frame;
import io.hyphae.spi.transport.InboundHandler;
import io.hyphae.spi.transport.Peer;
import io.hyphae.spi.transport.Transport;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives a transport's decoded packets to where they belong: a response to its {@link PendingRequests pending
 * request}, a request or a one-way frame to the first registered {@link InboundHandler} that accepts it. A
 * request's answer, or an {@code UNSUPPORTED} / {@code INTERNAL} {@link Frames.Error} when no handler takes it or
 * the handler fails, goes back through the {@code reply} the transport passes with the packet.
 *
 * <p>Thread safe and lock free: {@link #onPacket} runs on transport threads (event loops, a network thread) and
 * throws nothing back into them; handlers are called on that thread, and a handler's answer is replied on the
 * thread that completes its stage. Registration and removal may happen from any thread at any time.
 */
public final class InboundDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(InboundDispatcher.class);
    private static final int MAX_ERROR_CHARS = 160; // 3 UTF-8 bytes each at most: within WireLimits.MAX_STRING_BYTES

    private final List<Registered> handlers = new CopyOnWriteArrayList<>();
    private final PendingRequests pending;
    private final LongAdder unsupported;
    private final LongAdder handlerFailures;

    /**
     * Dispatches responses to {@code pending}; {@code unsupported} counts frames no handler takes,
     * {@code handlerFailures} handlers that threw or whose answer failed.
     */
    public InboundDispatcher(PendingRequests pending, LongAdder unsupported, LongAdder handlerFailures) {
        this.pending = Objects.requireNonNull(pending, "pending");
        this.unsupported = Objects.requireNonNull(unsupported, "unsupported");
        this.handlerFailures = Objects.requireNonNull(handlerFailures, "handlerFailures");
    }

    /**
     * Adds {@code handler} after those registered before; a handler registered twice is two registrations. Closing
     * the returned registration removes this one only, and closing it twice is harmless.
     */
    public Transport.Registration register(InboundHandler handler) {
        Registered entry = new Registered(Objects.requireNonNull(handler, "handler"));
        handlers.add(entry);
        return () -> handlers.remove(entry);
    }

    /** Removes every registration (a closed transport takes no more frames). */
    public void clear() {
        handlers.clear();
    }

    /**
     * Dispatches {@code packet} from {@code from}; {@code reply} sends a response back to that peer (the same
     * connection, where there is one) and may be called on any thread.
     */
    public void onPacket(Peer from, Packet packet, Consumer<Packet> reply) {
        switch (packet.kind()) {
            case RESPONSE -> pending.answer(packet.requestId(), from.nodeId(), packet.frame());
            case ONE_WAY -> take(from, packet.frame());
            case REQUEST -> serve(from, packet, reply);
        }
    }

    /**
     * An error frame of {@code code} whose message is {@code why}, shortened to fit the wire limits on strings.
     */
    public static Frames.Error errorFrame(Frames.Error.Code code, String why) {
        if (why.length() <= MAX_ERROR_CHARS) {
            return new Frames.Error(code, why);
        }
        int end = Character.isHighSurrogate(why.charAt(MAX_ERROR_CHARS - 1)) ? MAX_ERROR_CHARS - 1
                : MAX_ERROR_CHARS;
        return new Frames.Error(code, why.substring(0, end) + "...");
    }

    /** The first handler that accepts {@code frame}, or null. A handler whose accepts() throws is passed over. */
    private InboundHandler find(Frame frame) {
        for (Registered entry : handlers) {
            try {
                if (entry.handler.accepts(frame)) {
                    return entry.handler;
                }
            } catch (RuntimeException e) {
                LOG.warn("inbound handler {} failed deciding whether it accepts {}", entry.handler, frame, e);
            }
        }
        return null;
    }

    private void take(Peer from, WireFrame message) {
        InboundHandler handler = find(message);
        if (handler == null) {
            unsupported.increment();
            LOG.debug("no handler takes {} from {}; dropped", message.getClass().getSimpleName(), from);
            return;
        }
        try {
            handler.onMessage(from, message);
        } catch (RuntimeException e) {
            handlerFailures.increment();
            LOG.warn("inbound handler {} failed on {} from {}", handler, message, from, e);
        }
    }

    private void serve(Peer from, Packet request, Consumer<Packet> reply) {
        InboundHandler handler = find(request.frame());
        if (handler == null) {
            unsupported.increment();
            reply.accept(Packet.response(request.requestId(), new Frames.Error(Frames.Error.Code.UNSUPPORTED,
                    "no handler takes " + request.frame().getClass().getSimpleName())));
            return;
        }
        CompletionStage<? extends Frame> answer;
        try {
            answer = Objects.requireNonNull(handler.onRequest(from, request.frame()), "the handler's answer");
        } catch (RuntimeException e) {
            LOG.warn("inbound handler {} failed on {} from {}", handler, request.frame(), from, e);
            answer = CompletableFuture.failedFuture(e);
        }
        if (answer instanceof CompletableFuture<? extends Frame> done && done.isDone()
                && !done.isCompletedExceptionally()) {
            // Answered at once (a route's ack): reply now, without a continuation to allocate and run.
            reply.accept(Packet.response(request.requestId(), answerFrame(done.join(), null)));
            return;
        }
        answer.whenComplete((response, failure) ->
                reply.accept(Packet.response(request.requestId(), answerFrame(response, failure))));
    }

    private WireFrame answerFrame(Frame response, Throwable failure) {
        if (failure == null && response instanceof WireFrame wire) {
            return wire;
        }
        handlerFailures.increment();
        String why = failure != null ? "the handler failed: " + failure
                : "the handler answered " + response + ", which is no wire frame";
        LOG.debug("answering INTERNAL: {}", why);
        return errorFrame(Frames.Error.Code.INTERNAL, why);
    }

    /** One registration; equal only to itself, so a handler registered twice is two entries. */
    private static final class Registered {
        final InboundHandler handler;

        Registered(InboundHandler handler) {
            this.handler = handler;
        }
    }
}
