package io.hyphae.transport.tcp;

import io.hyphae.spi.transport.Frame;
import io.hyphae.spi.transport.InboundHandler;
import io.hyphae.spi.transport.Peer;
import io.hyphae.spi.transport.Transport;
import io.hyphae.wire.Frames;
import io.hyphae.wire.Packet;
import io.hyphae.wire.WireFrame;
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
 * Gives decoded packets to where they belong: a response to its pending request, a request or a one-way frame to the
 * first registered handler that accepts it. A request's answer (or an {@code UNSUPPORTED} / {@code INTERNAL} error
 * frame) goes back through the {@code reply} the connection passes. Runs on event loops, holds no lock, and throws
 * nothing back into the pipeline. Identical in transport-quic and transport-tcp but for the package (see #6).
 */
final class Inbound {
    private static final Logger LOG = LoggerFactory.getLogger(Inbound.class);
    private static final int MAX_ERROR_CHARS = 160; // 3 UTF-8 bytes each at most: within WireLimits.MAX_STRING_BYTES

    private final List<Registered> handlers = new CopyOnWriteArrayList<>();
    private final PendingRequests pending;
    private final LongAdder unsupported;
    private final LongAdder handlerFailures;

    /** {@code unsupported} counts frames no handler takes, {@code handlerFailures} handlers that failed. */
    Inbound(PendingRequests pending, LongAdder unsupported, LongAdder handlerFailures) {
        this.pending = pending;
        this.unsupported = unsupported;
        this.handlerFailures = handlerFailures;
    }

    Transport.Registration register(InboundHandler handler) {
        Registered entry = new Registered(Objects.requireNonNull(handler, "handler"));
        handlers.add(entry);
        return () -> handlers.remove(entry); // removes this registration only, by identity
    }

    /** Dispatches {@code packet} from {@code from}; {@code reply} sends a response back on the same connection. */
    void onPacket(Peer from, Packet packet, Consumer<Packet> reply) {
        switch (packet.kind()) {
            case RESPONSE -> pending.answer(packet.requestId(), from.nodeId(), packet.frame());
            case ONE_WAY -> take(from, packet.frame());
            case REQUEST -> serve(from, packet, reply);
        }
    }

    private InboundHandler find(Frame frame) {
        for (Registered entry : handlers) {
            if (entry.handler.accepts(frame)) {
                return entry.handler;
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
        return new Frames.Error(Frames.Error.Code.INTERNAL, shorten(why));
    }

    static String shorten(String text) {
        if (text.length() <= MAX_ERROR_CHARS) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(MAX_ERROR_CHARS - 1)) ? MAX_ERROR_CHARS - 1
                : MAX_ERROR_CHARS;
        return text.substring(0, end) + "...";
    }

    /** One registration; a handler registered twice is two entries. */
    private record Registered(InboundHandler handler) {
        @Override
        public boolean equals(Object o) {
            return this == o;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }
}
