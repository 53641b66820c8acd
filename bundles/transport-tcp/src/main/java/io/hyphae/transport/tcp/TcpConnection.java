package io.hyphae.transport.tcp;

import io.hyphae.api.NodeId;
import io.hyphae.spi.transport.Peer;
import io.hyphae.spi.transport.TransportClosedException;
import io.hyphae.spi.transport.TransportException;
import io.hyphae.spi.transport.UnreachablePeerException;
import io.hyphae.wire.FrameSender;
import io.hyphae.wire.OutboundPacket;
import io.hyphae.wire.Packet;
import io.hyphae.wire.WireException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.util.AttributeKey;
import io.netty.util.internal.PlatformDependent;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One authenticated TLS connection to a peer, used in both directions for requests, responses and one-way frames,
 * written as {@code [4-byte length][packet]} (length 0 is a keep-alive). Writes from other threads wait in a
 * lock-free queue that one event loop task drains, however many arrive meanwhile, and flushes at its end (a task per
 * frame cost more than the frame, bench/, #6); the frames of one drain are gathered into one buffer (up to 16 KiB),
 * so TLS seals one record for a burst. Frames written on the loop itself (answers, written while the peer's frames
 * are read) are flushed when that read completes, so they leave with one write; other loop writes are flushed by a
 * task at the end of the loop turn. What waits to be written is bounded by {@code maxQueuedBytes}: a send beyond
 * fails at once with a {@link TransportException} rather than growing memory when the peer reads slowly (TCP flow
 * control then fills the socket buffers). A bad frame closes the connection: on a byte stream the framing after it
 * cannot be trusted.
 *
 * <p>Fields marked "loop" are touched only on the event loop; the rest are thread safe.
 */
final class TcpConnection implements FrameSender.Link {
    static final AttributeKey<TcpConnection> KEY = AttributeKey.valueOf(TcpConnection.class, "connection");
    private static final Logger LOG = LoggerFactory.getLogger(TcpConnection.class);
    private static final byte[] KEEP_ALIVE = new byte[0];
    /** A batch this large is handed to the channel at once, without waiting for the flush. */
    private static final int BATCH_BYTES = 16 * 1024;

    private final Channel channel;
    private final Peer peer;
    private final TcpTransport owner;
    private final int maxQueuedBytes;
    private final AtomicLong queuedBytes = new AtomicLong();
    /** Writes from other threads, in order, until the drain task takes them to the loop. */
    private final Queue<OutboundPacket> incoming = PlatformDependent.newMpscQueue();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drain = this::drain;
    private final Runnable flush = this::flush;
    private final Consumer<Packet> replier = this::reply;
    private volatile long lastSentMs;
    private volatile long lastFrameMs;
    private boolean flushScheduled; // loop: the flush task is queued
    private boolean flushPending; // loop: frames were written since the last flush
    private boolean framesSinceStamp; // loop: a frame other than a keep-alive was written since lastFrameMs was set
    private ByteBuf batch; // loop: frames not yet handed to the channel
    private List<OutboundPacket> batchWrites = new ArrayList<>(); // loop
    private int batchFrames; // loop
    private long batchBytes; // loop

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
        OutboundPacket.Done write = new OutboundPacket.Done(packet);
        write(write);
        return write.done();
    }

    /** Writes {@code write}, which learns of the outcome on whichever thread decides it. Any thread. */
    @Override
    public void write(OutboundPacket write) {
        int size = write.size();
        long queued = queuedBytes.addAndGet(size);
        if (queued > maxQueuedBytes && queued != size) { // one frame larger than the bound may go alone
            queuedBytes.addAndGet(-size);
            owner.stats().sendsRefusedQueueFull.increment();
            write.failed(new TransportException("send queue to " + peer + " is full: "
                    + (queued - size) + " bytes wait, the bound is " + maxQueuedBytes));
            return;
        }
        EventLoop loop = channel.eventLoop();
        if (loop.inEventLoop()) {
            write0(write);
            scheduleFlush(); // unless the read that led to this write flushes first (readComplete)
            return;
        }
        incoming.add(write);
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                loop.execute(drain);
            } catch (RejectedExecutionException e) {
                drainScheduled.set(false);
                failIncoming(new TransportClosedException("the tcp transport is closed"));
            }
        }
    }

    /** Takes what other threads wrote to the loop, in order, and flushes it. Loop. */
    private void drain() {
        drainScheduled.set(false); // a write added after the poll below schedules the next drain
        OutboundPacket next;
        while ((next = incoming.poll()) != null) {
            write0(next);
        }
        flushNow();
    }

    private void scheduleFlush() {
        if (!flushScheduled) {
            flushScheduled = true;
            channel.eventLoop().execute(flush);
        }
    }

    private void flush() {
        flushScheduled = false;
        flushNow();
    }

    /** Hands the frames written since the last flush to the socket; nothing when there are none. Loop. */
    private void flushNow() {
        if (!flushPending) {
            return;
        }
        flushPending = false;
        if (framesSinceStamp) { // keep-alives do not keep a connection lingering
            framesSinceStamp = false;
            lastFrameMs = owner.clock().millis();
        }
        writeBatch();
        channel.flush();
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
        flushNow();
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

    /** Fails what waits for the loop; called when the connection closed. Any thread. */
    void closed() {
        failIncoming(new UnreachablePeerException("the connection to " + peer + " closed"));
    }

    private void write0(OutboundPacket write) {
        if (!channel.isActive()) {
            release(write, new UnreachablePeerException("the connection to " + peer + " is closed"));
            return;
        }
        byte[] packet = write.bytes();
        if (batch == null) {
            // What waits to be written says how large this batch may get: a lone request takes a small buffer,
            // a burst 16 KiB (a batch outgrowing its guess is grown).
            int expected = (int) Math.min(BATCH_BYTES, queuedBytes.get());
            batch = channel.alloc().ioBuffer(Math.max(expected, write.size()));
        }
        batch.writeInt(packet.length).writeBytes(packet);
        batchWrites.add(write);
        batchBytes += write.size();
        flushPending = true;
        if (packet.length > 0) {
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
            queuedBytes.addAndGet(-bytes);
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

    /** Fails {@code write}, which never reached a batch, and frees its place in the queue. */
    private void release(OutboundPacket write, TransportException failure) {
        queuedBytes.addAndGet(-write.size());
        write.failed(failure);
    }

    private void failIncoming(TransportException failure) {
        OutboundPacket next;
        while ((next = incoming.poll()) != null) {
            release(next, failure);
        }
    }

    @Override
    public String toString() {
        return "tcp connection to " + peer;
    }
}
