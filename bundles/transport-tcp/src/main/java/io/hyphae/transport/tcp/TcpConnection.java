package io.hyphae.transport.tcp;

import io.hyphae.api.NodeId;
import io.hyphae.spi.transport.Peer;
import io.hyphae.spi.transport.TransportClosedException;
import io.hyphae.spi.transport.TransportException;
import io.hyphae.spi.transport.UnreachablePeerException;
import io.hyphae.wire.Packet;
import io.hyphae.wire.WireException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.util.AttributeKey;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One authenticated TLS connection to a peer, used in both directions for requests, responses and one-way frames,
 * written as {@code [4-byte length][packet]} (length 0 is a keep-alive). Writes from any thread hop to the event
 * loop and are flushed once per loop turn. What waits to be written is bounded by {@code maxQueuedBytes}: a send
 * beyond fails at once with a {@link TransportException} rather than growing memory when the peer reads slowly
 * (TCP flow control then fills the socket buffers). A bad frame closes the connection: on a byte stream the framing
 * after it cannot be trusted. Thread safe; {@code flushScheduled} is touched only on the event loop.
 */
final class TcpConnection {
    static final AttributeKey<TcpConnection> KEY = AttributeKey.valueOf(TcpConnection.class, "connection");
    private static final Logger LOG = LoggerFactory.getLogger(TcpConnection.class);
    private static final byte[] KEEP_ALIVE = new byte[0];

    private final Channel channel;
    private final Peer peer;
    private final TcpTransport owner;
    private final int maxQueuedBytes;
    private final AtomicLong queuedBytes = new AtomicLong();
    private volatile long lastSentMs;
    private volatile long lastFrameMs;
    private boolean flushScheduled; // loop

    TcpConnection(Channel channel, Peer peer, TcpTransport owner, int maxQueuedBytes, long nowMs) {
        this.channel = channel;
        this.peer = peer;
        this.owner = owner;
        this.maxQueuedBytes = maxQueuedBytes;
        this.lastSentMs = nowMs;
        this.lastFrameMs = nowMs;
    }

    Peer peer() {
        return peer;
    }

    NodeId nodeId() {
        return peer.nodeId();
    }

    boolean isActive() {
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
        CompletableFuture<Void> done = new CompletableFuture<>();
        int size = packet.length + Integer.BYTES;
        long queued = queuedBytes.addAndGet(size);
        if (queued > maxQueuedBytes && queued != size) { // one frame larger than the bound may go alone
            queuedBytes.addAndGet(-size);
            owner.stats().sendsRefusedQueueFull.increment();
            done.completeExceptionally(new TransportException("send queue to " + peer + " is full: "
                    + (queued - size) + " bytes wait, the bound is " + maxQueuedBytes));
            return done;
        }
        done.whenComplete((ok, failure) -> queuedBytes.addAndGet(-size));
        if (packet.length > 0) { // keep-alives do not keep a connection lingering
            lastFrameMs = owner.clock().millis();
        }
        EventLoop loop = channel.eventLoop();
        if (loop.inEventLoop()) {
            write0(packet, done);
        } else {
            try {
                loop.execute(() -> write0(packet, done));
            } catch (RejectedExecutionException e) {
                done.completeExceptionally(new TransportClosedException("the tcp transport is closed"));
            }
        }
        return done;
    }

    /** Bytes waiting to be written on this connection. */
    long queuedBytes() {
        return queuedBytes.get();
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
        write(bytes).whenComplete((ok, failure) -> {
            if (failure != null) {
                LOG.debug("answer to request {} not sent to {}: {}", response.requestId(), peer, failure.toString());
            }
        });
    }

    /** Takes a decoded packet; loop. */
    void received(Packet packet) {
        lastFrameMs = owner.clock().millis();
        owner.stats().framesReceived.increment();
        owner.inbound().onPacket(peer, packet, this::reply);
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
    void close() {
        channel.close();
    }

    private void write0(byte[] packet, CompletableFuture<Void> done) {
        if (!channel.isActive()) {
            done.completeExceptionally(new UnreachablePeerException("the connection to " + peer + " is closed"));
            return;
        }
        ByteBuf buf = channel.alloc().ioBuffer(Integer.BYTES + packet.length);
        buf.writeInt(packet.length).writeBytes(packet);
        lastSentMs = owner.clock().millis();
        channel.write(buf).addListener((ChannelFutureListener) written -> {
            if (written.isSuccess()) {
                if (packet.length > 0) {
                    owner.stats().framesSent.increment();
                }
                done.complete(null);
            } else {
                done.completeExceptionally(new UnreachablePeerException("writing to " + peer + " failed",
                        written.cause()));
            }
        });
        if (!flushScheduled) {
            flushScheduled = true;
            channel.eventLoop().execute(() -> {
                flushScheduled = false;
                channel.flush();
            });
        }
    }

    @Override
    public String toString() {
        return "tcp connection to " + peer;
    }
}
