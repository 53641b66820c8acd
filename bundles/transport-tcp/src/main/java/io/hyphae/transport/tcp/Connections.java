package io.hyphae.transport.tcp;

import io.hyphae.api.NodeId;
import io.hyphae.spi.concurrent.Scheduler;
import io.hyphae.spi.transport.Endpoint;
import io.hyphae.spi.transport.Peer;
import io.hyphae.spi.transport.TransportClosedException;
import io.hyphae.spi.transport.UnreachablePeerException;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.util.AttributeKey;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLEngine;
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
    static final AttributeKey<CompletableFuture<TcpConnection>> DIAL = AttributeKey.valueOf(Connections.class,
            "dial");
    private static final Logger LOG = LoggerFactory.getLogger(Connections.class);

    private final Map<NodeId, CompletableFuture<TcpConnection>> byNode = new ConcurrentHashMap<>();
    private final TcpTransport owner;
    private final Scheduler timers;

    Connections(TcpTransport owner, Scheduler timers) {
        this.owner = owner;
        this.timers = timers;
    }

    /** The live connection to {@code to.nodeId()}, or a dial to {@code to}. */
    CompletableFuture<TcpConnection> to(Endpoint to) {
        while (true) {
            CompletableFuture<TcpConnection> known = byNode.get(to.nodeId());
            if (known != null) {
                if (!known.isDone() || usable(known)) {
                    return known;
                }
                byNode.remove(to.nodeId(), known);
                continue;
            }
            CompletableFuture<TcpConnection> dial = new CompletableFuture<>();
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
    void established(TcpConnection connection, CompletableFuture<TcpConnection> dial) {
        if (dial != null) {
            if (!dial.complete(connection)) { // timed out or closed meanwhile
                connection.close();
            }
            return;
        }
        CompletableFuture<TcpConnection> accepted = CompletableFuture.completedFuture(connection);
        byNode.compute(connection.nodeId(), (node, known) ->
                known == null || (known.isDone() && !usable(known)) ? accepted : known);
    }

    /** {@code connection} closed: forget it, so the next frame dials again. */
    private void forget(TcpConnection connection) {
        byNode.computeIfPresent(connection.nodeId(), (node, known) ->
                known.isDone() && !known.isCompletedExceptionally() && known.join() == connection ? null : known);
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
        TcpConnection connection = new TcpConnection(channel, peer, owner, owner.settings().maxQueuedBytes(), owner.clock().millis());
        channel.attr(TcpConnection.KEY).set(connection);
        if (dial == null) {
            owner.stats().connectionsAccepted.increment();
        }
        if (owner.isClosed()) {
            channel.close();
            return;
        }
        LOG.debug("connection with {} established", peer);
        established(connection, dial);
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
        forget(connection);
        owner.pending().failWrittenTo(connection, () -> new UnreachablePeerException(
                "the connection to " + connection.peer() + " closed before the answer came"));
    }

    /** Every connection that finished its handshake and is still in the table. */
    List<TcpConnection> live() {
        List<TcpConnection> live = new ArrayList<>();
        for (CompletableFuture<TcpConnection> known : byNode.values()) {
            if (usable(known)) {
                live.add(known.join());
            }
        }
        return live;
    }

    /** Fails dials in flight; closing the connections themselves is the sockets' job. */
    void close() {
        for (CompletableFuture<TcpConnection> known : byNode.values()) {
            known.completeExceptionally(new TransportClosedException("the tcp transport is closed"));
        }
        byNode.clear();
    }

    private static boolean usable(CompletableFuture<TcpConnection> known) {
        return known.isDone() && !known.isCompletedExceptionally() && known.join().isActive();
    }

    private void dial(Endpoint to, CompletableFuture<TcpConnection> dial) {
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

    private void connect(Endpoint to, InetSocketAddress address, CompletableFuture<TcpConnection> dial) {
        TcpSockets sockets = owner.sockets();
        if (sockets == null) {
            dial.completeExceptionally(new TransportClosedException("the tcp transport is closed"));
            return;
        }
        owner.stats().connectionsDialled.increment();
        ChannelFuture connect = sockets.connect(address, to.nodeId(), dial);
        connect.addListener(done -> {
            if (!done.isSuccess()) {
                dial.completeExceptionally(new UnreachablePeerException("cannot connect to " + to + ": "
                        + done.cause(), done.cause()));
            }
        });
        long timeoutMs = owner.settings().connectTimeoutMs();
        Scheduler.Cancellable timer = timers.schedule(Duration.ofMillis(timeoutMs), () -> {
            if (dial.completeExceptionally(new UnreachablePeerException("no connection and handshake with " + to
                    + " within " + timeoutMs + " ms"))) {
                LOG.debug("dial to {} timed out", to);
                connect.channel().close();
            }
        });
        dial.whenComplete((connection, failure) -> timer.cancel());
    }
}
