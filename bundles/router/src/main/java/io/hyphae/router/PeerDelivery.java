package io.hyphae.router;

import io.hyphae.api.MessageId;
import io.hyphae.api.NodeId;
import io.hyphae.api.Qos;
import io.hyphae.router.RouteJob.Outcome;
import io.hyphae.router.TransportTable.Route;
import io.hyphae.spi.concurrent.Scheduler.Cancellable;
import io.hyphae.spi.pubsub.Subscriber;
import io.hyphae.spi.transport.Frame;
import io.hyphae.spi.transport.RequestTimeoutException;
import io.hyphae.spi.transport.Transport;
import io.hyphae.wire.Frames;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One message on its way to one subscriber. A round tries the subscriber's endpoints in order (each over every bound
 * transport of its scheme) until one takes the frame. QoS 0 ends with the first send that works. QoS 1 sends the
 * route as a request that the subscriber answers with an {@link Frames.Ack}, and starts a new round on each retry
 * timer until acknowledged, unreachable or past its deadline.
 *
 * <p>State is guarded by {@code this}; transports, timers and the job are called after the lock is released. A send
 * completion from an attempt that is no longer current (a newer round or fallback took over) only counts as an ack.
 */
final class PeerDelivery {
    private static final Logger LOG = LoggerFactory.getLogger(PeerDelivery.class);

    private final Outbound out;
    private final RouteJob job;
    private final Frames.Route frame;
    private final Subscriber subscriber;
    private final Instant deadline;

    private boolean done;
    private long attempt;
    private List<Route> routes = List.of();
    private int routeIndex;
    private Transport current;
    private int retries;
    private int failedRounds;
    private boolean lastRoundFailed;
    private Cancellable retryTimer;
    private Cancellable deadlineTimer;

    PeerDelivery(Outbound out, RouteJob job, Frames.Route frame, Subscriber subscriber, Instant deadline) {
        this.out = out;
        this.job = job;
        this.frame = frame;
        this.subscriber = subscriber;
        this.deadline = deadline;
    }

    NodeId peer() {
        return subscriber.nodeId();
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
            if (done || current != gone) {
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
            routes = out.table.routes(subscriber.endpoints());
            routeIndex = 0;
            current = null;
            if (routes.isEmpty()) {
                next = null;
                thisAttempt = 0;
            } else {
                next = routes.get(0);
                current = next.transport();
                thisAttempt = ++attempt;
            }
        }
        if (next == null) {
            roundFailed("no bound transport serves its endpoints " + subscriber.endpoints());
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
            onSendFailed(thisAttempt, e);
            return;
        }
        stage.whenComplete((response, failure) -> {
            if (failure != null) {
                onSendFailed(thisAttempt, unwrap(failure));
            } else if (isQos1()) {
                onResponse(thisAttempt, (Frame) response);
            } else {
                out.stats.delivered.increment();
                finish(Outcome.DELIVERED);
            }
        });
    }

    private void onResponse(long thisAttempt, Frame response) {
        if (response instanceof Frames.Ack ack && ack.id().equals(frame.id())) {
            out.onAck(peer(), frame.id());
        } else if (response instanceof Frames.Error error && error.code() == Frames.Error.Code.UNAVAILABLE) {
            LOG.debug("{} is busy with {}: {}", peer().shortHex(), frame.id(), error.message());
        } else {
            // The peer refused the route (another realm, no router there): counted, and unreachable if it persists.
            out.stats.refused.increment();
            out.logBadPeer(peer(), "refused route " + frame.id() + ": " + response);
            onSendFailed(thisAttempt, null);
        }
    }

    private void onSendFailed(long thisAttempt, Throwable failure) {
        if (failure instanceof RequestTimeoutException) {
            return; // it reached the network; the retry timer sends it again
        }
        Route next = null;
        long nextAttempt = 0;
        synchronized (this) {
            if (done || thisAttempt != attempt) {
                return;
            }
            routeIndex++;
            if (failure != null && routeIndex < routes.size()) {
                next = routes.get(routeIndex);
                current = next.transport();
                nextAttempt = ++attempt;
            }
        }
        if (next != null) {
            LOG.debug("{} to {} failed over {}, trying {}", frame.id(), peer().shortHex(), routes, next.endpoint());
            out.stats.fallbacks.increment();
            send(next, nextAttempt);
        } else {
            roundFailed(failure == null ? "refused" : String.valueOf(failure.getMessage()));
        }
    }

    private void roundFailed(String reason) {
        boolean giveUp;
        synchronized (this) {
            if (done) {
                return;
            }
            failedRounds++;
            lastRoundFailed = true;
            current = null;
            giveUp = !isQos1() || failedRounds >= out.settings.unreachableAfterRounds();
        }
        LOG.debug("{} could not reach {}: {}", frame.id(), peer().shortHex(), reason);
        if (giveUp) {
            finish(Outcome.UNREACHABLE);
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
        synchronized (this) {
            if (done) {
                return;
            }
            retries++;
            lastRoundFailed = false;
        }
        out.stats.qos1Retries.increment();
        scheduleRetry();
        beginRound();
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

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    @Override
    public String toString() {
        return "PeerDelivery[" + frame.id() + " to " + peer().shortHex() + "]";
    }
}
