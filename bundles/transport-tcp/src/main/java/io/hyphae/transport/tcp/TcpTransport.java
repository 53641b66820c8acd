package io.hyphae.transport.tcp;

import io.hyphae.api.NodeId;
import io.hyphae.spi.concurrent.Scheduler;
import io.hyphae.spi.transport.Endpoint;
import io.hyphae.spi.transport.Frame;
import io.hyphae.spi.transport.InboundHandler;
import io.hyphae.spi.transport.TlsCredentials;
import io.hyphae.spi.transport.Transport;
import io.hyphae.spi.transport.TransportClosedException;
import io.hyphae.spi.transport.TransportException;
import io.hyphae.wire.AdvertisedHost;
import io.hyphae.wire.FrameCodec;
import io.hyphae.wire.InboundDispatcher;
import io.hyphae.wire.OncePerPeer;
import io.hyphae.wire.Packet;
import io.hyphae.wire.PendingRequests;
import io.hyphae.wire.WireException;
import io.hyphae.wire.WireFrame;
import io.hyphae.wire.WireLimits;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Transport} of scheme {@value #SCHEME}: Netty TCP with TLS 1.3 (JDK provider) and the node's Ed25519
 * certificate on both sides (ALPN {@value TcpTls#ALPN}), the fallback where UDP is blocked. A peer whose certificate
 * key does not hash to the node id of the endpoint dialled is refused; a dialling peer is known by the id its client
 * certificate proves. One connection per peer, whichever side dialled, carries requests, responses and one-way
 * frames as {@code [4-byte length][packet]}, matched by {@code Packet.requestId}; sends are bounded per connection.
 *
 * <p>{@link #start()} binds, waiting at most {@code bindTimeoutMs}; {@link #close()} never blocks. Thread safe;
 * stages complete on event loop or timer threads, so callers must not block in continuations. Plain class: the DS
 * wiring is {@link TcpTransportComponent}.
 */
public final class TcpTransport implements Transport {
    public static final String SCHEME = "tcp";
    private static final Logger LOG = LoggerFactory.getLogger(TcpTransport.class);
    /** How often requests past their deadline are failed: a request times out at most this late. */
    private static final Duration REQUEST_SWEEP = Duration.ofMillis(10);

    private final TcpSettings settings;
    private final TlsCredentials credentials;
    private final Clock clock;
    private final Scheduler timers;
    private final TcpStats stats = new TcpStats();
    private final FrameCodec codec = new FrameCodec();
    private final PendingRequests pending;
    private final InboundDispatcher inbound;
    private final Connections connections;
    private final OncePerPeer badFrameLog;
    private final TcpTls tls;
    private final Object lifecycle = new Object();
    private TcpSockets sockets; // lifecycle
    private CompletableFuture<Void> closing; // lifecycle
    private volatile boolean closed;
    private volatile List<Endpoint> endpoints = List.of();

    /** A transport that is not bound yet; {@code timers} stays the caller's. */
    public TcpTransport(TcpSettings settings, TlsCredentials credentials, Clock clock, Scheduler timers) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.timers = Objects.requireNonNull(timers, "timers");
        this.pending = new PendingRequests(timers, clock, REQUEST_SWEEP, stats.requestsTimedOut,
                stats.strayResponses);
        this.inbound = new InboundDispatcher(pending, stats.unsupported, stats.handlerFailures);
        this.connections = new Connections(this, timers);
        this.badFrameLog = new OncePerPeer(clock, Duration.ofMinutes(1), 4096);
        this.tls = new TcpTls(credentials, clock);
    }

    /**
     * Binds the listening socket; idempotent.
     *
     * @throws IllegalStateException when the transport is closed or the address cannot be bound in time
     */
    public void start() {
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException("the tcp transport is closed");
            }
            if (sockets != null) {
                return;
            }
            sockets = TcpSockets.bind(settings, tls, this);
            InetSocketAddress bound = sockets.serverAddress();
            endpoints = List.of(new Endpoint(SCHEME, AdvertisedHost.of(settings.advertisedHost(), TcpSettings.PID,
                    bound), bound.getPort(), credentials.nodeId()));
        }
        scheduleKeepAlive();
        LOG.info("tcp transport of node {} listening on {} as {}", credentials.nodeId().shortHex(),
                endpoints.get(0).port(), endpoints.get(0));
    }

    /** Closes connections, the listening socket and the event loops without waiting; idempotent. */
    public CompletionStage<Void> close() {
        CompletableFuture<Void> done;
        TcpSockets toClose;
        synchronized (lifecycle) {
            if (closing != null) {
                return closing;
            }
            closed = true;
            endpoints = List.of();
            toClose = sockets;
            closing = done = new CompletableFuture<>();
        }
        pending.failAll(() -> new TransportClosedException("the tcp transport is closed"));
        List<Channel> open = connections.live().stream().map(TcpConnection::channel).toList();
        connections.close();
        CompletableFuture<Void> stopped = toClose == null ? CompletableFuture.completedFuture(null)
                : toClose.close(open);
        stopped.whenComplete((ok, failure) -> done.complete(null));
        LOG.info("tcp transport of node {} closing", credentials.nodeId().shortHex());
        return done;
    }

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public List<Endpoint> localEndpoints() {
        return endpoints;
    }

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
            bytes = encode(to, Packet.request(id, wireFrame(request)));
        } catch (TransportException e) {
            return CompletableFuture.failedFuture(e);
        }
        PendingRequests.Pending waiting = pending.open(id, to.nodeId(), request, timeout);
        if (closed) {
            pending.fail(id, new TransportClosedException("the tcp transport is closed"));
        }
        CompletableFuture<TcpConnection> connection = connections.to(to);
        TcpConnection known = established(connection);
        if (known != null) { // the usual case: no continuation to allocate and run
            writeRequest(known, id, waiting, bytes);
        } else {
            connection.whenComplete((dialled, failure) -> {
                if (failure != null) {
                    pending.fail(id, Connections.unreachable(to, failure));
                } else {
                    writeRequest(dialled, id, waiting, bytes);
                }
            });
        }
        return waiting.result();
    }

    private void writeRequest(TcpConnection connection, long id, PendingRequests.Pending waiting, byte[] bytes) {
        waiting.writtenTo(connection);
        connection.write(new TcpConnection.Write(bytes) {
            @Override
            void failed(TransportException failure) {
                pending.fail(id, failure);
            }
        });
    }

    @Override
    public CompletionStage<Void> send(Endpoint to, Frame message) {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(message, "message");
        byte[] bytes;
        try {
            bytes = encode(to, Packet.oneWay(wireFrame(message)));
        } catch (TransportException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<TcpConnection> connection = connections.to(to);
        TcpConnection known = established(connection);
        if (known != null) { // the usual case; a write fails with TransportExceptions only
            return known.write(bytes);
        }
        CompletableFuture<Void> sent = new CompletableFuture<>();
        connection.thenCompose(dialled -> dialled.write(bytes)).whenComplete((ok, failure) -> {
            if (failure != null) {
                sent.completeExceptionally(Connections.unreachable(to, failure));
            } else {
                sent.complete(null);
            }
        });
        return sent;
    }

    /** The connection a finished dial yields, or null while it dials or when it failed. */
    private static TcpConnection established(CompletableFuture<TcpConnection> connection) {
        return connection.isDone() && !connection.isCompletedExceptionally() ? connection.join() : null;
    }

    @Override
    public Registration register(InboundHandler handler) {
        return inbound.register(handler);
    }

    /** This transport's counters. */
    public TcpStats stats() {
        return stats;
    }

    /** The node these credentials prove. */
    public NodeId nodeId() {
        return credentials.nodeId();
    }

    private byte[] encode(Endpoint to, Packet packet) {
        if (closed) {
            throw new TransportClosedException("the tcp transport is closed");
        }
        if (!SCHEME.equals(to.scheme())) {
            throw new TransportException("the tcp transport cannot reach a " + to.scheme() + " endpoint: " + to);
        }
        try {
            return codec.encode(packet);
        } catch (WireException e) {
            stats.sendsRefusedBySize.increment();
            throw new TransportException("frame refused before sending to " + to + ": " + e.getMessage(), e);
        }
    }

    private static WireFrame wireFrame(Frame frame) {
        if (frame instanceof WireFrame wire) {
            return wire;
        }
        throw new TransportException("only io.hyphae.wire frames can be sent, not " + frame.getClass().getName());
    }

    private void scheduleKeepAlive() {
        if (settings.keepAliveMs() == 0 || closed) {
            return;
        }
        timers.schedule(Duration.ofMillis(settings.keepAliveMs() / 2), () -> {
            long now = clock.millis();
            for (TcpConnection connection : connections.live()) {
                connection.keepAlive(now, settings.keepAliveMs(), settings.lingerMs());
            }
            scheduleKeepAlive();
        });
    }

    TcpSockets sockets() {
        synchronized (lifecycle) {
            return closed ? null : sockets;
        }
    }

    TcpTls tls() {
        return tls;
    }

    TcpSettings settings() {
        return settings;
    }

    Clock clock() {
        return clock;
    }

    FrameCodec codec() {
        return codec;
    }

    InboundDispatcher inbound() {
        return inbound;
    }

    Connections connections() {
        return connections;
    }

    PendingRequests pending() {
        return pending;
    }

    boolean isClosed() {
        return closed;
    }

    OncePerPeer badFrameLog() {
        return badFrameLog;
    }
}
