package io.hyphae.wire;

import io.hyphae.api.NodeId;
import io.hyphae.spi.concurrent.Scheduler;
import io.hyphae.spi.transport.Endpoint;
import io.hyphae.spi.transport.TransportClosedException;
import io.hyphae.spi.transport.UnreachablePeerException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection per peer node for a connection-per-peer transport, dialled on first use and reused for every frame
 * after it, whichever side dialled: a connection a peer opened to this node also carries this node's frames to that
 * peer (the peer proved its node id in the handshake). Concurrent first uses share one dial; a dial that failed, or a
 * connection that is no longer active, is replaced by the next use. A dial fails as unreachable when the host does
 * not resolve or the connection and its handshake have not finished within the connect timeout.
 *
 * <p>The transport does the network part as a {@link Dialer}, and reports connections that finished their handshake
 * ({@link #established}) and ended ({@link #forget}). Thread safe; under the table's bin lock it calls nothing but
 * {@link Connection#isActive}, which must be a cheap read.
 *
 * @param <C> the transport's connection
 */
public final class ConnectionTable<C extends ConnectionTable.Connection> implements FrameSender.Links<C> {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionTable.class);

    private final Map<NodeId, CompletableFuture<C>> byNode = new ConcurrentHashMap<>();
    private final String scheme;
    private final Scheduler timers;
    private final Duration connectTimeout;
    private final Function<String, byte[]> ipLiteral;
    private final Dialer<C> dialer;

    /**
     * A table of {@code scheme} connections that {@code dialer} opens, each dial failed after {@code connectTimeout}
     * on {@code timers}; {@code ipLiteral} answers the address bytes of an IP literal and null for a host name (which
     * is then resolved off the caller's thread).
     */
    public ConnectionTable(String scheme, Scheduler timers, Duration connectTimeout,
            Function<String, byte[]> ipLiteral, Dialer<C> dialer) {
        this.scheme = Objects.requireNonNull(scheme, "scheme");
        this.timers = Objects.requireNonNull(timers, "timers");
        this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
        this.ipLiteral = Objects.requireNonNull(ipLiteral, "ipLiteral");
        this.dialer = Objects.requireNonNull(dialer, "dialer");
    }

    /** The live connection to {@code to.nodeId()}, or a dial to {@code to}. */
    @Override
    public CompletableFuture<C> to(Endpoint to) {
        while (true) {
            CompletableFuture<C> known = byNode.get(to.nodeId());
            if (known != null) {
                if (!known.isDone() || usable(known)) {
                    return known;
                }
                byNode.remove(to.nodeId(), known);
                continue;
            }
            CompletableFuture<C> dial = new CompletableFuture<>();
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

    /**
     * {@code connection} finished its handshake: {@code dial}, when this node dialled it, completes with it (or, when
     * the dial timed out or the table closed meanwhile, the connection is closed); one the peer dialled becomes the
     * peer's connection unless a usable one is known.
     */
    public void established(C connection, CompletableFuture<C> dial) {
        if (dial != null) {
            if (!dial.complete(connection)) {
                connection.close();
            }
            return;
        }
        CompletableFuture<C> accepted = CompletableFuture.completedFuture(connection);
        byNode.compute(connection.nodeId(), (node, known) ->
                known == null || (known.isDone() && !usable(known)) ? accepted : known);
    }

    /** {@code connection} ended or is ending: forget it, so the next frame to its peer dials again. */
    public void forget(C connection) {
        byNode.computeIfPresent(connection.nodeId(), (node, known) ->
                known.isDone() && !known.isCompletedExceptionally() && known.join() == connection ? null : known);
    }

    /** Every connection that finished its handshake, is still active and is still in the table. */
    public List<C> live() {
        List<C> live = new ArrayList<>();
        for (CompletableFuture<C> known : byNode.values()) {
            if (usable(known)) {
                live.add(known.join());
            }
        }
        return live;
    }

    /** Fails the dials in flight and forgets every connection; closing the connections is the transport's job. */
    public void close() {
        for (CompletableFuture<C> known : byNode.values()) {
            known.completeExceptionally(new TransportClosedException("the " + scheme + " transport is closed"));
        }
        byNode.clear();
    }

    private static boolean usable(CompletableFuture<? extends Connection> known) {
        return known.isDone() && !known.isCompletedExceptionally() && known.join().isActive();
    }

    private void dial(Endpoint to, CompletableFuture<C> dial) {
        byte[] ip = ipLiteral.apply(to.host());
        if (ip != null) {
            try {
                connect(to, new InetSocketAddress(InetAddress.getByAddress(ip), to.port()), dial);
            } catch (UnknownHostException e) { // a literal of a wrong length
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

    private void connect(Endpoint to, InetSocketAddress address, CompletableFuture<C> dial) {
        Runnable giveUp;
        try {
            giveUp = dialer.connect(to, address, dial);
        } catch (RuntimeException e) { // a dialer must fail the dial, but one that throws must not leave it open
            dial.completeExceptionally(new UnreachablePeerException("cannot connect to " + to + ": " + e, e));
            return;
        }
        Scheduler.Cancellable timer = timers.schedule(connectTimeout, () -> {
            if (dial.completeExceptionally(new UnreachablePeerException("no connection and handshake with " + to
                    + " within " + connectTimeout.toMillis() + " ms"))) {
                LOG.debug("dial to {} timed out", to);
                giveUp.run();
            }
        });
        dial.whenComplete((connection, failure) -> timer.cancel());
    }

    /** A connection of the table: the link frames are written to, and what the table asks of it. */
    public interface Connection extends FrameSender.Link {
        /** The peer node, proven by its handshake. */
        NodeId nodeId();

        /** Whether it still carries frames; an inactive one is replaced by the next use. A cheap read; any thread. */
        boolean isActive();

        /** Closes it without waiting. Any thread. */
        void close();
    }

    /** The network part of a dial. */
    @FunctionalInterface
    public interface Dialer<C> {
        /**
         * Starts connecting to {@code address}, where endpoint {@code to} resolved, and completes {@code dial} with
         * the connection once its handshake proved {@code to.nodeId()}, or fails it with a
         * {@link io.hyphae.spi.transport.TransportException}; never blocks. Answers what gives the attempt up when
         * the connect timeout passes first (the dial has failed then).
         */
        Runnable connect(Endpoint to, InetSocketAddress address, CompletableFuture<C> dial);
    }
}
