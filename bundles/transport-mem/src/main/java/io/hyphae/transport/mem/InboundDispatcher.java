package io.hyphae.transport.mem;

import io.hyphae.spi.transport.Frame;
import io.hyphae.spi.transport.InboundHandler;
import io.hyphae.spi.transport.Peer;
import io.hyphae.wire.FrameCodec;
import io.hyphae.wire.Frames;
import io.hyphae.wire.Packet;
import io.hyphae.wire.WireException;
import io.hyphae.wire.WireFrame;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving half of a {@link MemTransport}: decodes each datagram, hands requests and one-way frames to the
 * first handler that accepts them and sends the answers back, and gives responses to the pending requests. Runs on
 * the network's thread, holds no lock, and throws nothing back into the network: undecodable bytes are counted and
 * logged once per peer, a failing handler is answered {@code INTERNAL}, a frame nobody takes {@code UNSUPPORTED}.
 */
final class InboundDispatcher implements VirtualNetwork.Receiver {
    private static final Logger LOG = LoggerFactory.getLogger(InboundDispatcher.class);
    private static final int MAX_ERROR_CHARS = 160; // 3 UTF-8 bytes each at most: within WireLimits.MAX_STRING_BYTES

    private final FrameCodec codec;
    private final InboundHandlers handlers;
    private final PendingRequests pending;
    private final MemStats stats;
    private final Supplier<Attachment> attachment;
    private final OncePerPeer badFramesLogged = new OncePerPeer(1024);

    /** {@code attachment} gives the transport's attachment, or null once it is closed. */
    InboundDispatcher(FrameCodec codec, InboundHandlers handlers, PendingRequests pending, MemStats stats,
            Supplier<Attachment> attachment) {
        this.codec = codec;
        this.handlers = handlers;
        this.pending = pending;
        this.stats = stats;
        this.attachment = attachment;
    }

    @Override
    public void receive(Datagram datagram) {
        if (attachment.get() == null) {
            return;
        }
        Peer peer = new Peer(datagram.fromNode(), MemTransport.SCHEME, datagram.fromAddress());
        Packet packet;
        try {
            packet = codec.decode(datagram.bytes()); // refuses more than WireLimits.MAX_FRAME_BYTES
        } catch (WireException e) {
            stats.badFrames.increment();
            if (badFramesLogged.first(peer.nodeId())) {
                LOG.warn("dropping undecodable frames from {}: {}", peer, e.getMessage());
            } else {
                LOG.debug("dropping an undecodable frame from {}: {}", peer, e.getMessage());
            }
            return;
        }
        switch (packet.kind()) {
            case REQUEST -> serve(peer, datagram, packet);
            case RESPONSE -> pending.answer(packet.requestId(), peer.nodeId(), packet.frame());
            case ONE_WAY -> take(peer, packet.frame());
        }
    }

    private void take(Peer peer, WireFrame message) {
        InboundHandler handler = handlers.find(message);
        if (handler == null) {
            stats.unsupported.increment();
            LOG.debug("no handler takes {} from {}; dropped", message.getClass().getSimpleName(), peer);
            return;
        }
        try {
            handler.onMessage(peer, message);
        } catch (RuntimeException e) {
            stats.handlerFailures.increment();
            LOG.warn("inbound handler {} failed on {} from {}", handler, message, peer, e);
        }
    }

    private void serve(Peer peer, Datagram datagram, Packet request) {
        InboundHandler handler = handlers.find(request.frame());
        if (handler == null) {
            stats.unsupported.increment();
            reply(datagram, request.requestId(), new Frames.Error(Frames.Error.Code.UNSUPPORTED,
                    "no handler takes " + request.frame().getClass().getSimpleName()));
            return;
        }
        CompletionStage<? extends Frame> answer;
        try {
            answer = Objects.requireNonNull(handler.onRequest(peer, request.frame()), "the handler's answer");
        } catch (RuntimeException e) {
            LOG.warn("inbound handler {} failed on {} from {}", handler, request.frame(), peer, e);
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((response, failure) -> reply(datagram, request.requestId(),
                answerFrame(response, failure)));
    }

    private WireFrame answerFrame(Frame response, Throwable failure) {
        if (failure == null && response instanceof WireFrame wire) {
            return wire;
        }
        stats.handlerFailures.increment();
        String why = failure != null ? "the handler failed: " + failure
                : "the handler answered " + response + ", which is no wire frame";
        LOG.debug("answering INTERNAL: {}", why);
        return new Frames.Error(Frames.Error.Code.INTERNAL, shorten(why));
    }

    /** Sends {@code response} back to the requester; may run on any thread (a handler's stage completes there). */
    private void reply(Datagram to, long requestId, WireFrame response) {
        Attachment from = attachment.get();
        if (from == null) {
            return;
        }
        byte[] bytes;
        try {
            bytes = codec.encode(Packet.response(requestId, response));
        } catch (WireException e) {
            stats.refusedBySize.increment();
            LOG.warn("the answer to request {} from {} breaks the wire limits: {}", requestId, to.fromAddress(),
                    e.getMessage());
            if (!(response instanceof Frames.Error)) {
                reply(to, requestId, new Frames.Error(Frames.Error.Code.INTERNAL,
                        shorten("the answer breaks the wire limits: " + e.getMessage())));
            }
            return;
        }
        Attachment.Transmission sent = from.transmit(to.fromHost(), to.fromPort(), to.fromNode(), bytes);
        if (sent != Attachment.Transmission.SENT) {
            LOG.debug("answer to request {} not sent to {}: {}", requestId, to.fromAddress(), sent);
        }
    }

    private static String shorten(String text) {
        if (text.length() <= MAX_ERROR_CHARS) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(MAX_ERROR_CHARS - 1)) ? MAX_ERROR_CHARS - 1
                : MAX_ERROR_CHARS;
        return text.substring(0, end) + "...";
    }
}
