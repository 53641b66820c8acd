package io.hyphae.transport.tcp;

import io.hyphae.api.NodeId;
import io.hyphae.spi.concurrent.Scheduler;
import io.hyphae.spi.transport.Endpoint;
import io.hyphae.spi.transport.Frame;
import io.hyphae.spi.transport.InboundHandler;
import io.hyphae.spi.transport.TlsCredentials;
import io.hyphae.spi.transport.Transport;
import io.hyphae.spi.transport.TransportClosedException;
import io.hyphae.wire.AdvertisedHost;
import io.hyphae.wire.FrameCodec;
import io.hyphae.wire.FrameSender;
import io.hyphae.wire.InboundDispatcher;
import io.hyphae.wire.OncePerPeer;
import io.hyphae.wire.PendingRequests;
import io.hyphae.wire.WireLimits;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
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
    private final FrameSender<TcpConnection> sender;
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
        this.sender = new FrameSender<>(SCHEME, codec, pending, stats.sendsRefusedBySize, connections::to,
                () -> closed);
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

    /** True when a connection to {@code to}'s node, dialled by either side, is up. */
    @Override
    public boolean connectedTo(Endpoint to) {
        return connections.isConnected(to.nodeId());
    }

    @Override
    public int maxFrameBytes() {
        return WireLimits.MAX_FRAME_BYTES;
    }

    @Override
    public CompletionStage<Frame> request(Endpoint to, Frame request, Duration timeout) {
        return sender.request(to, request, timeout);
    }

    @Override
    public CompletionStage<Void> send(Endpoint to, Frame message) {
        return sender.send(to, message);
    }

    @Override
    public void send(Endpoint to, Frame message, BiConsumer<? super Void, ? super Throwable> outcome) {
        sender.send(to, message, outcome);
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
