package io.hyphae.router;

import io.hyphae.api.MessageId;
import io.hyphae.api.NodeId;
import io.hyphae.router.RouteJob.Outcome;
import io.hyphae.router.TransportTable.Route;
import io.hyphae.spi.pubsub.Subscriber;
import io.hyphae.spi.transport.Endpoint;
import io.hyphae.spi.transport.RequestTimeoutException;
import io.hyphae.spi.transport.Transport;
import io.hyphae.wire.Frames;
import io.hyphae.wire.RemoteErrorException;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One message on its way to one subscriber. A round tries the subscriber's endpoints in order (each over every bound
 * transport of its scheme; endpoints that timed out before go last) until one takes the frame: this class runs the
 * rounds and ends the delivery once; {@link Qos0Delivery} ends with the first send that works, {@link Qos1Delivery}
 * adds acknowledgements, retries, the deadline and rediscovery.
 *
 * <p>State is guarded by {@code this} ({@link Attempts} and the subclass's state included); transports, timers and
 * the job are called after the lock is released. A send completion from an attempt that is no longer current (a
 * newer round or fallback took over) only counts as an ack.
 */
abstract class PeerDelivery {
    private static final Logger LOG = LoggerFactory.getLogger(PeerDelivery.class);

    final Outbound out;
    final Frames.Route frame;
    final NodeId peer;
    /** Guarded by this. */
    final Attempts attempts;
    /** Written under the lock; read without it by {@link RetrySweep}. */
    volatile boolean done;
    private final RouteJob job;
    /** Its place in the peer's queue, given back when it ends; set by {@link Outbound} before it starts. */
    PeerQueues.Queue queuePlace;
    /** QoS 1: its key among the deliveries awaiting acknowledgement, once registered; set before it starts. */
    Outbound.AckKey ackKey;
    /** Links of the router's {@link InFlight} registry, guarded by the stripe's lock. */
    InFlight.Stripe stripe;
    PeerDelivery prevInFlight;
    PeerDelivery nextInFlight;

    PeerDelivery(Outbound out, RouteJob job, Frames.Route frame, Subscriber subscriber) {
        this.out = out;
        this.job = job;
        this.frame = frame;
        this.peer = subscriber.nodeId();
        this.attempts = new Attempts(subscriber.endpoints());
    }

    /** One delivery of {@code frame} to {@code subscriber}, of the frame's QoS. */
    static PeerDelivery of(Outbound out, RouteJob job, Frames.Route frame, Subscriber subscriber, long nowMs) {
        return frame.qos() == io.hyphae.api.Qos.AT_LEAST_ONCE
                ? new Qos1Delivery(out, job, frame, subscriber, nowMs)
                : new Qos0Delivery(out, job, frame, subscriber);
    }

    NodeId peer() {
        return peer;
    }

    MessageId messageId() {
        return frame.id();
    }

    abstract boolean isQos1();

    /** Sends the first round. */
    void start() {
        beginRound();
    }

    /** The subscriber acknowledged; true when this delivery was still open. */
    boolean acked() {
        if (finish(Outcome.DELIVERED)) {
            out.stats.acked.increment();
            return true;
        }
        return false;
    }

    /** The transport of the current attempt left: try again at once over what is still bound. */
    void transportLost(Transport gone) {
        synchronized (this) {
            Route current = attempts.current();
            if (done || current == null || current.transport() != gone) {
                return;
            }
        }
        out.stats.transportLost.increment();
        beginRound();
    }

    /** The router closes. */
    void close() {
        finish(Outcome.CLOSED);
    }

    /** Hands the frame to {@code route}'s transport; the stage completes with the answer (QoS 1) or the send. */
    abstract CompletionStage<?> transmit(Route route);

    /**
     * Hands the frame to {@code route}'s transport without a stage, its outcome told to {@link #outcome}, when this
     * delivery needs none; false to {@link #transmit} it instead. By default, false.
     */
    boolean transmitTold(Route route, long thisAttempt, boolean another) {
        return false;
    }

    /** The transport took the frame ({@code response}: QoS 1's answer) in attempt {@code thisAttempt}. */
    abstract void onSent(long thisAttempt, Route route, Object response);

    /** Every route of the round failed; {@code lastRoundFailed}-style bookkeeping is the subclass's. */
    abstract void roundFailed(String reason);

    /** The delivery ended (called once, holding no lock): give back what it holds. */
    void ended() {
    }

    /**
     * The transport holds {@code route}'s frame of attempt {@code thisAttempt} until {@code stage} completes, and the
     * round has a route after it; no lock held.
     */
    void waiting(Route route, long thisAttempt, CompletionStage<?> stage) {
    }

    /** Attempt {@code thisAttempt} failed after a later one took over; no lock held. */
    void supersededFailed(long thisAttempt, String reason) {
    }

    final void beginRound() {
        Route next;
        long thisAttempt;
        boolean another;
        List<Endpoint> tried;
        synchronized (this) {
            if (done) {
                return;
            }
            next = attempts.begin(out.table, out.overtakenDials);
            thisAttempt = attempts.attempt();
            another = attempts.hasNext();
            tried = attempts.tried();
        }
        if (next == null) {
            roundFailed("no bound transport serves its endpoints " + tried);
        } else {
            send(next, thisAttempt, another);
        }
    }

    /** Sends attempt {@code thisAttempt} over {@code route}; {@code another}: the round has a route after it. */
    final void send(Route route, long thisAttempt, boolean another) {
        out.stats.sent.increment();
        CompletionStage<?> stage;
        try {
            if (transmitTold(route, thisAttempt, another)) {
                return;
            }
            stage = transmit(route);
        } catch (RuntimeException e) { // a transport must fail the stage, but one that throws must not stop us
            onSendFailed(thisAttempt, route, e);
            return;
        }
        stage.whenComplete((response, failure) -> outcome(thisAttempt, route, response, failure));
        if (another && !(stage instanceof Future<?> f && f.isDone())) {
            waiting(route, thisAttempt, stage);
        }
    }

    /** How attempt {@code thisAttempt} over {@code route} ended: its response (QoS 1), or its failure. */
    final void outcome(long thisAttempt, Route route, Object response, Throwable failure) {
        if (failure != null) {
            onSendFailed(thisAttempt, route, unwrap(failure));
        } else {
            onSent(thisAttempt, route, response);
        }
    }

    private void onSendFailed(long thisAttempt, Route route, Throwable failure) {
        if (failure instanceof RequestTimeoutException) {
            synchronized (this) {
                attempts.slow(route.endpoint());
            }
            return; // it may have reached the peer: the retry timer sends it again, another endpoint first
        }
        if (failure instanceof RemoteErrorException remote) {
            if (remote.code() == Frames.Error.Code.UNAVAILABLE) {
                synchronized (this) {
                    if (thisAttempt == attempts.attempt()) {
                        attempts.clearCurrent(); // answered: nothing in flight, and the endpoint is not slow
                    }
                }
                out.stats.busy.increment();
                LOG.debug("{} is busy with {}: {}", peer.shortHex(), frame.id(), remote.getMessage());
                return; // reachable, but not taking routes now (no sink yet, closing): the retry timer sends again
            }
            // Refused at this endpoint (a transport whose router is not bound yet answers UNSUPPORTED, another
            // realm BAD_REQUEST): counted, and the next endpoint is tried.
            out.stats.refused.increment();
            out.logBadPeer(peer, "refused route " + frame.id() + " at " + route.endpoint() + ": "
                    + remote.getMessage());
        }
        fallBack(thisAttempt, String.valueOf(failure.getMessage()));
    }

    /**
     * Attempt {@code thisAttempt} failed: when it is the current one, the next route of the round that is still
     * bound, or the round failed.
     */
    final void fallBack(long thisAttempt, String reason) {
        Route next = null;
        long nextAttempt = 0;
        boolean another = false;
        boolean superseded;
        synchronized (this) {
            if (done) {
                return;
            }
            superseded = thisAttempt != attempts.attempt();
            if (!superseded) {
                next = attempts.next(out.table);
                nextAttempt = attempts.attempt();
                another = attempts.hasNext();
            }
        }
        if (superseded) {
            supersededFailed(thisAttempt, reason);
        } else if (next != null) {
            LOG.debug("{} to {} failed ({}), trying {}", frame.id(), peer.shortHex(), reason, next.endpoint());
            out.stats.fallbacks.increment();
            send(next, nextAttempt, another);
        } else {
            roundFailed(reason);
        }
    }

    /** Ends the delivery once; true for the call that ended it. */
    final boolean finish(Outcome outcome) {
        synchronized (this) {
            if (done) {
                return false;
            }
            done = true;
        }
        ended();
        if (outcome == Outcome.UNREACHABLE) {
            out.stats.unreachable.increment();
        }
        out.finished(this);
        job.finished(peer, outcome);
        return true;
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + frame.id() + " to " + peer.shortHex() + "]";
    }
}
