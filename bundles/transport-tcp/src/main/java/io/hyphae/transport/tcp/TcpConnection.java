package io.hyphae.transport.tcp;

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
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.util.AttributeKey;
import io.netty.util.internal.PlatformDependent;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One authenticated TLS connection to a peer, used in both directions for requests, responses and one-way frames,
 * written as {@code [4-byte length][packet]} (length 0 is a keep-alive). Writes reach the event loop through an
 * {@link OutboundQueue} (bounded by {@code maxQueuedBytes}, drained by one task, flushed when a read completes or at
 * the end of the turn); the frames of one flush are gathered into one buffer (up to 16 KiB), so TLS seals one record
 * for a burst; route frames go by alias ({@link RouteAliases}). When the peer reads slowly, TCP flow control fills
 * the socket buffers and then the bound refuses sends. A bad frame closes the connection: on a byte stream the
 * framing after it cannot be trusted.
 *
 * <p>Fields marked "loop" are touched only on the event loop; the rest are thread safe.
 */
final class TcpConnection implements ConnectionTable.Connection {
    static final AttributeKey<TcpConnection> KEY = AttributeKey.valueOf(TcpConnection.class, "connection");
    private static final Logger LOG = LoggerFactory.getLogger(TcpConnection.class);
    private static final byte[] KEEP_ALIVE = new byte[0];
    /** A batch this large is handed to the channel at once, without waiting for the flush. */
    private static final int BATCH_BYTES = 16 * 1024;

    private final Channel channel;
    private final Peer peer;
    private final TcpTransport owner;
    private final OutboundQueue out;
    private final Consumer<Packet> replier = this::reply;
    private volatile long lastSentMs;
    private volatile long lastFrameMs;
    private boolean framesSinceStamp; // loop: a frame other than a keep-alive was written since lastFrameMs was set
    private ByteBuf batch; // loop: frames not yet handed to the channel
    private final RouteAliases.Sink toBatch = new ToBatch();
    private final RouteAliases.Out aliases = new RouteAliases.Out(); // loop: the route aliases sent on this channel
    private List<OutboundPacket> batchWrites = new ArrayList<>(); // loop
    private int batchFrames; // loop
    private long batchBytes; // loop

    TcpConnection(Channel channel, Peer peer, TcpTransport owner, int maxQueuedBytes, long nowMs) {
        this.channel = channel;
        this.peer = peer;
        this.owner = owner;
        this.out = new OutboundQueue(new Sink(), maxQueuedBytes, PlatformDependent.newMpscQueue(),
                owner.stats().sendsRefusedQueueFull, peer, TcpTransport.SCHEME);
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

    @Override
    public boolean isActive() {
        return channel.isActive();
    }

    Channel channel() {
        return channel;
    }

    /**
     * Writes one encoded packet; completes when it was handed to the socket. Any thread.
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
        out.write(write);
    }

    /** Bytes waiting to be written on this connection. */
    long queuedBytes() {
        return out.queuedBytes();
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

    /** Takes a decoded packet; loop. */
    void received(Packet packet) {
        owner.stats().framesReceived.increment();
        owner.inbound().onPacket(peer, packet, replier);
    }

    /** What one read had was delivered: frames were received now, and the answers written meanwhile go out. Loop. */
    void readComplete() {
        lastFrameMs = owner.clock().millis();
        out.flushNow();
    }

    /** The peer sent a bad frame: count it, log once per window, close the connection; loop. */
    void badFrame(String reason) {
        owner.stats().badFrames.increment();
        if (owner.badFrameLog().firstInWindow(peer.nodeId())) {
            LOG.warn("dropping frames from {}: {}", peer, reason);
        } else {
            LOG.debug("bad frame from {}: {}", peer, reason);
        }
        channel.close();
    }

    /** Sends a keep-alive when nothing was sent for {@code keepAliveMs} and a frame passed within lingerMs. */
    void keepAlive(long nowMs, long keepAliveMs, long lingerMs) {
        if (nowMs - lastSentMs >= keepAliveMs && nowMs - lastFrameMs < lingerMs && isActive()) {
            owner.stats().keepAlivesSent.increment();
            write(KEEP_ALIVE);
        }
    }

    /** Closes the connection (TLS close_notify, then FIN). Any thread. */
    @Override
    public void close() {
        channel.close();
    }

    /** Fails what waits for the loop; called when the connection closed. Any thread. */
    void closed() {
        out.failIncoming(new UnreachablePeerException("the connection to " + peer + " closed"));
    }

    /** Takes a packet into the batch, which is handed to the channel at 16 KiB or at the flush. Loop. */
    private void append(OutboundPacket write) {
        if (!channel.isActive()) {
            out.release(write, new UnreachablePeerException("the connection to " + peer + " is closed"));
            return;
        }
        int length = aliases.compact(write); // in stream order: a definition precedes its uses
        if (batch == null) {
            // What waits to be written says how large this batch may get: a lone request takes a small buffer,
            // a burst 16 KiB (a batch outgrowing its guess is grown).
            int expected = (int) Math.min(BATCH_BYTES, out.queuedBytes());
            batch = channel.alloc().ioBuffer(Math.max(expected, write.size()));
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
            writeBatch();
        }
    }

    /** Hands the frames gathered so far to the channel as one write; their writes complete with it. Loop. */
    private void writeBatch() {
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
        channel.write(buf).addListener((ChannelFutureListener) written -> {
            out.free(bytes);
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

    /** Hands the batch to the channel and flushes; stamps the time of the last frame sent. Loop. */
    private void flush() {
        if (framesSinceStamp) { // keep-alives do not keep a connection lingering
            framesSinceStamp = false;
            lastFrameMs = owner.clock().millis();
        }
        writeBatch();
        channel.flush();
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
            TcpConnection.this.append(packet);
        }

        @Override
        public void flush() {
            TcpConnection.this.flush();
        }
    }

    @Override
    public String toString() {
        return "tcp connection to " + peer;
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
