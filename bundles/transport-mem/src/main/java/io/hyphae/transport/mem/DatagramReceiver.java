package io.hyphae.transport.mem;

import io.hyphae.spi.transport.Peer;
import io.hyphae.wire.FrameCodec;
import io.hyphae.wire.Frames;
import io.hyphae.wire.InboundDispatcher;
import io.hyphae.wire.OncePerPeer;
import io.hyphae.wire.Packet;
import io.hyphae.wire.PendingRequests;
import io.hyphae.wire.WireException;
import io.hyphae.wire.WireFrame;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving half of a {@link MemTransport}: decodes each datagram, gives responses to the pending requests and
 * everything else to the {@link InboundDispatcher}, and sends the answers back as datagrams. Runs on the network's
 * thread, holds no lock, and throws nothing back into the network: undecodable bytes are counted and logged once
 * per peer.
 */
final class DatagramReceiver implements VirtualNetwork.Receiver {
    private static final Logger LOG = LoggerFactory.getLogger(DatagramReceiver.class);

    private final FrameCodec codec;
    private final InboundDispatcher dispatcher;
    private final PendingRequests pending;
    private final MemStats stats;
    private final Supplier<Attachment> attachment;
    private final OncePerPeer badFramesLogged = OncePerPeer.once(1024);

    /** {@code attachment} gives the transport's attachment, or null once it is closed. */
    DatagramReceiver(FrameCodec codec, InboundDispatcher dispatcher, PendingRequests pending, MemStats stats,
            Supplier<Attachment> attachment) {
        this.codec = codec;
        this.dispatcher = dispatcher;
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
            if (badFramesLogged.firstInWindow(peer.nodeId())) {
                LOG.warn("dropping undecodable frames from {}: {}", peer, e.getMessage());
            } else {
                LOG.debug("dropping an undecodable frame from {}: {}", peer, e.getMessage());
            }
            return;
        }
        if (packet.kind() == Packet.Kind.RESPONSE) {
            if (pending.answer(packet.requestId(), peer.nodeId(), packet.frame())) {
                stats.responsesMatched.increment();
            }
            return;
        }
        dispatcher.onPacket(peer, packet, response -> reply(datagram, response.requestId(), response.frame()));
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
                reply(to, requestId, InboundDispatcher.errorFrame(Frames.Error.Code.INTERNAL,
                        "the answer breaks the wire limits: " + e.getMessage()));
            }
            return;
        }
        Attachment.Transmission sent = from.transmit(to.fromHost(), to.fromPort(), to.fromNode(), bytes);
        if (sent != Attachment.Transmission.SENT) {
            LOG.debug("answer to request {} not sent to {}: {}", requestId, to.fromAddress(), sent);
        }
    }
}
