package io.hyphae.transport.quic;

import io.hyphae.api.NodeId;
import io.hyphae.spi.transport.Peer;
import io.hyphae.spi.transport.TransportException;
import io.hyphae.spi.transport.UnreachablePeerException;
import io.hyphae.wire.ConnectionTable;
import io.hyphae.wire.OutboundPacket;
import io.hyphae.wire.OutboundQueue;
import io.hyphae.wire.Packet;
import io.hyphae.wire.RouteAliases;
import io.hyphae.wire.WireException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.Future;
import io.netty.util.internal.PlatformDependent;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One authenticated QUIC connection to a peer, used in both directions for requests, responses and one-way frames.
 *
 * <p>Each side writes every frame it sends on one long-lived unidirectional stream it opened itself, as
 * {@code [4-byte length][packet]}; a length of 0 is a keep-alive. The stream is opened at the first send and again
 * after it was closed (the peer stops a stream that carried a bad frame). Writes reach the event loop through an
 * {@link OutboundQueue}: bounded by {@code maxQueuedBytes} (when the peer reads slowly QUIC flow control stops quiche
 * from sending, then the bound refuses sends), drained by one task, and flushed when a read of the peer's stream
 * completes, before QUIC sends its acknowledgement of the read, so an answer shares that packet instead of following
 * it in one of its own. The frames of one flush are gathered into one buffer (up to 16 KiB) and handed to the stream
 * as one write, so a burst goes out in full packets. Route frames go by alias ({@link RouteAliases}): their realm,
 * topic and publisher are named once per stream.
 *
 * <p>Fields marked "loop" are touched only on the event loop; the rest are thread safe.
 */
final class QuicConnection implements ConnectionTable.Connection {
    static final AttributeKey<QuicConnection> KEY = AttributeKey.valueOf(QuicConnection.class, "connection");
    private static final Logger LOG = LoggerFactory.getLogger(QuicConnection.class);
    private static final byte[] KEEP_ALIVE = new byte[0];
    /** A batch this large is handed to the stream at once, without waiting for the end of the loop turn. */
    private static final int BATCH_BYTES = 16 * 1024;

    private final QuicChannel channel;
    private final Peer peer;
    private final QuicTransport owner;
    private final OutboundQueue outbound;
    private final Consumer<Packet> replier = this::reply;
    private volatile boolean closedByPeer;
    private volatile long lastSentMs;
    private volatile long lastFrameMs;
    private QuicStreamChannel out; // loop
    private RouteAliases.Out aliases = new RouteAliases.Out(); // loop: of the stream out, new with each stream
    private boolean opening; // loop
    private boolean framesSinceStamp; // loop: a frame other than a keep-alive was written since lastFrameMs was set
    private int badFrames; // loop
    private final ArrayDeque<OutboundPacket> waiting = new ArrayDeque<>(); // loop
    private ByteBuf batch; // loop: frames of this loop turn not yet handed to the stream
    private final RouteAliases.Sink toBatch = new ToBatch();
    private List<OutboundPacket> batchWrites = new ArrayList<>(); // loop
    private int batchFrames; // loop
    private long batchBytes; // loop

    QuicConnection(QuicChannel channel, Peer peer, QuicTransport owner, int maxQueuedBytes, long nowMs) {
        this.channel = channel;
        this.peer = peer;
        this.owner = owner;
        this.outbound = new OutboundQueue(new Sink(), maxQueuedBytes, PlatformDependent.newMpscQueue(),
                owner.stats().sendsRefusedQueueFull, peer, QuicTransport.SCHEME);
        this.lastSentMs = nowMs;
        this.lastFrameMs = nowMs;
    }

    Peer peer() {
        return peer;
    }

    @Override
    public NodeId nodeId() {
        return peer.nodeId();
    }

    /** Whether frames can still reach the peer: the channel is open and the peer has not closed it. */
    @Override
    public boolean isActive() {
        return !closedByPeer && channel.isActive();
    }

    /**
     * The peer closed the connection. Quiche keeps the channel active while it drains (three probe timeouts), but
     * nothing written now reaches the peer: from here the connection counts as gone. Any thread.
     */
    void closedByPeer() {
        closedByPeer = true;
    }

    QuicChannel channel() {
        return channel;
    }

    /**
     * Writes one encoded packet; completes when it was handed to QUIC. Any thread.
     *
     * @return fails with {@link TransportException} when the send queue is full, with
     *         {@link UnreachablePeerException} when the connection is gone
     */
    CompletableFuture<Void> write(byte[] packet) {
        OutboundPacket.Done write = new OutboundPacket.Done(packet);
        write(write);
        return write.done();
    }

