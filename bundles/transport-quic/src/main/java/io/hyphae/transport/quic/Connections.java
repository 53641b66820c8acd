package io.hyphae.transport.quic;

import io.hyphae.api.NodeId;
import io.hyphae.spi.concurrent.Scheduler;
import io.hyphae.spi.transport.Endpoint;
import io.hyphae.spi.transport.Peer;
import io.hyphae.spi.transport.TransportClosedException;
import io.hyphae.spi.transport.UnreachablePeerException;
import io.hyphae.wire.ConnectionTable;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.util.AttributeKey;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport's connections, one per peer node in a {@link ConnectionTable} (dialled once, reused whichever side
 * dialled), and what the pipeline reports of each: a finished handshake names the peer by its certificate, a failed
 * one is a refusal, an end fails what was in flight on it. Dials go out through the node's one UDP socket. Thread
 * safe.
 */
final class Connections {
    /** The dial a client connection completes; set on the bootstrap. */
    static final AttributeKey<CompletableFuture<QuicConnection>> DIAL = AttributeKey.valueOf(Connections.class,
            "dial");
    private static final Logger LOG = LoggerFactory.getLogger(Connections.class);

    private final QuicTransport owner;
    private final ConnectionTable<QuicConnection> table;

    Connections(QuicTransport owner, Scheduler timers) {
        this.owner = owner;
        this.table = new ConnectionTable<>(QuicTransport.SCHEME, owner.clock(), timers,
                owner.settings().connectTimeout(), NetUtil::createByteArrayFromIpAddressString, this::connect);
    }

    /** The live connection to {@code to.nodeId()}, or a dial to {@code to}. */
    CompletableFuture<QuicConnection> to(Endpoint to) {
        return table.to(to);
    }

    /** Whether {@code node} has a live connection. */
    boolean isConnected(NodeId node) {
        return table.isConnected(node);
    }

    /** Every connection that finished its handshake and is still in the table. */
    List<QuicConnection> live() {
        return table.live();
    }

    /** Fails dials in flight; closing the connections themselves is the sockets' job. */
    void close() {
        table.close();
    }

    // Callbacks from the pipeline (event loop threads).

    /** The handshake of {@code channel} finished: learn the peer, or refuse it. Idempotent; returns null if refused. */
    QuicConnection established(QuicChannel channel) {
        QuicConnection known = channel.attr(QuicConnection.KEY).get();
        if (known != null) {
            return known;
        }
        NodeId node;
        try {
            node = owner.tls().peerNodeId(channel.sslEngine());
        } catch (Exception e) {
            refused(channel, e);
            channel.close();
            return null;
        }
        Peer peer = new Peer(node, QuicTransport.SCHEME, String.valueOf(channel.remoteSocketAddress()));
        QuicConnection connection = new QuicConnection(channel, peer, owner, owner.settings().maxQueuedBytes(),
                owner.clock().millis());
        channel.attr(QuicConnection.KEY).set(connection);
        CompletableFuture<QuicConnection> dial = channel.attr(Connections.DIAL).get();
        if (dial == null) {
            owner.stats().connectionsAccepted.increment();
        }
        if (owner.isClosed()) {
            channel.close();
            return null;
        }
        LOG.debug("connection with {} established", peer);
        table.established(connection, dial);
        return connection;
    }

    /** The handshake of {@code channel} failed: count it, log it once per address, fail the dial. */
    void refused(QuicChannel channel, Throwable cause) {
        owner.stats().connectionsRefused.increment();
        Object address = String.valueOf(channel.remoteSocketAddress());
        CompletableFuture<QuicConnection> dial = channel.attr(Connections.DIAL).get();
        if (dial != null) { // our dial: the caller learns it from the failed stage
            LOG.debug("quic handshake with {} failed: {}", address, cause.toString());
            dial.completeExceptionally(new UnreachablePeerException("handshake with " + address + " refused: "
                    + cause.getMessage(), cause));
        } else if (owner.badFrameLog().firstInWindow(channel.remoteSocketAddress() instanceof InetSocketAddress remote
                ? remote.getAddress() : address)) { // per host: every attempt has a new port
            LOG.warn("refused a quic handshake from {}: {}", address, cause.toString());
        }
    }

    /** {@code channel} is gone: fail what was written to it, forget it. */
    void closed(QuicChannel channel) {
        CompletableFuture<QuicConnection> dial = channel.attr(Connections.DIAL).get();
        if (dial != null) {
            dial.completeExceptionally(new UnreachablePeerException(
                    "connection to " + channel.remoteSocketAddress() + " closed during its handshake"));
        }
        QuicConnection connection = channel.attr(QuicConnection.KEY).get();
        if (connection == null) {
            return;
        }
        owner.stats().connectionsClosed.increment();
        connection.closed();
        table.forget(connection);
        owner.pending().failWrittenTo(connection, () -> new UnreachablePeerException(
                "the connection to " + connection.peer() + " closed before the answer came"));
    }

    /**
     * The peer of {@code channel} closed it: forget it at once, so the next frame dials again (a peer that restarted
     * on the same port is reached), and fail what awaits an answer on it; the channel itself ends after draining.
     */
    void closedByPeer(QuicChannel channel) {
        QuicConnection connection = channel.attr(QuicConnection.KEY).get();
        if (connection == null) {
            return;
        }
        connection.closedByPeer();
        table.forget(connection);
        owner.pending().failWrittenTo(connection, () -> new UnreachablePeerException(
                "the connection to " + connection.peer() + " was closed by the peer before the answer came"));
    }

    QuicConnection connectionOf(QuicChannel channel) {
        QuicConnection known = channel.attr(QuicConnection.KEY).get();
        return known != null ? known : established(channel);
    }

    /** Dials {@code address} from the node's socket; the handshake completes {@code dial} (ConnectionHandler). */
    private Runnable connect(Endpoint to, InetSocketAddress address, CompletableFuture<QuicConnection> dial) {
        QuicSockets sockets = owner.sockets();
        if (sockets == null) {
            dial.completeExceptionally(new TransportClosedException("the quic transport is closed"));
            return () -> { };
        }
        owner.stats().connectionsDialled.increment();
        Future<QuicChannel> connect = sockets.dial(address, bootstrap -> bootstrap
                .attr(QuicTls.EXPECTED, to.nodeId())
                .attr(DIAL, dial)
                .handler(new ConnectionHandler(owner))
                .streamHandler(owner.streamInitializer()));
        connect.addListener(done -> {
            if (!done.isSuccess()) {
                dial.completeExceptionally(new UnreachablePeerException("cannot connect to " + to + ": "
                        + done.cause(), done.cause()));
            } else if (dial.isCompletedExceptionally()) {
                connect.getNow().close();
            }
        });
        return () -> { }; // ConnectionHandler closes a connection whose dial failed
    }
}
