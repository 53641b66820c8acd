package io.hyphae.wire;

import io.hyphae.spi.transport.TransportClosedException;
import io.hyphae.spi.transport.TransportException;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The way out of one connection: packets written on any thread reach the connection's network thread (its event
 * loop) in order, bounded in bytes, and leave in as few flushes as the traffic allows.
 *
 * <ul>
 * <li>What waits is bounded by {@code maxQueuedBytes}, counted from {@link #write} until the {@link Sink} frees the
 * bytes: a packet beyond the bound fails at once with a {@link TransportException} (one packet larger than the bound
 * may go alone) rather than growing memory when the peer reads slowly.</li>
 * <li>Packets from other threads wait in {@code incoming}, and one task on the network thread drains however many
 * arrived meanwhile; a flush task queued behind it flushes them with whatever else the turn appended (a task or a
 * flush per packet cost more than the packet; bench/, #6).</li>
 * <li>Packets written on the network thread itself (answers, written while the peer's frames are read) are flushed
 * when the read completes ({@link #flushNow}), so they leave with the transport's own reply to the read (QUIC's
 * acknowledgement); a write on the network thread outside a read is flushed by a task at the end of the turn.</li>
 * </ul>
 *
 * <p>Netty-free: the transport gives its event loop and batching as a {@link Sink}, and a multi-producer queue.
 * {@link #write}, {@link #release}, {@link #failIncoming} and {@link #queuedBytes} may be called on any thread; the
 * other methods, and every {@link Sink} callback, run on the network thread only.
 */
public final class OutboundQueue {
    private final Sink sink;
    private final int maxQueuedBytes;
    private final Queue<OutboundPacket> incoming;
    private final LongAdder refusedQueueFull;
    private final Object peer;
    private final String scheme;
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drain = this::drain;
    private final Runnable flushTask = this::flushTask;
    private boolean flushScheduled; // network thread: the flush task is queued
    private boolean flushPending; // network thread: packets were appended since the last flush

    /**
     * A queue towards {@code sink}, holding at most {@code maxQueuedBytes}; {@code incoming} must take several
     * producers and one consumer; {@code refusedQueueFull} counts packets refused by the bound; {@code peer} and
     * {@code scheme} name the connection in failures.
     */
    public OutboundQueue(Sink sink, int maxQueuedBytes, Queue<OutboundPacket> incoming, LongAdder refusedQueueFull,
            Object peer, String scheme) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.maxQueuedBytes = maxQueuedBytes;
        this.incoming = Objects.requireNonNull(incoming, "incoming");
        this.refusedQueueFull = Objects.requireNonNull(refusedQueueFull, "refusedQueueFull");
        this.peer = Objects.requireNonNull(peer, "peer");
        this.scheme = Objects.requireNonNull(scheme, "scheme");
    }

    /** Writes {@code packet}, which learns of its fate on whichever thread decides it. Any thread; never blocks. */
    public void write(OutboundPacket packet) {
        int size = packet.size();
        long queued = queuedBytes.addAndGet(size);
        if (queued > maxQueuedBytes && queued != size) {
            queuedBytes.addAndGet(-size);
            refusedQueueFull.increment();
            packet.failed(new TransportException("send queue to " + peer + " is full: " + (queued - size)
                    + " bytes wait, the bound is " + maxQueuedBytes));
            return;
        }
        if (sink.inNetworkThread()) {
            append(packet);
            flushSoon(); // unless the read that led to this write flushes first
            return;
        }
        incoming.add(packet);
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                sink.execute(drain);
            } catch (RejectedExecutionException e) {
                drainScheduled.set(false);
                failIncoming(new TransportClosedException("the " + scheme + " transport is closed"));
            }
        }
    }

    /** Bytes written and not yet freed: what waits, in batches or on the network thread. Any thread. */
    public long queuedBytes() {
        return queuedBytes.get();
    }

    /** The network took (or lost) packets of {@code bytes} in all; their room is free again. */
    public void free(long bytes) {
        queuedBytes.addAndGet(-bytes);
    }

    /** Fails {@code packet}, which never reached a batch, and frees its room. Any thread. */
    public void release(OutboundPacket packet, TransportException failure) {
        free(packet.size());
        packet.failed(failure);
    }

    /** Fails the packets still waiting for the network thread (the connection is gone). Any thread. */
    public void failIncoming(TransportException failure) {
        OutboundPacket next;
        while ((next = incoming.poll()) != null) {
            release(next, failure);
        }
    }

    /** Packets reached the batch outside {@link Sink#append}: flush at the end of this turn. Network thread. */
    public void flushSoon() {
        flushPending = true;
        if (!flushScheduled) {
            flushScheduled = true;
            sink.execute(flushTask);
        }
    }

    /** Flushes now if anything was appended since the last flush: a read completed. Network thread. */
    public void flushNow() {
        if (flushPending) {
            flushPending = false;
            sink.flush();
        }
    }

    /**
     * Takes what other threads wrote, in order, and flushes it at the end of the turn: the tasks and reads queued
     * behind this one (another drain, a read whose answers join the batch) then leave in the same flush, as full
     * packets, instead of one flush each (bench/, #6).
     */
    private void drain() {
        drainScheduled.set(false); // a packet added after the poll below schedules the next drain
        OutboundPacket next;
        while ((next = incoming.poll()) != null) {
            append(next);
        }
        if (flushPending) {
            flushSoon();
        }
    }

    private void append(OutboundPacket packet) {
        flushPending = true;
        sink.append(packet);
    }

    private void flushTask() {
        flushScheduled = false;
        flushNow();
    }

    /** The connection's network thread and batching. Callbacks run on that thread and must not block. */
    public interface Sink {
        /** Whether the calling thread is the network thread. */
        boolean inNetworkThread();

        /** Runs {@code task} on the network thread; throws {@link RejectedExecutionException} once it stopped. */
        void execute(Runnable task);

        /** Takes {@code packet} into the batch to send, or fails it through {@link OutboundQueue#release}. */
        void append(OutboundPacket packet);

        /** Writes the batch and flushes it to the network; the network frees the bytes when it took them. */
        void flush();
    }
}
