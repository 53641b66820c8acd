package io.hyphae.wire;

import io.hyphae.api.NodeId;
import io.hyphae.spi.concurrent.Scheduler;
import io.hyphae.spi.transport.Endpoint;
import io.hyphae.spi.transport.TransportClosedException;
import io.hyphae.spi.transport.UnreachablePeerException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection per peer node for a connection-per-peer transport, dialled on first use and reused for every frame
 * after it, whichever side dialled: a connection a peer opened to this node also carries this node's frames to that
 * peer (the peer proved its node id in the handshake). A connection that is no longer active is replaced by the next
 * use.
 *
 * <p>Until a node's connection is up, every use of the node waits for the same link. Uses of one endpoint share one
 * dial; a use of another endpoint of the same node dials that one too, because a peer that moved (a transport
 * restarted on another port) never answers at its old address, and a dial there must not hold up the new one until
 * its connect timeout. The first dial to finish its handshake is the node's connection for every use, and the other
 * dials to the node are given up; the link fails only when every dial to the node failed, with the last failure. A
 * dial fails as unreachable when the host does not resolve or the connection and its handshake have not finished
 * within the connect timeout.
 *
 * <p>An endpoint whose dial failed is held down: while it is, a use of it (when its node has no live connection)
 * fails at once with that failure, so a caller with another way to the node (a TCP endpoint where UDP is blocked)
 * takes it without waiting for another connect timeout. The first use after the hold ends fails at once too and
 * dials the endpoint in the background; a background dial that gets through makes the node's connection for the uses
 * after it, one that fails holds the endpoint down twice as long as before ({@value #FIRST_HOLD_MS} ms first, at most
 * {@value #MAX_HOLD_MS} ms). An endpoint nobody used for {@value #FORGET_MS} ms after its hold ended is forgotten,
 * and the next use dials it as if it had never failed.
 *
 * <p>The transport does the network part as a {@link Dialer}, and reports connections that finished their handshake
 * ({@link #established}) and ended ({@link #forget}). Thread safe; under the table's bin lock it calls nothing but
 * {@link Connection#isActive}, which must be a cheap read, and a link's lock guards only its own dials.
 *
 * @param <C> the transport's connection
 */
public final class ConnectionTable<C extends ConnectionTable.Connection> implements FrameSender.Links<C> {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionTable.class);
    /** How long an endpoint is held down after its first failed dial; doubled per failed dial in a row. */
    static final long FIRST_HOLD_MS = 1_000;
    /** The longest hold: a peer back at its address is found at most this late (plus one dial). */
    static final long MAX_HOLD_MS = 10_000;
    /** An endpoint not used for this long after its hold ended is forgotten. */
    static final long FORGET_MS = 60_000;
    /** Held-down endpoints beyond which forgotten ones are swept out at the next failure. */
    private static final int SWEEP_ABOVE = 1_024;

    private final Map<NodeId, Link> byNode = new ConcurrentHashMap<>();
    private final Map<Endpoint, HeldDown> heldDown = new ConcurrentHashMap<>();
    private final String scheme;
    private final Clock clock;
    private final Scheduler timers;
    private final Duration connectTimeout;
    private final Function<String, byte[]> ipLiteral;
    private final Dialer<C> dialer;

    /**
     * A table of {@code scheme} connections that {@code dialer} opens, each dial failed after {@code connectTimeout}
     * on {@code timers}, holds measured on {@code clock}; {@code ipLiteral} answers the address bytes of an IP
     * literal and null for a host name (which is then resolved off the caller's thread).
     */
    public ConnectionTable(String scheme, Clock clock, Scheduler timers, Duration connectTimeout,
            Function<String, byte[]> ipLiteral, Dialer<C> dialer) {
        this.scheme = Objects.requireNonNull(scheme, "scheme");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.timers = Objects.requireNonNull(timers, "timers");
        this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
        this.ipLiteral = Objects.requireNonNull(ipLiteral, "ipLiteral");
        this.dialer = Objects.requireNonNull(dialer, "dialer");
    }

    /** As above, holds measured on the system clock: the constructor of wire 1.2, kept for transports built on it. */
    public ConnectionTable(String scheme, Scheduler timers, Duration connectTimeout,
            Function<String, byte[]> ipLiteral, Dialer<C> dialer) {
        this(scheme, Clock.systemUTC(), timers, connectTimeout, ipLiteral, dialer);
    }

    /**
     * The live connection to {@code to.nodeId()}, the link that dials {@code to} (among the node's dials), or, while
     * {@code to} is held down, its last failure.
     */
    @Override
    public CompletableFuture<C> to(Endpoint to) {
        Link known = byNode.get(to.nodeId());
        if (known != null && known.usable()) {
            return known.connection;
        }
        HeldDown held = heldDown.get(to);
        if (held != null) {
            CompletableFuture<C> refused = whileHeldDown(to, held);
            if (refused != null) {
                return refused;
            }
        }
        return dial(to);
    }

    /**
     * Whether {@code node} has a live connection, so that a use of any of its endpoints goes out without a dial.
     *
     * @since 1.4
     */
    public boolean isConnected(NodeId node) {
        Link known = byNode.get(node);
        return known != null && known.usable();
    }

    /** Null when {@code to} may be dialled now (its hold is long forgotten), else its failure. */
    private CompletableFuture<C> whileHeldDown(Endpoint to, HeldDown held) {
        long now = clock.millis();
        if (now < held.retryAtMs) {
            return CompletableFuture.failedFuture(held.failure);
        }
        if (now - held.retryAtMs >= FORGET_MS) {
            heldDown.remove(to, held);
            return null;
        }
        // Until that dial ends (a failure holds it down again, success forgets it), at most for a connect timeout.
        if (heldDown.replace(to, held, held.retryAt(now + connectTimeout.toMillis()))) {
            LOG.debug("dialling {} in the background: its hold of {} ms ended", to, held.holdMs);
            dial(to);
        }
        return CompletableFuture.failedFuture(held.failure);
    }

    /**
     * The link to {@code to.nodeId()}, dialling {@code to} unless a dial there is in flight; a link whose last dial
     * has just failed is replaced, so that a use of another endpoint does not fail with that endpoint's failure.
     */
    private CompletableFuture<C> dial(Endpoint to) {
        while (true) {
            Link known = byNode.get(to.nodeId());
            if (known != null) {
                if (known.usable()) {
                    return known.connection;
                }
                if (!known.connection.isDone() && known.dial(to)) {
                    return known.connection;
                }
                byNode.remove(to.nodeId(), known);
                continue;
            }
            Link link = new Link(new CompletableFuture<>());
            if (byNode.putIfAbsent(to.nodeId(), link) == null) {
                link.connection.whenComplete((connection, failure) -> {
                    if (failure != null) {
                        byNode.remove(to.nodeId(), link);
                    }
                });
                link.dial(to);
                return link.connection;
            }
        }
    }

    /**
     * {@code connection} finished its handshake: {@code dial}, when this node dialled it, completes with it (or, when
     * the dial timed out, was given up or the table closed meanwhile, the connection is closed); one the peer dialled
     * becomes the peer's connection unless a usable one is known or this node is dialling the peer.
     */
    public void established(C connection, CompletableFuture<C> dial) {
        if (dial != null) {
            if (!dial.complete(connection)) {
                connection.close();
            }
            return;
        }
        Link accepted = new Link(CompletableFuture.completedFuture(connection));
        byNode.compute(connection.nodeId(), (node, known) ->
                known == null || (known.connection.isDone() && !known.usable()) ? accepted : known);
    }

    /** {@code connection} ended or is ending: forget it, so the next frame to its peer dials again. */
    public void forget(C connection) {
        byNode.computeIfPresent(connection.nodeId(), (node, known) -> known.established() == connection ? null : known);
    }

    /** Every connection that finished its handshake, is still active and is still in the table. */
    public List<C> live() {
        List<C> live = new ArrayList<>();
        for (Link known : byNode.values()) {
            if (known.usable()) {
                live.add(known.established());
            }
        }
        return live;
    }

    /** Fails the dials in flight and forgets every connection; closing the connections is the transport's job. */
    public void close() {
        TransportClosedException closed = new TransportClosedException("the " + scheme + " transport is closed");
        for (Link known : byNode.values()) {
            known.close(closed);
        }
        byNode.clear();
    }

    private void startDial(Endpoint to, CompletableFuture<C> dial) {
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
        if (dial.isDone()) {
            return; // given up while the host name resolved: another dial to the node finished first
        }
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
            }
        });
        dial.whenComplete((connection, failure) -> {
            timer.cancel();
            if (failure != null) {
                giveUp.run(); // timed out, given up, or failed by the dialer itself (harmless to give up again)
            }
        });
    }

    /** {@code to}'s dial failed: hold it down, twice as long as last time if it was held down already. */
    private void holdDown(Endpoint to, Throwable failure) {
        long now = clock.millis();
        HeldDown held = heldDown.compute(to, (e, before) -> {
            long hold = before == null ? FIRST_HOLD_MS : Math.min(2 * before.holdMs, MAX_HOLD_MS);
            return new HeldDown(now + hold, hold, new UnreachablePeerException(to + " did not take a connection ("
                    + failure.getMessage() + "); not dialled again for " + hold + " ms", failure));
        });
        LOG.debug("{} held down for {} ms: {}", to, held.holdMs, failure.toString());
        if (heldDown.size() > SWEEP_ABOVE) {
            heldDown.values().removeIf(h -> now - h.retryAtMs >= FORGET_MS);
        }
    }

    /**
     * An endpoint whose last dial failed.
     *
     * @param retryAtMs when the next use dials it again (in the background)
     * @param holdMs    how long it was held down this time
     * @param failure   what uses of it fail with meanwhile
     */
    private record HeldDown(long retryAtMs, long holdMs, UnreachablePeerException failure) {
        HeldDown retryAt(long ms) {
            return new HeldDown(ms, holdMs, failure);
        }
    }

    /**
     * A peer node's place in the table: its connection, or, until one finished its handshake, the dials to its
     * endpoints, of which the first to finish completes it.
     */
    private final class Link {
        final CompletableFuture<C> connection;
        // Guarded by this: the dials in flight, whether one of their ends settled the link, and whether the last one
        // failed (the link is about to fail).
        private final Map<Endpoint, CompletableFuture<C>> dials = new HashMap<>(2);
        private boolean settled;
        private boolean allFailed;

        Link(CompletableFuture<C> connection) {
            this.connection = connection;
        }

        /** The connection, once one finished its handshake; else null. */
        C established() {
            return connection.isDone() && !connection.isCompletedExceptionally() ? connection.join() : null;
        }

        boolean usable() {
            C c = established();
            return c != null && c.isActive();
        }

        /**
         * Dials {@code to} unless a dial there is in flight or the link is done.
         *
         * @return false when the link's last dial has just failed, so that it cannot serve {@code to}: the caller
         *         makes a new link
         */
        boolean dial(Endpoint to) {
            CompletableFuture<C> dial;
            Set<Endpoint> inFlight;
            synchronized (this) {
                if (settled || connection.isDone() || dials.containsKey(to)) {
                    return !allFailed;
                }
                inFlight = dials.isEmpty() ? null : Set.copyOf(dials.keySet());
                dial = new CompletableFuture<>();
                dials.put(to, dial);
            }
            if (inFlight != null) {
                LOG.debug("dialling {} too: the node may have moved (dials in flight: {})", to, inFlight);
            }
            dial.whenComplete((c, failure) -> ended(to, dial, c, failure));
            startDial(to, dial);
            return true;
        }

        /**
         * A dial ended: the first to finish completes the link and gives the others up; the last to fail fails it.
         */
        private void ended(Endpoint to, CompletableFuture<C> dial, C c, Throwable failure) {
            List<CompletableFuture<C>> others = null;
            boolean late;
            synchronized (this) {
                dials.remove(to, dial);
                late = settled;
                if (!late && (failure == null || dials.isEmpty())) {
                    settled = true;
                    allFailed = failure != null;
                    others = List.copyOf(dials.values());
                    dials.clear();
                }
            }
            if (late) { // given up, or the table closed: says nothing about the endpoint
                if (failure == null) {
                    c.close(); // it finished after another dial settled the link, or the table closed
                }
                return;
            }
            if (failure != null) {
                holdDown(to, failure);
            } else {
                heldDown.remove(to);
            }
            if (others == null) {
                return; // another dial to the node may still get through
            }
            if (failure != null) {
                connection.completeExceptionally(failure);
                return;
            }
            if (!connection.complete(c)) {
                c.close(); // the table closed meanwhile
                return;
            }
            if (others.isEmpty()) {
                return;
            }
            UnreachablePeerException notNeeded = new UnreachablePeerException("given up: connected to "
                    + c.nodeId().shortHex() + " through another endpoint");
            others.forEach(other -> other.completeExceptionally(notNeeded));
        }

        /** The table closed: fails the link and its dials in flight. */
        void close(TransportClosedException closed) {
            List<CompletableFuture<C>> inFlight;
            synchronized (this) {
                settled = true;
                inFlight = List.copyOf(dials.values());
                dials.clear();
            }
            connection.completeExceptionally(closed);
            inFlight.forEach(dial -> dial.completeExceptionally(closed));
        }
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
