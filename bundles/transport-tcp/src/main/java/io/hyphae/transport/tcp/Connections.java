package io.hyphae.transport.tcp;

import io.hyphae.api.NodeId;
import io.hyphae.spi.concurrent.Scheduler;
import io.hyphae.spi.transport.Endpoint;
import io.hyphae.spi.transport.Peer;
import io.hyphae.spi.transport.TransportClosedException;
import io.hyphae.spi.transport.UnreachablePeerException;
import io.hyphae.wire.ConnectionTable;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.util.AttributeKey;
import io.netty.util.NetUtil;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport's connections, one per peer node in a {@link ConnectionTable} (dialled once, reused whichever side
 * dialled), and what the pipeline reports of each: a finished TLS handshake names the peer by its certificate, a
 * failed one is a refusal, an end fails what was in flight on it. Thread safe.
 */
final class Connections {
    /** The dial a client connection completes; set on the bootstrap. */
    static final AttributeKey<CompletableFuture<TcpConnection>> DIAL = AttributeKey.valueOf(Connections.class,
            "dial");
    private static final Logger LOG = LoggerFactory.getLogger(Connections.class);

    private final TcpTransport owner;
    private final ConnectionTable<TcpConnection> table;

    Connections(TcpTransport owner, Scheduler timers) {
        this.owner = owner;
        this.table = new ConnectionTable<>(TcpTransport.SCHEME, owner.clock(), timers,
                Duration.ofMillis(owner.settings().connectTimeoutMs()), NetUtil::createByteArrayFromIpAddressString,
                this::connect);
    }

    /** The live connection to {@code to.nodeId()}, or a dial to {@code to}. */
    CompletableFuture<TcpConnection> to(Endpoint to) {
        return table.to(to);
    }

    /** Whether {@code node} has a live connection. */
    boolean isConnected(NodeId node) {
        return table.isConnected(node);
    }

    /** Every connection that finished its handshake and is still in the table. */
    List<TcpConnection> live() {
        return table.live();
    }

    /** Fails dials in flight; closing the connections themselves is the sockets' job. */
    void close() {
        table.close();
    }

    // Callbacks from the pipeline (event loop threads).

    /** The handshake of {@code channel} finished: learn the peer from its certificate, or refuse it. */
    void established(Channel channel, SSLEngine engine) {
        NodeId node;
        try {
            node = owner.tls().peerNodeId(engine);
        } catch (Exception e) {
            refused(channel, e);
            channel.close();
            return;
        }
        CompletableFuture<TcpConnection> dial = channel.attr(Connections.DIAL).get();
        Peer peer = new Peer(node, TcpTransport.SCHEME, String.valueOf(channel.remoteAddress()));
        TcpConnection connection = new TcpConnection(channel, peer, owner, owner.settings().maxQueuedBytes(),
                owner.clock().millis());
        channel.attr(TcpConnection.KEY).set(connection);
        if (dial == null) {
            owner.stats().connectionsAccepted.increment();
        }
        if (owner.isClosed()) {
            channel.close();
            return;
        }
        LOG.debug("connection with {} established", peer);
        table.established(connection, dial);
    }

    /** The handshake of {@code channel} failed: count it, log it once per address, fail the dial. */
    void refused(Channel channel, Throwable cause) {
        owner.stats().connectionsRefused.increment();
        Object address = String.valueOf(channel.remoteAddress());
        CompletableFuture<TcpConnection> dial = channel.attr(Connections.DIAL).get();
        if (dial != null) { // our dial: the caller learns it from the failed stage
            LOG.debug("tls handshake with {} failed: {}", address, cause.toString());
            dial.completeExceptionally(new UnreachablePeerException("handshake with " + address + " refused: "
                    + cause.getMessage(), cause));
        } else if (owner.badFrameLog().firstInWindow(channel.remoteAddress() instanceof InetSocketAddress remote
                ? remote.getAddress() : address)) { // per host: every attempt has a new port
            LOG.warn("refused a tls handshake from {}: {}", address, cause.toString());
        }
    }

    /** {@code channel} is gone: fail what was written to it, forget it. */
    void closed(Channel channel) {
        CompletableFuture<TcpConnection> dial = channel.attr(Connections.DIAL).get();
        if (dial != null) {
            dial.completeExceptionally(new UnreachablePeerException("connection to " + channel.remoteAddress()
                    + " closed during its handshake"));
        }
        TcpConnection connection = channel.attr(TcpConnection.KEY).get();
        if (connection == null) {
            return;
        }
        owner.stats().connectionsClosed.increment();
        connection.closed();
        table.forget(connection);
        owner.pending().failWrittenTo(connection, () -> new UnreachablePeerException(
                "the connection to " + connection.peer() + " closed before the answer came"));
    }

    /** Dials {@code address}; the TLS handshake completes {@code dial} (TcpHandler). */
    private Runnable connect(Endpoint to, InetSocketAddress address, CompletableFuture<TcpConnection> dial) {
        TcpSockets sockets = owner.sockets();
        if (sockets == null) {
            dial.completeExceptionally(new TransportClosedException("the tcp transport is closed"));
            return () -> { };
        }
        owner.stats().connectionsDialled.increment();
        ChannelFuture connect = sockets.connect(address, to.nodeId(), dial);
        connect.addListener(done -> {
            if (!done.isSuccess()) {
                dial.completeExceptionally(new UnreachablePeerException("cannot connect to " + to + ": "
                        + done.cause(), done.cause()));
            }
        });
        return () -> connect.channel().close();
    }
}
