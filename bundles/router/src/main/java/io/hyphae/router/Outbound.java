package io.hyphae.router;

import io.hyphae.api.BackpressureException;
import io.hyphae.api.Message;
import io.hyphae.api.MessageId;
import io.hyphae.api.NodeClosedException;
import io.hyphae.api.NodeId;
import io.hyphae.spi.concurrent.Scheduler;
import io.hyphae.spi.pubsub.Discovery;
import io.hyphae.spi.pubsub.Router.Delivery;
import io.hyphae.spi.pubsub.Subscriber;
import io.hyphae.spi.transport.Transport;
import io.hyphae.wire.Frames;
import io.hyphae.wire.OvertakenDials;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sending half of the router: turns a route into one {@link PeerDelivery} per subscriber, bounds what each peer
 * has outstanding, matches acknowledgements to deliveries and moves deliveries off a transport that leaves.
 */
final class Outbound {
    private static final Logger LOG = LoggerFactory.getLogger(Outbound.class);

    final RouterSettings settings;
    final TransportTable table;
    final RouterStats stats;
    final Clock clock;
    final Scheduler timers;
    final Backoff backoff;
    final Rediscoveries rediscoveries;
    /** The first timer of every QoS 1 delivery. */
    final RetrySweep firstTimers;
    /** Endpoints whose dial in flight lost a race: rounds try them last. */
    final OvertakenDials overtakenDials;
    private final BadPeerLog badPeers;
    private final PeerQueues queues;
    private final InFlight active = new InFlight();
    private final ConcurrentHashMap<AckKey, PeerDelivery> awaitingAck = new ConcurrentHashMap<>();
    private volatile boolean closed;

    Outbound(RouterSettings settings, TransportTable table, RouterStats stats, Clock clock, Scheduler timers,
             RandomGenerator random, BadPeerLog badPeers, Supplier<Discovery> discovery) {
        this.settings = settings;
        this.table = table;
        this.stats = stats;
        this.clock = clock;
        this.timers = timers;
        this.backoff = new Backoff(settings, random);
        // An answer serves the deliveries that fail within the first retry delay after it: one DHT query per burst.
        this.rediscoveries = new Rediscoveries(discovery, timers, Duration.ofMillis(settings.retryInitialMs()), stats);
        this.firstTimers = new RetrySweep(timers, clock, Math.min(backoff.minFirstDelayMs(), settings.qos1DeadlineMs()));
        this.overtakenDials = new OvertakenDials(clock);
        this.badPeers = badPeers;
        this.queues = new PeerQueues(settings.maxQueuedPerPeer());
    }

    /** {@link io.hyphae.spi.pubsub.Router#route(Message, List, BiConsumer)}. */
    void route(Message message, List<Subscriber> subscribers, BiConsumer<? super Delivery, ? super Throwable> outcome) {
        if (closed) {
            outcome.accept(null, new NodeClosedException("the router is closed"));
            return;
        }
        List<Subscriber> targets = distinct(subscribers);
        if (targets.isEmpty()) {
            outcome.accept(new Delivery(0, 0, List.of()), null);
            return;
        }
        if (targets.size() == 1) { // the usual route: no arrays to gather places and deliveries in
            Subscriber only = targets.get(0);
            PeerQueues.Queue place = queues.reserve(only.nodeId());
            if (place == null) {
                refuse(message, only.nodeId(), outcome);
                return;
            }
            PeerDelivery d = register(new RouteJob(1, outcome), frameOf(message), only, place, clock.millis());
            stats.routed.increment();
            d.start();
            if (closed) { // close() may have run between the check above and the registration of this delivery
                d.close();
            }
            return;
        }
        PeerQueues.Queue[] places = new PeerQueues.Queue[targets.size()];
        NodeId full = queues.reserveAll(targets, places);
        if (full != null) {
            refuse(message, full, outcome);
            return;
        }
        Frames.Route frame = frameOf(message);
        long nowMs = clock.millis();
        RouteJob job = new RouteJob(targets.size(), outcome);
        PeerDelivery[] deliveries = new PeerDelivery[targets.size()];
        for (int i = 0; i < targets.size(); i++) {
            deliveries[i] = register(job, frame, targets.get(i), places[i], nowMs);
        }
        stats.routed.add(targets.size());
        for (PeerDelivery d : deliveries) {
            d.start();
        }
        if (closed) { // close() may have run between the check above and the registration of these deliveries
            for (PeerDelivery d : deliveries) {
                d.close();
            }
        }
    }