    /** Writes {@code write}, which learns of the outcome on whichever thread decides it. Any thread. */
    @Override
    public void write(OutboundPacket write) {
        outbound.write(write);
    }

    /** Hands the batch to the stream and flushes it; stamps the time of the last frame sent. Loop. */
    private void flush() {
        if (framesSinceStamp) { // keep-alives do not keep a connection lingering
            framesSinceStamp = false;
            lastFrameMs = owner.clock().millis();
        }
        if (out != null) {
            writeBatch(out);
            out.flush();
        }
    }

    /** Bytes waiting to be written on this connection. */
    long queuedBytes() {
        return outbound.queuedBytes();
    }

    /** Sends a response on this connection; any thread. Failures are logged, the requester times out. */
    void reply(Packet response) {
        byte[] bytes;
        try {
            bytes = owner.codec().encode(response);
        } catch (WireException e) {
            LOG.warn("the answer to request {} from {} breaks the wire limits: {}", response.requestId(), peer,
                    e.getMessage());
            return;
        }
        long requestId = response.requestId();
        write(new OutboundPacket(bytes) {
            @Override
            public void failed(TransportException failure) {
                LOG.debug("answer to request {} not sent to {}: {}", requestId, peer, failure.toString());
            }
        });
    }

    /** Takes a decoded packet from one of the peer's streams; loop. */
    void received(Packet packet) {
        owner.stats().framesReceived.increment();
        owner.inbound().onPacket(peer, packet, replier);
    }

    /**
     * A stream of the peer delivered what one read had: frames were received now, and the answers written while
     * reading them go to QUIC before it sends its acknowledgement of the read, in the same packet. Loop.
     */
    void readComplete() {
        lastFrameMs = owner.clock().millis();
        outbound.flushNow();
    }

    /** A stream of the peer carried a bad frame: count it, log once, close that stream or, when repeated, all; loop. */
    void badFrame(QuicStreamChannel stream, String reason) {
        owner.stats().badFrames.increment();
        badFrames++;
        if (owner.badFrameLog().firstInWindow(peer.nodeId())) {
            LOG.warn("dropping frames from {}: {}", peer, reason);
        } else {
            LOG.debug("bad frame from {}: {}", peer, reason);
        }
        stream.close();
        if (badFrames >= owner.settings().maxBadFrames()) {
            LOG.debug("closing the connection to {} after {} bad frames", peer, badFrames);
            channel.close();
        }
    }

    /** Sends a keep-alive when nothing was sent for {@code keepAliveMs} and a frame passed within lingerMs. */
    void keepAlive(long nowMs, long keepAliveMs, long lingerMs) {
        if (nowMs - lastSentMs >= keepAliveMs && nowMs - lastFrameMs < lingerMs && isActive()) {
            owner.stats().keepAlivesSent.increment();
            write(KEEP_ALIVE);
        }
    }

    /** Closes the connection with a QUIC application close, which the peer sees at once. Any thread. */
    @Override
    public void close() {
        channel.close();
    }

    /** Takes a packet to the stream's batch, or to wait for the stream. Loop. */
    private void append(OutboundPacket write) {
        if (!isActive()) {
            outbound.release(write, new UnreachablePeerException("the connection to " + peer + " is closed"));
            return;
        }
        if (out != null && out.isActive()) {
            writeToStream(out, write);
            return;
        }
        waiting.add(write);
        if (!opening) {
            openStream();
        }
    }

    private void openStream() {
        // A create that fails for lack of stream credit burns the stream id in Netty 4.2: ask first. Credit is
        // 0 until the peer's transport parameters are read, just after the handshake; then, or when the peer grants
        // more, streamLimitChanged() tries again. Meanwhile writes wait, bounded by maxQueuedBytes.
        if (channel.peerAllowedStreams(QuicStreamType.UNIDIRECTIONAL) <= 0) {
            return;
        }
        opening = true;
        channel.createStream(QuicStreamType.UNIDIRECTIONAL, OutboundStream.INSTANCE).addListener(
                (Future<QuicStreamChannel> created) -> {
                    opening = false;
                    if (!created.isSuccess()) {
                        failWaiting(new UnreachablePeerException("cannot open a stream to " + peer,
                                created.cause()));
                        return;
                    }
                    if (out != null) {
                        writeBatch(out); // frames put for the old stream (by its aliases) go, or fail, with it
                    }
                    out = created.getNow();
                    aliases = new RouteAliases.Out(); // the peer reads a new stream with no aliases
                    OutboundPacket next;
                    while ((next = waiting.poll()) != null) {
                        writeToStream(out, next);
                    }
                    outbound.flushSoon();
                });
    }

