package io.hyphae.router;

import io.hyphae.router.RouteJob.Outcome;
import io.hyphae.router.TransportTable.Route;
import io.hyphae.spi.concurrent.Scheduler.Cancellable;
import io.hyphae.spi.pubsub.Subscriber;
import io.hyphae.wire.Frames;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A QoS 1 delivery: the route goes as a request that the subscriber answers with an {@link Frames.Ack}, and a new
 * round starts on each retry timer until acknowledged or past the deadline.
 *
 * <p>When a round fails on every endpoint, the subscriber is looked up again ({@link Rediscoveries}): it may have
 * moved to other endpoints (a transport stopped or started there), and a round over the new ones starts at once.
 * The delivery ends early as unreachable only when discovery no longer names the subscriber, or, when discovery
 * cannot tell (none bound), after {@code unreachableAfterRounds} failed rounds in a row. A subscriber that answers
 * {@code UNAVAILABLE} is busy, not unreachable: the retry timer sends again.
 *
 * <p>Timers: the first one (first retry, or the deadline when no retry fits before it) waits on the router's
 * {@link RetrySweep}; only a delivery that reaches it arms its deadline and later retries on the scheduler, so the
 * usual delivery, acknowledged within the first retry delay, schedules nothing of its own.
 */
final class Qos1Delivery extends PeerDelivery implements RetrySweep.Entry {
    private static final Logger LOG = LoggerFactory.getLogger(Qos1Delivery.class);

    private final long startMs;
    private final long deadlineMs;
    private final long firstDueMs;

    // Guarded by this.
    private int retries;
    /** The delay before the next retry; also how long a request waits for its answer. */
    private long retryDelayMs;
    private int failedRounds;
    private boolean lastRoundFailed;
    private boolean rediscovering;
    private Cancellable retryTimer;
    private Cancellable deadlineTimer;
    /** The latest attempt whose request waits for its transport to dial the subscriber, and that request. */
    private long dialAttempt;
    private CompletionStage<?> dialRequest;

    /** @param nowMs the clock when the message was routed; the deadline counts from it */
    Qos1Delivery(Outbound out, RouteJob job, Frames.Route frame, Subscriber subscriber, long nowMs) {
        super(out, job, frame, subscriber);
        this.startMs = nowMs;
        this.deadlineMs = nowMs + out.settings.qos1DeadlineMs();
        this.retryDelayMs = out.backoff.delayMs(0);
        this.firstDueMs = nowMs + retryDelayMs < deadlineMs ? nowMs + retryDelayMs : deadlineMs;
    }

    @Override
    boolean isQos1() {
        return true;
    }

    @Override
    void start() {
        out.firstTimers.add(this);
        super.start();
    }

    @Override
    public long addedAtMs() {
        return startMs;
    }

    @Override
    public long dueMs() {
        return firstDueMs;
    }

    @Override
    public boolean finished() {
        return done;
    }

    /** The first timer: the deadline, or the first retry, which arms the deadline and the later retries. */
    @Override
    public void onDue(long nowMs) {
        if (nowMs >= deadlineMs) {
            onDeadline();
            return;
        }
        Cancellable timer = out.timers.schedule(Duration.ofMillis(deadlineMs - nowMs), this::onDeadline);
        boolean cancel;
        synchronized (this) {
            cancel = done;
            deadlineTimer = timer;
        }
        if (cancel) {
            timer.cancel();
        }
        onRetry();
    }

    @Override
    CompletionStage<?> transmit(Route route) {
        return route.transport().request(route.endpoint(), frame, requestTimeout());
    }

    @Override
    void onSent(long thisAttempt, Route route, Object response) {
        if (response instanceof Frames.Ack ack && ack.id().equals(frame.id())) {
            if (!acked()) {
                out.stats.staleAcks.increment(); // a later round's answer, or one after the deadline
            }
        } else {
            // Not an answer to a route (a confused peer): counted, and another endpoint may do better.
            out.stats.refused.increment();
            out.logBadPeer(peer, "answered route " + frame.id() + " at " + route.endpoint() + " with " + response);
            fallBack(thisAttempt, "answered " + response);
        }
    }

    @Override
    void waiting(Route route, long thisAttempt, CompletionStage<?> stage) {
        if (!route.transport().connectedTo(route.endpoint())) {
            synchronized (this) {
                dialAttempt = thisAttempt;
                dialRequest = stage;
            }
        }
    }

    @Override
    void roundFailed(String reason) {
        boolean ask;
        synchronized (this) {
            if (done) {
                return;
            }
            lastRoundFailed = true;
            attempts.clearCurrent();
            ask = !rediscovering;
            rediscovering = true; // the round is counted when the answer says whether it can help
        }
        LOG.debug("{} could not reach {}: {}", frame.id(), peer.shortHex(), reason);
        if (ask) {
            rediscover(true);
        }
    }

    @Override
    void ended() {
        Cancellable retry;
        Cancellable deadline;
        synchronized (this) {
            retry = retryTimer;
            deadline = deadlineTimer;
        }
        if (retry != null) {
            retry.cancel();
        }
        if (deadline != null) {
            deadline.cancel();
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
                roundNow = attempts.moveTo(answer.found().endpoints(), lastRoundFailed);
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

    private void onRetry() {
        boolean ask = false;
        Route overtaken = null;
        CompletionStage<?> waitingForDial = null;
        synchronized (this) {
            if (done) {
                return;
            }
            retries++;
            lastRoundFailed = false;
            Route current = attempts.current();
            if (current != null && dialRequest != null && dialAttempt == attempts.attempt()) {
                overtaken = current; // its dial has not come up within the retry delay
                waitingForDial = dialRequest;
            }
            dialRequest = null;
            if (current != null) {
                // No answer within the retry delay: whichever timer fires first, the next round tries it last, and
                // discovery is asked whether the subscriber still listens there (a port that went silent, say a
                // QUIC transport restarted on another port, never fails a dial before its connect timeout).
                attempts.slow(current.endpoint());
                ask = !rediscovering;
                rediscovering |= ask;
            }
        }
        out.stats.qos1Retries.increment();
        if (overtaken != null) {
            out.overtakenDials.add(overtaken.endpoint(), waitingForDial);
        }
        scheduleRetry();
        beginRound();
        if (ask) {
            rediscover(false);
        }
    }

    /** Arms the retry after the one just started, on the scheduler, if it comes before the deadline. */
    private void scheduleRetry() {
        long delay;
        synchronized (this) {
            if (done) {
                return;
            }
            delay = out.backoff.delayMs(retries);
            retryDelayMs = delay;
        }
        if (out.clock.millis() + delay < deadlineMs) {
            Cancellable timer = out.timers.schedule(Duration.ofMillis(delay), this::onRetry);
            boolean cancel;
            synchronized (this) {
                cancel = done;
                retryTimer = timer;
            }
            if (cancel) {
                timer.cancel();
            }
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

    /** A request waits for its answer until the next retry, or the deadline if sooner; at least 1 ms. */
    private Duration requestTimeout() {
        long retry;
        synchronized (this) {
            retry = retryDelayMs;
        }
        return Duration.ofMillis(Math.max(1, Math.min(retry, deadlineMs - out.clock.millis())));
    }
}
