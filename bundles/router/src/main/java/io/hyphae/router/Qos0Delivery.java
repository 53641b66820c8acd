package io.hyphae.router;

import io.hyphae.router.RouteJob.Outcome;
import io.hyphae.router.TransportTable.Route;
import io.hyphae.spi.pubsub.Subscriber;
import io.hyphae.spi.transport.Transport;
import io.hyphae.wire.Frames;
import io.hyphae.wire.OvertakenDials;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A QoS 0 delivery: one round, sent one way; it ends with the first send that works, or unreachable.
 *
 * <p>A send that waits for its transport to dial the subscriber, with another route left in the round, races it:
 * after {@link Transport#CONNECTION_ATTEMPT_DELAY} without the connection, the frame goes over the next route too,
 * and the first send that works ends the delivery (the subscriber drops the second copy by its id). Where UDP is
 * blocked, a QUIC dial never answers and would otherwise hold every frame to a new peer for the whole connect
 * timeout. The round fails only once the raced sends failed too. A send over a live connection arms nothing; one
 * over the last route of its round does not even ask.
 *
 * <p>Once a dial lost a race, deliveries that start while it is still in flight try its endpoint last
 * ({@link OvertakenDials}): the first message to a new peer waits 250 ms, not every message of the dial's connect
 * timeout.
 */
final class Qos0Delivery extends PeerDelivery {
    private static final Logger LOG = LoggerFactory.getLogger(Qos0Delivery.class);

    // Guarded by this.
    /** Attempts that a race left running; made by the first race. */
    private Set<Long> raced;
    /** Why the round failed while raced attempts were still running; null while it has not. */
    private String roundFailure;

    Qos0Delivery(Outbound out, RouteJob job, Frames.Route frame, Subscriber subscriber) {
        super(out, job, frame, subscriber);
    }

    @Override
    boolean isQos1() {
        return false;
    }

    @Override
    CompletionStage<?> transmit(Route route) {
        return route.transport().send(route.endpoint(), frame);
    }

    /** Over a live connection, or the round's last route, there is nothing to race: no stage needed. */
    @Override
    boolean transmitTold(Route route, long thisAttempt, boolean another) {
        if (another && !route.transport().connectedTo(route.endpoint())) {
            return false; // the dial may hang: waiting() races it, and needs the stage for it
        }
        route.transport().send(route.endpoint(), frame, (ok, failure) -> outcome(thisAttempt, route, null, failure));
        return true;
    }

    @Override
    void onSent(long thisAttempt, Route route, Object response) {
        if (finish(Outcome.DELIVERED)) {
            out.stats.delivered.increment();
        }
    }

    @Override
    void waiting(Route route, long thisAttempt, CompletionStage<?> stage) {
        if (!route.transport().connectedTo(route.endpoint())) { // else the usual case: the frame is on its way out
            // Not cancelled when the delivery ends first: it then finds nothing to do.
            out.timers.schedule(Transport.CONNECTION_ATTEMPT_DELAY, () -> race(route, thisAttempt, stage));
        }
    }

    /**
     * {@code route}'s connection did not come up in time ({@code stage} still waits for it): send over the next route
     * as well, if the attempt is still current.
     */
    private void race(Route route, long thisAttempt, CompletionStage<?> stage) {
        Route next;
        long nextAttempt;
        boolean another;
        synchronized (this) {
            if (done || thisAttempt != attempts.attempt()) {
                return; // it failed over already, or a new round began
            }
            next = attempts.next(out.table);
            if (next == null) {
                return; // the other routes' transports left: this send is the one left
            }
            nextAttempt = attempts.attempt();
            another = attempts.hasNext();
            if (raced == null) {
                raced = new HashSet<>(4);
            }
            raced.add(thisAttempt);
        }
        out.stats.raced.increment();
        out.overtakenDials.add(route.endpoint(), stage);
        LOG.debug("{}: no connection to {} after {} ms, sending over {} too", frame.id(), route.endpoint(),
                Transport.CONNECTION_ATTEMPT_DELAY.toMillis(), next.endpoint());
        send(next, nextAttempt, another);
    }

    @Override
    void supersededFailed(long thisAttempt, String reason) {
        String failure;
        synchronized (this) {
            if (raced == null || !raced.remove(thisAttempt) || !raced.isEmpty() || roundFailure == null) {
                return;
            }
            failure = reason + "; before it, " + roundFailure;
        }
        unreachable(failure);
    }

    @Override
    void roundFailed(String reason) {
        synchronized (this) {
            if (raced != null && !raced.isEmpty()) {
                roundFailure = reason; // a raced send may still get through
                return;
            }
        }
        unreachable(reason);
    }

    private void unreachable(String reason) {
        LOG.debug("{} could not reach {}: {}", frame.id(), peer.shortHex(), reason);
        finish(Outcome.UNREACHABLE);
    }
}
