package io.hyphae.router;

import io.hyphae.api.MessageId;
import io.hyphae.api.NodeId;
import io.hyphae.api.Qos;
import io.hyphae.router.RouteJob.Outcome;
import io.hyphae.router.TransportTable.Route;
import io.hyphae.spi.concurrent.Scheduler.Cancellable;
import io.hyphae.spi.pubsub.Subscriber;
import io.hyphae.spi.transport.Endpoint;
import io.hyphae.spi.transport.Frame;
import io.hyphae.spi.transport.RequestTimeoutException;
import io.hyphae.spi.transport.Transport;
import io.hyphae.wire.Frames;
import io.hyphae.wire.RemoteErrorException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One message on its way to one subscriber. A round tries the subscriber's endpoints in order (each over every bound
 * transport of its scheme; endpoints that timed out before go last) until one takes the frame. QoS 0 ends with the
 * first send that works. QoS 1 sends the route as a request that the subscriber answers with an {@link Frames.Ack},
 * and starts a new round on each retry timer until acknowledged or past its deadline.
 *
 * <p>When a QoS 1 round fails on every endpoint, the subscriber is looked up again ({@link Rediscoveries}): it may
 * have moved to other endpoints (a transport stopped or started there), and a round over the new ones starts at
 * once. The delivery ends early as unreachable only when discovery no longer names the subscriber, or, when
 * discovery cannot tell (none bound), after {@code unreachableAfterRounds} failed rounds in a row. A subscriber that
 * answers {@code UNAVAILABLE} is busy, not unreachable: the retry timer sends again.
 *
 * <p>State is guarded by {@code this}; transports, timers and the job are called after the lock is released. A send
 * completion from an attempt that is no longer current (a newer round or fallback took over) only counts as an ack.
 */
final class PeerDelivery {
    private static final Logger LOG = LoggerFactory.getLogger(PeerDelivery.class);

    private final Outbound out;
    private final RouteJob job;
    private final Frames.Route frame;
    private final NodeId peer;
    private final Instant deadline;

    private boolean done;
    private long attempt;
    private List<Endpoint> endpoints;
    private List<Endpoint> tried = List.of();
    private final Set<Endpoint> slow = new HashSet<>();
    private List<Route> routes = List.of();
    private int routeIndex;
    /** The route of the attempt awaiting its outcome; null between rounds and once the peer answered busy. */
    private Route current;
    private int retries;
    private int failedRounds;
    private boolean lastRoundFailed;
    private boolean rediscovering;
    private Cancellable retryTimer;
    private Cancellable deadlineTimer;

    PeerDelivery(Outbound out, RouteJob job, Frames.Route frame, Subscriber subscriber, Instant deadline) {
        this.out = out;
        this.job = job;
        this.frame = frame;
        this.peer = subscriber.nodeId();
        this.endpoints = subscriber.endpoints();
        this.deadline = deadline;
    }

    NodeId peer() {
        return peer;
    }

    MessageId messageId() {
        return frame.id();
    }

    boolean isQos1() {
        return frame.qos() == Qos.AT_LEAST_ONCE;
    }