    /** The peer granted stream credit; open the stream writes wait for. Loop. */
    void streamLimitChanged() {
        if (!waiting.isEmpty() && !opening && (out == null || !out.isActive())) {
            openStream();
        }
    }

    private void writeToStream(QuicStreamChannel stream, OutboundPacket write) {
        // Frames written in one loop turn share one buffer and one stream write: a stream write is a JNI call
        // into quiche with its own listener, which cost more than the 256-byte frame itself (bench/, #6).
        int length = aliases.compact(write); // in stream order: a definition precedes its uses
        if (batch == null) {
            // What waits to be written says how large this batch may get: a lone request takes a small buffer,
            // a burst 16 KiB (a batch outgrowing its guess is grown).
            int expected = (int) Math.min(BATCH_BYTES, outbound.queuedBytes());
            batch = stream.alloc().ioBuffer(Math.max(expected, write.size()));
        }
        batch.writeInt(length);
        aliases.writeTo(toBatch);
        batchWrites.add(write);
        batchBytes += write.size();
        if (length > 0) {
            batchFrames++;
            framesSinceStamp = true;
        }
        if (batch.readableBytes() >= BATCH_BYTES) {
            writeBatch(stream);
        }
    }

    /** Hands the frames gathered so far to the stream as one write; their writes complete with it. Loop. */
    private void writeBatch(QuicStreamChannel stream) {
        if (batch == null) {
            return;
        }
        ByteBuf buf = batch;
        List<OutboundPacket> writes = batchWrites;
        int frames = batchFrames;
        long bytes = batchBytes;
        batch = null;
        batchWrites = new ArrayList<>();
        batchFrames = 0;
        batchBytes = 0;
        lastSentMs = owner.clock().millis();
        stream.write(buf).addListener((ChannelFutureListener) written -> {
            outbound.free(bytes);
            if (written.isSuccess()) {
                owner.stats().framesSent.add(frames);
                for (int i = 0; i < writes.size(); i++) {
                    writes.get(i).sent();
                }
            } else {
                UnreachablePeerException failure = new UnreachablePeerException("writing to " + peer + " failed",
                        written.cause());
                for (int i = 0; i < writes.size(); i++) {
                    writes.get(i).failed(failure);
                }
            }
        });
    }

    private void failWaiting(TransportException failure) {
        OutboundPacket next;
        while ((next = waiting.poll()) != null) {
            outbound.release(next, failure);
        }
    }

    /** Fails what waits for a stream or for the loop; called when the connection closed; loop. */
    void closed() {
        UnreachablePeerException failure = new UnreachablePeerException("the connection to " + peer + " closed");
        outbound.failIncoming(failure);
        failWaiting(failure);
    }

    @Override
    public String toString() {
        return "quic connection to " + peer;
    }

    /** The event loop and the batch, as the outbound queue sees them. */
    private final class Sink implements OutboundQueue.Sink {
        @Override
        public boolean inNetworkThread() {
            return channel.eventLoop().inEventLoop();
        }

        @Override
        public void execute(Runnable task) {
            channel.eventLoop().execute(task);
        }

        @Override
        public void append(OutboundPacket packet) {
            QuicConnection.this.append(packet);
        }

        @Override
        public void flush() {
            QuicConnection.this.flush();
        }
    }

    /** Handler of the streams this side opens: nothing to read; trouble closes the stream, the next send reopens. */
    @ChannelHandler.Sharable
    static final class OutboundStream extends ChannelInboundHandlerAdapter {
        static final OutboundStream INSTANCE = new OutboundStream();

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("outbound stream {} failed: {}", ctx.channel(), cause.toString());
            ctx.close();
        }
    }

    /** Writes a frame's pieces into the batch; a message's payload from its view, in one copy. Loop. */
    private final class ToBatch implements RouteAliases.Sink {
        @Override
        public void write(byte[] bytes, int offset, int length) {
            batch.writeBytes(bytes, offset, length);
        }

        @Override
        public void write(ByteBuffer bytes) {
            batch.writeBytes(bytes);
        }
    }
}
