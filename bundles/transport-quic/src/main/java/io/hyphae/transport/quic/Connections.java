package io.hyphae.transport.quic;

import io.hyphae.api.NodeId;
import io.hyphae.spi.concurrent.Scheduler;
import io.hyphae.spi.transport.Endpoint;
import io.hyphae.spi.transport.Peer;
import io.hyphae.spi.transport.TransportClosedException;
import io.hyphae.spi.transport.UnreachablePeerException;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.util.AttributeKey;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.Future;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection per peer node, dialled on first use and reused for every frame after it, whichever side dialled:
 * a connection a peer opened to this node also carries this node's frames to that peer (the peer is authenticated
 * by its client certificate). Concurrent first uses share one dial. A dial fails as unreachable when its handshake
 * has not finished within the connect timeout, or when the peer proves another node id. The pipeline reports each
 * connection's handshake and end here: a finished handshake names the peer by its certificate, a failed one is a
 * refusal, an end fails what was in flight on it. Thread safe; never calls out while the table's bin lock is held.
 */
final class Connections {
    /** The dial a client connection completes; set on the bootstrap. */
    static final AttributeKey<CompletableFuture<QuicConnection>> DIAL = AttributeKey.valueOf(Connections.class,
            "dial");
    private static final Logger LOG = LoggerFactory.getLogger(Connections.class);

    private final Map<NodeId, CompletableFuture<QuicConnection>> byNode = new ConcurrentHashMap<>();
    private final QuicTransport owner;
    private final Scheduler timers;

    Connections(QuicTransport owner, Scheduler timers) {
        this.owner = owner;
        this.timers = timers;
    }

    /** The live connection to {@code to.nodeId()}, or a dial to {@code to}. */
    CompletableFuture<QuicConnection> to(Endpoint to) {
        while (true) {
            CompletableFuture<QuicConnection> known = byNode.get(to.nodeId());
            if (known != null) {
                if (!known.isDone() || usable(known)) {
                    return known;
                }
                byNode.remove(to.nodeId(), known);
                continue;
            }
            CompletableFuture<QuicConnection> dial = new CompletableFuture<>();
            if (byNode.putIfAbsent(to.nodeId(), dial) == null) {
                dial.whenComplete((connection, failure) -> {
                    if (failure != null) {
                        byNode.remove(to.nodeId(), dial);
                    }
                });
                dial(to, dial);
                return dial;
            }
        }
    }

    /** A connection finished its handshake; a dial completes, an accepted one becomes usable if none is. */
    void established(QuicConnection connection, CompletableFuture<QuicConnection> dial) {
        if (dial != null) {
            if (!dial.complete(connection)) { // timed out or closed meanwhile
                connection.close();
            }
            return;
        }
        CompletableFuture<QuicConnection> accepted = CompletableFuture.completedFuture(connection);
        byNode.compute(connection.nodeId(), (node, known) ->
                known == null || (known.isDone() && !usable(known)) ? accepted : known);
    }

    /** {@code connection} closed: forget it, so the next frame dials again. */
    private void forget(QuicConnection connection) {
        byNode.computeIfPresent(connection.nodeId(), (node, known) ->
                known.isDone() && !known.isCompletedExceptionally() && known.join() == connection ? null : known);
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
        established(connection, dial);
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
        forget(connection);
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
        forget(connection);
        owner.pending().failWrittenTo(connection, () -> new UnreachablePeerException(
                "the connection to " + connection.peer() + " was closed by the peer before the answer came"));
    }

    QuicConnection connectionOf(QuicChannel channel) {
        QuicConnection known = channel.attr(QuicConnection.KEY).get();
        return known != null ? known : established(channel);
    }

    /** Every connection that finished its handshake and is still in the table. */
    List<QuicConnection> live() {
        List<QuicConnection> live = new ArrayList<>();
        for (CompletableFuture<QuicConnection> known : byNode.values()) {
            if (usable(known)) {
                live.add(known.join());
            }
        }
        return live;
    }

    /** Fails dials in flight; closing the connections themselves is the sockets' job. */
    void close() {
        for (CompletableFuture<QuicConnection> known : byNode.values()) {
            known.completeExceptionally(new TransportClosedException("the quic transport is closed"));
        }
        byNode.clear();
    }

    private static boolean usable(CompletableFuture<QuicConnection> known) {
        return known.isDone() && !known.isCompletedExceptionally() && known.join().isActive();
    }

    private void dial(Endpoint to, CompletableFuture<QuicConnection> dial) {
        byte[] ip = NetUtil.createByteArrayFromIpAddressString(to.host());
        if (ip != null) {
            try {
                connect(to, new InetSocketAddress(InetAddress.getByAddress(ip), to.port()), dial);
            } catch (UnknownHostException e) { // only for a wrong length, which NetUtil never returns
                dial.completeExceptionally(new UnreachablePeerException("bad address in " + to, e));
            }
            return;
        }
        // A host name: resolve off the caller's thread (it may be an event loop), on the common pool.
        CompletableFuture.supplyAsync(() -> new InetSocketAddress(to.host(), to.port())).whenComplete(
                (address, failure) -> {
                    if (failure != null || address.isUnresolved()) {
                        dial.completeExceptionally(new UnreachablePeerException("cannot resolve " + to));
                    } else {
                        connect(to, address, dial);
                    }
                });
    }

    private void connect(Endpoint to, InetSocketAddress address, CompletableFuture<QuicConnection> dial) {
        QuicSockets sockets = owner.sockets();
        if (sockets == null) {
            dial.completeExceptionally(new TransportClosedException("the quic transport is closed"));
            return;
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
        long timeoutMs = owner.settings().connectTimeoutMs();
        Scheduler.Cancellable timer = timers.schedule(owner.settings().connectTimeout(), () -> {
            if (dial.completeExceptionally(new UnreachablePeerException("no handshake with " + to + " within "
                    + timeoutMs + " ms"))) {
                LOG.debug("dial to {} timed out", to); // ConnectionHandler closes the channel
            }
        });
        dial.whenComplete((connection, failure) -> timer.cancel());
    }
}
