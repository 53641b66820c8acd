package io.hyphae.transport.mem;

import io.hyphae.api.NodeId;
import io.hyphae.spi.concurrent.Scheduler;
import io.hyphae.spi.transport.Endpoint;
import io.hyphae.spi.transport.Frame;
import io.hyphae.spi.transport.InboundHandler;
import io.hyphae.spi.transport.Transport;
import io.hyphae.spi.transport.TransportClosedException;
import io.hyphae.spi.transport.TransportException;
import io.hyphae.spi.transport.UnreachablePeerException;
import io.hyphae.wire.FrameCodec;
import io.hyphae.wire.InboundDispatcher;
import io.hyphae.wire.Packet;
import io.hyphae.wire.PendingRequests;
import io.hyphae.wire.WireException;
import io.hyphae.wire.WireFrame;
import io.hyphae.wire.WireLimits;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code mem} transport: one node on a {@link VirtualNetwork}, reached at {@code mem://host:port/nodeIdHex}.
 * Frames travel as the bytes of the wire {@link FrameCodec}, encoded at send and decoded at the receiver, exactly as
 * a socket transport carries them; undecodable bytes are counted, logged once per peer and dropped.
 * <p>
 * Outcomes: a frame the codec refuses, a closed transport, or an address nobody holds (or held by another node than
 * the endpoint names) fail the returned stage at once; a request's response or its deadline (on the injected
 * scheduler) complete it later, on the network's scheduler thread. A partition or lost frame is silent, so a request
 * across one runs into its deadline, as over a real network. Handlers are called on the network's thread, outside
 * any lock. Thread safe.
 */
public final class MemTransport implements Transport, AutoCloseable {
    /** The endpoint scheme. */
    public static final String SCHEME = "mem";
    private static final Logger LOG = LoggerFactory.getLogger(MemTransport.class);

    private final VirtualNetwork network;
    private final Endpoint endpoint;
    private final FrameCodec codec = new FrameCodec();
    private final MemStats stats = new MemStats();
    private final PendingRequests pending;
    private final InboundDispatcher handlers;
    private final DatagramReceiver receiver;
    private final Object lifecycle = new Object();
    private volatile Attachment attachment;
    private volatile boolean closed;

    /** A transport for node {@code nodeId} at {@code host:port} of {@code network}; {@link #start} attaches it. */
    public MemTransport(VirtualNetwork network, String host, int port, NodeId nodeId, Scheduler scheduler) {
        this.network = Objects.requireNonNull(network, "network");
        this.endpoint = new Endpoint(SCHEME, host, port, nodeId);
        this.pending = new PendingRequests(Objects.requireNonNull(scheduler, "scheduler"), stats.timeouts,
                stats.strayResponses);
        this.handlers = new InboundDispatcher(pending, stats.unsupported, stats.handlerFailures);
        this.receiver = new DatagramReceiver(codec, handlers, pending, stats, () -> closed ? null : attachment);
    }

    /**
     * Attaches to the network. Starting twice is harmless.
     *
     * @throws AddressInUseException    when another node holds this host and port
     * @throws TransportClosedException when this transport was closed
     */
    public MemTransport start() {
        synchronized (lifecycle) {
            if (closed) {
                throw new TransportClosedException("mem transport " + endpoint + " is closed; it cannot start again");
            }
            if (attachment != null) {
                return this;
            }
            attachment = network.attach(endpoint.host(), endpoint.port(), endpoint.nodeId(), receiver);
        }
        LOG.info("mem transport listening at {}", endpoint);
        return this;
    }

    /**
     * Detaches from the network and fails pending requests with {@link TransportClosedException}, on the calling
     * thread. Later requests and sends fail the same way. Closing twice is harmless.
     */
    @Override
    public void close() {
        Attachment leaving;
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            leaving = attachment;
            attachment = null;
        }
        if (leaving != null) {
            leaving.close();
        }
        handlers.clear();
        pending.failAll(this::closedFailure);
        LOG.info("mem transport {} closed", endpoint);
    }

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public List<Endpoint> localEndpoints() {
        return attachment != null ? List.of(endpoint) : List.of();
    }

    /** {@link WireLimits#MAX_FRAME_BYTES}. */
    @Override
    public int maxFrameBytes() {
        return WireLimits.MAX_FRAME_BYTES;
    }

    @Override
    public CompletionStage<Frame> request(Endpoint to, Frame request, Duration timeout) {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(timeout, "timeout");
        long id = pending.nextId();
        byte[] bytes;
        try {
            bytes = encode(Packet.request(id, wireFrame(request)));
        } catch (TransportException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Frame> result = pending.open(id, to.nodeId(), request, timeout).result();
        TransportException refused = transmit(to, bytes);
        if (refused == null && closed) {
            // close() may have drained the table just before this request entered it
            refused = closedFailure();
        }
        if (refused != null) {
            pending.fail(id, refused);
        } else {
            stats.requestsSent.increment();
        }
        return result;
    }

    @Override
    public CompletionStage<Void> send(Endpoint to, Frame message) {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(message, "message");
        TransportException refused;
        try {
            refused = transmit(to, encode(Packet.oneWay(wireFrame(message))));
        } catch (TransportException e) {
            refused = e;
        }
        if (refused != null) {
            return CompletableFuture.failedFuture(refused);
        }
        stats.messagesSent.increment();
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public Registration register(InboundHandler handler) {
        return handlers.register(handler);
    }

    /** This transport's counters. */
    public MemStats stats() {
        return stats;
    }

    /** The endpoint this transport listens at once started. */
    public Endpoint endpoint() {
        return endpoint;
    }

    @Override
    public String toString() {
        return "MemTransport[" + endpoint + "]";
    }

    /** Hands {@code bytes} to the network; the failure to report, or null when the network took them. */
    private TransportException transmit(Endpoint to, byte[] bytes) {
        Attachment from = attachment;
        if (closed || from == null) {
            return closed ? closedFailure() : new TransportException("mem transport " + endpoint + " is not started");
        }
        if (!SCHEME.equals(to.scheme())) {
            stats.unreachable.increment();
            return new UnreachablePeerException("mem transport cannot reach " + to + ": not a mem endpoint");
        }
        return switch (from.transmit(to.host(), to.port(), to.nodeId(), bytes)) {
            case SENT -> null;
            case NO_SUCH_ADDRESS -> unreachable(to, "nobody is attached at " + to.host() + ":" + to.port());
            case WRONG_NODE -> unreachable(to, "another node than " + to.nodeId().shortHex() + " is attached there");
            case DETACHED -> closedFailure();
        };
    }

    private TransportException unreachable(Endpoint to, String why) {
        stats.unreachable.increment();
        return new UnreachablePeerException("cannot reach " + to + ": " + why);
    }

    private byte[] encode(Packet packet) {
        try {
            return codec.encode(packet);
        } catch (WireException e) {
            stats.refusedBySize.increment();
            throw new TransportException("mem transport refused to send " + packet.frame().getClass().getSimpleName()
                    + ": " + e.getMessage(), e);
        }
    }

    private static WireFrame wireFrame(Frame frame) {
        if (frame instanceof WireFrame wire) {
            return wire;
        }
        throw new TransportException("mem transport carries wire frames only, not " + frame.getClass().getName());
    }

    private TransportClosedException closedFailure() {
        return new TransportClosedException("mem transport " + endpoint + " is closed");
    }
}