    private void refuse(Message message, NodeId full, BiConsumer<? super Delivery, ? super Throwable> outcome) {
        stats.backpressure.increment();
        outcome.accept(null, new BackpressureException("outbound queue to " + full.shortHex()
                + " is full (maxQueuedPerPeer " + queues.maxPerPeer() + "): message " + message.id()
                + " not accepted"));
    }

    private static Frames.Route frameOf(Message message) {
        return Frames.Route.of(message, 0); // the message's payload, read where the frame is written, not copied
    }

    /** A delivery of {@code frame} to {@code s}, holding {@code place} in its queue, in the router's registries. */
    private PeerDelivery register(RouteJob job, Frames.Route frame, Subscriber s, PeerQueues.Queue place, long nowMs) {
        PeerDelivery d = PeerDelivery.of(this, job, frame, s, nowMs);
        d.queuePlace = place;
        active.add(d);
        if (d.isQos1() && awaitingAck.putIfAbsent(d.ackKey = new AckKey(s.nodeId(), frame.id()), d) != null) {
            LOG.debug("{} is already in flight to {}; the new route waits for its own deadline", frame.id(),
                    s.nodeId().shortHex());
        }
        return d;
    }

    /** An acknowledgement of {@code id} came from {@code peer} (as a response or one way). */
    void onAck(NodeId peer, MessageId id) {
        PeerDelivery d = awaitingAck.get(new AckKey(peer, id));
        if (d == null || !d.acked()) {
            stats.staleAcks.increment();
        }
    }

    /** A delivery ended: free its place in its peer's queue. */
    void finished(PeerDelivery d) {
        if (active.remove(d) && d.queuePlace != null) {
            queues.release(d.queuePlace);
        }
        if (d.ackKey != null) {
            awaitingAck.remove(d.ackKey, d);
        }
    }

    /** {@code gone} was unbound: what was in flight over it goes out again over what is left. */
    void transportRemoved(Transport gone) {
        for (PeerDelivery d : active.snapshot()) {
            d.transportLost(gone);
        }
    }

    /** Ends every delivery; their routes complete exceptionally with {@link NodeClosedException}. */
    void close() {
        closed = true;
        for (PeerDelivery d : active.snapshot()) {
            d.close();
        }
        firstTimers.close();
    }

    int outstanding(NodeId peer) {
        return queues.outstanding(peer);
    }

    int active() {
        return active.size();
    }

    void logBadPeer(NodeId peer, String what) {
        if (badPeers.firstInWindow(peer)) {
            LOG.warn("peer {}: {}", peer.shortHex(), what);
        }
    }

    /** One delivery per subscriber node: a node listed twice (two advertisements) gets the message once. */
    private static List<Subscriber> distinct(List<Subscriber> subscribers) {
        if (subscribers.size() <= 1) {
            return subscribers; // the usual case: nothing to merge
        }
        Map<NodeId, Subscriber> byNode = new LinkedHashMap<>();
        for (Subscriber s : subscribers) {
            byNode.putIfAbsent(s.nodeId(), s);
        }
        return List.copyOf(byNode.values());
    }

    /** A QoS 1 delivery's key among those awaiting acknowledgement. */
    record AckKey(NodeId peer, MessageId id) {
    }
}
