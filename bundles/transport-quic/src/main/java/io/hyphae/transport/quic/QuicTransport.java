package io.hyphae.transport.quic;

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
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
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
 * {@link Transport} of scheme {@value #SCHEME} on Netty QUIC (quiche), TLS 1.3 with the node's Ed25519 certificate
 * on both sides (ALPN {@value QuicTls#ALPN}); a peer whose certificate key does not hash to the node id of the
 * endpoint dialled is refused, and a dialling peer is known by the id its client certificate proves.
 *
 * <p><b>Stream model.</b> One connection per peer carries everything (DHT requests and responses, routes, acks).
 * Each side sends on one long-lived unidirectional stream it opened, frames written back to back as
 * {@code [4-byte length][packet]} and matched to their requests by {@code Packet.requestId}. Why not a stream per
 * request: the measurements in BUILD-NOTES G show the per-packet cost dominates, and a long-lived stream lets a burst
 * of small frames share full QUIC packets (a stream per frame would add a STREAM frame, a FIN and stream credit per
 * 256-byte message), keeps routes from one publisher in order, and keeps stream credit simple (a peer needs one
 * stream; {@code maxStreams} bounds what it may open). The cost is head-of-line blocking of a small request behind
 * a 1 MiB route on the same stream, which QUIC streams per request would avoid; DHT requests are small and rare
 * next to routes, so order and packing win. A bad frame closes its stream only; the sender opens a new one.
 *
 * <p><b>Lifecycle.</b> {@link #start()} binds the socket, waiting at most {@code bindTimeoutMs} (a local
 * operation; the DS component calls it when activated); {@link #close()} never blocks: connections get a QUIC
 * application close, then the socket and event loops stop. Thread safe; stages complete on event loop or timer
 * threads, so callers must not block in continuations. Plain class: the DS wiring is {@link QuicTransportComponent}.
 */
public final class QuicTransport implements Transport {
    public static final String SCHEME = "quic";
    private static final Logger LOG = LoggerFactory.getLogger(QuicTransport.class);
    /** How often requests past their deadline are failed: a request times out at most this late. */
    private static final Duration REQUEST_SWEEP = Duration.ofMillis(10);

    private final QuicSettings settings;
    private final TlsCredentials credentials;
    private final Clock clock;
    private final Scheduler timers;
    private final QuicStats stats = new QuicStats();
    private final FrameCodec codec = new FrameCodec();
    private final PendingRequests pending;
    private final InboundDispatcher inbound;
    private final Connections connections;
    private final FrameSender<QuicConnection> sender;
    private final OncePerPeer badFrameLog;
    private final QuicTls tls;
    private final ChannelHandler streamInitializer = new ChannelInitializer<QuicStreamChannel>() {
        @Override
        protected void initChannel(QuicStreamChannel stream) {
            if (stream.type() != QuicStreamType.UNIDIRECTIONAL) {
                stream.close(); // the stream model has none; credit is 0 anyway
                return;
            }
            stream.pipeline().addLast(new StreamReader(QuicTransport.this));
        }
    };
    private final Object lifecycle = new Object();
    private QuicSockets sockets; // lifecycle
    private volatile boolean closed;
    private volatile List<Endpoint> endpoints = List.of();
    private CompletableFuture<Void> closing; // lifecycle

    /** A transport that is not bound yet; {@code timers} stays the caller's. */
    public QuicTransport(QuicSettings settings, TlsCredentials credentials, Clock clock, Scheduler timers) {
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
        this.tls = new QuicTls(credentials, clock);
    }

    /**
     * Binds the socket; idempotent.
     *
     * @throws IllegalStateException when the transport is closed or the address cannot be bound in time
     */
    public void start() {
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException("the quic transport is closed");
            }
            if (sockets != null) {
                return;
            }
            sockets = QuicSockets.bind(settings, tls, new ChannelInitializer<QuicChannel>() {
                @Override
                protected void initChannel(QuicChannel connection) {
                    connection.pipeline().addLast(new ConnectionHandler(QuicTransport.this));
                }
            }, streamInitializer, stats.malformedDatagrams);
            InetSocketAddress bound = sockets.localAddress();
            endpoints = List.of(new Endpoint(SCHEME, AdvertisedHost.of(settings.advertisedHost(), QuicSettings.PID, bound), bound.getPort(),
                    credentials.nodeId()));
        }
        scheduleKeepAlive();
        LOG.info("quic transport of node {} listening on {} as {}, UDP GSO {}", credentials.nodeId().shortHex(),
                sockets.localAddress(), endpoints.get(0), sockets.segmented() ? "on" : "off");
    }

    /** Closes connections, the socket and timers without waiting; the stage completes when all stopped. */
    public CompletionStage<Void> close() {
        CompletableFuture<Void> done;
        QuicSockets toClose;
        synchronized (lifecycle) {
            if (closing != null) {
                return closing;
            }
            closed = true;
            endpoints = List.of();
            toClose = sockets;
            closing = done = new CompletableFuture<>();
        }
        pending.failAll(() -> new TransportClosedException("the quic transport is closed"));
        List<QuicChannel> open = connections.live().stream().map(QuicConnection::channel).toList();
        connections.close();
        CompletableFuture<Void> stopped = toClose == null ? CompletableFuture.completedFuture(null)
                : toClose.close(open);
        stopped.whenComplete((ok, failure) -> done.complete(null));
        LOG.info("quic transport of node {} closing", credentials.nodeId().shortHex());
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
    public QuicStats stats() {
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
            for (QuicConnection connection : connections.live()) {
                connection.keepAlive(now, settings.keepAliveMs(), settings.lingerMs());
            }
            scheduleKeepAlive();
        });
    }

    /** The socket to dial from, or null when the transport is closed or not started. */
    QuicSockets sockets() {
        synchronized (lifecycle) {
            return closed ? null : sockets;
        }
    }

    ChannelHandler streamInitializer() {
        return streamInitializer;
    }

    QuicSettings settings() {
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

    QuicTls tls() {
        return tls;
    }

    OncePerPeer badFrameLog() {
        return badFrameLog;
    }
}