    /** Sends the first round; for QoS 1 also arms the deadline and the first retry. */
    void start() {
        if (isQos1()) {
            Duration untilDeadline = Duration.between(out.clock.instant(), deadline);
            Cancellable d = out.timers.schedule(untilDeadline, this::onDeadline);
            synchronized (this) {
                deadlineTimer = d;
            }
            scheduleRetry();
        }
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

    private void beginRound() {
        Route next;
        long thisAttempt;
        synchronized (this) {
            if (done) {
                return;
            }
            tried = endpoints;
            routes = slowLast(out.table.routes(endpoints));
            routeIndex = 0;
            current = null;
            if (routes.isEmpty()) {
                next = null;
                thisAttempt = 0;
            } else {
                next = routes.get(0);
                current = next;
                thisAttempt = ++attempt;
            }
        }
        if (next == null) {
            roundFailed("no bound transport serves its endpoints " + tried);
        } else {
            send(next, thisAttempt);
        }
    }

    private void send(Route route, long thisAttempt) {
        out.stats.sent.increment();
        CompletionStage<?> stage;
        try {
            stage = isQos1()
                    ? route.transport().request(route.endpoint(), frame, requestTimeout())
                    : route.transport().send(route.endpoint(), frame);
        } catch (RuntimeException e) { // a transport must fail the stage, but one that throws must not stop us
            onSendFailed(thisAttempt, route, e);
            return;
        }
        stage.whenComplete((response, failure) -> {
            if (failure != null) {
                onSendFailed(thisAttempt, route, unwrap(failure));
            } else if (isQos1()) {
                onResponse(thisAttempt, route, (Frame) response);
            } else {
                out.stats.delivered.increment();
                finish(Outcome.DELIVERED);
            }
        });
    }

    private void onResponse(long thisAttempt, Route route, Frame response) {
        if (response instanceof Frames.Ack ack && ack.id().equals(frame.id())) {
            out.onAck(peer, frame.id());
        } else {
            // Not an answer to a route (a confused peer): counted, and another endpoint may do better.
            out.stats.refused.increment();
            out.logBadPeer(peer, "answered route " + frame.id() + " at " + route.endpoint() + " with " + response);
            fallBack(thisAttempt, "answered " + response);
        }
    }

    private void onSendFailed(long thisAttempt, Route route, Throwable failure) {
        if (failure instanceof RequestTimeoutException) {
            synchronized (this) {
                slow.add(route.endpoint());
            }
            return; // it may have reached the peer: the retry timer sends it again, another endpoint first
        }
        if (failure instanceof RemoteErrorException remote) {
            if (remote.code() == Frames.Error.Code.UNAVAILABLE) {
                synchronized (this) {
                    if (thisAttempt == attempt) {
                        current = null; // answered: nothing in flight, and the endpoint is not slow
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

    /** The current attempt failed: the next route of the round that is still bound, or the round failed. */
    private void fallBack(long thisAttempt, String reason) {
        Route next = null;
        long nextAttempt = 0;
        synchronized (this) {
            if (done || thisAttempt != attempt) {
                return;
            }
            while (next == null && ++routeIndex < routes.size()) {
                Route candidate = routes.get(routeIndex);
                if (out.table.contains(candidate.transport())) { // one may have left since the round began
                    next = candidate;
                    current = next;
                    nextAttempt = ++attempt;
                }
            }
        }
        if (next != null) {
            LOG.debug("{} to {} failed ({}), trying {}", frame.id(), peer.shortHex(), reason, next.endpoint());
            out.stats.fallbacks.increment();
            send(next, nextAttempt);
        } else {
            roundFailed(reason);
        }
    }

    private void roundFailed(String reason) {
        boolean giveUp = false;
        boolean ask = false;
        synchronized (this) {
            if (done) {
                return;
            }
            lastRoundFailed = true;
            current = null;
            if (!isQos1()) {
                giveUp = true;
            } else if (!rediscovering) {
                rediscovering = ask = true; // the round is counted when the answer says whether it can help
            }
        }
        LOG.debug("{} could not reach {}: {}", frame.id(), peer.shortHex(), reason);
        if (giveUp) {
            finish(Outcome.UNREACHABLE);
        } else if (ask) {
            rediscover(true);
        }
    }

    /** Asks where the subscriber is now; {@code rediscovering} was set by the caller. */
    private void rediscover(boolean afterFailedRound) {
        out.rediscoveries.find(frame.topic(), peer).whenComplete((answer, never) -> onRediscovered(
                answer == null ? Rediscoveries.Answer.UNKNOWN : answer, afterFailedRound));
    }

    /**
     * Discovery answered where the subscriber is now. New endpoints are tried at once when the last round failed on
     * the old ones, or the attempt in flight went to an endpoint no longer advertised; the same ones wait for the
     * retry timer. Only a subscriber discovery no longer names ends the delivery before its deadline; when discovery
     * cannot tell, failed rounds count towards unreachable.
     */
    private void onRediscovered(Rediscoveries.Answer answer, boolean afterFailedRound) {
        boolean giveUp = false;
        boolean roundNow = false;
        synchronized (this) {
            rediscovering = false;
            if (done) {
                return;
            }
            if (answer.gone()) {
                giveUp = true;
            } else if (answer.found() != null) {
                failedRounds = 0;
                endpoints = answer.found().endpoints();
                slow.retainAll(endpoints);
                roundNow = !endpoints.equals(tried) && (current == null ? lastRoundFailed
                        : !endpoints.contains(current.endpoint()));
            } else if (afterFailedRound) {
                failedRounds++;
                giveUp = failedRounds >= out.settings.unreachableAfterRounds();
            }
        }
        if (giveUp) {
            LOG.debug("{} gives up on {}: {}", frame.id(), peer.shortHex(),
                    answer.gone() ? "no longer advertised" : "unreachable, and discovery cannot tell more");
            finish(Outcome.UNREACHABLE);
        } else if (roundNow) {
            out.stats.moved.increment();
            LOG.debug("{}: {} moved to {}", frame.id(), peer.shortHex(), answer.found().endpoints());
            beginRound();
        }
    }

    private void scheduleRetry() {
        Duration delay;
        synchronized (this) {
            if (done) {
                return;
            }
            delay = out.backoff.delay(retries);
        }
        if (out.clock.instant().plus(delay).isBefore(deadline)) {
            Cancellable timer = out.timers.schedule(delay, this::onRetry);
            synchronized (this) {
                retryTimer = timer;
            }
        }
    }

    private void onRetry() {
        boolean ask = false;
        synchronized (this) {
            if (done) {
                return;
            }
            retries++;
            lastRoundFailed = false;
            if (current != null) {
                // No answer within the retry delay: whichever timer fires first, the next round tries it last, and
                // discovery is asked whether the subscriber still listens there (a port that went silent, say a
                // QUIC transport restarted on another port, never fails a dial before its connect timeout).
                slow.add(current.endpoint());
                ask = !rediscovering;
                rediscovering |= ask;
            }
        }
        out.stats.qos1Retries.increment();
        scheduleRetry();
        beginRound();
        if (ask) {
            rediscover(false);
        }
    }

    private void onDeadline() {
        boolean unreachable;
        synchronized (this) {
            unreachable = lastRoundFailed;
        }
        if (finish(unreachable ? Outcome.UNREACHABLE : Outcome.EXPIRED) && !unreachable) {
            out.stats.qos1Expired.increment();
        }
    }

    private Duration requestTimeout() {
        Duration untilDeadline = Duration.between(out.clock.instant(), deadline);
        Duration retry;
        synchronized (this) {
            retry = out.backoff.delay(retries);
        }
        Duration timeout = retry.compareTo(untilDeadline) < 0 ? retry : untilDeadline;
        return timeout.isNegative() || timeout.isZero() ? Duration.ofMillis(1) : timeout;
    }

    /** Ends the delivery once; true for the call that ended it. */
    private boolean finish(Outcome outcome) {
        List<Cancellable> timers = new ArrayList<>(2);
        synchronized (this) {
            if (done) {
                return false;
            }
            done = true;
            if (retryTimer != null) {
                timers.add(retryTimer);
            }
            if (deadlineTimer != null) {
                timers.add(deadlineTimer);
            }
        }
        timers.forEach(Cancellable::cancel);
        if (outcome == Outcome.UNREACHABLE) {
            out.stats.unreachable.increment();
        }
        out.finished(this);
        job.finished(peer(), outcome);
        return true;
    }

    /** Routes in their order, those to endpoints that timed out before last. Holding the lock. */
    private List<Route> slowLast(List<Route> all) {
        if (slow.isEmpty()) {
            return all;
        }
        List<Route> ordered = new ArrayList<>(all.size());
        all.stream().filter(r -> !slow.contains(r.endpoint())).forEach(ordered::add);
        all.stream().filter(r -> slow.contains(r.endpoint())).forEach(ordered::add);
        return ordered;
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    @Override
    public String toString() {
        return "PeerDelivery[" + frame.id() + " to " + peer.shortHex() + "]";
    }
}
