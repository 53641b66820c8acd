package io.hyphae.router;

import io.hyphae.router.RouteJob.Outcome;
import io.hyphae.router.TransportTable.Route;
import io.hyphae.spi.pubsub.Subscriber;
import io.hyphae.wire.Frames;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A QoS 0 delivery: one round, sent one way; it ends with the first send that works, or unreachable. */
final class Qos0Delivery extends PeerDelivery {
    private static final Logger LOG = LoggerFactory.getLogger(Qos0Delivery.class);

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

    @Override
    void onSent(long thisAttempt, Route route, Object response) {
        if (finish(Outcome.DELIVERED)) {
            out.stats.delivered.increment();
        }
    }

    @Override
    void roundFailed(String reason) {
        LOG.debug("{} could not reach {}: {}", frame.id(), peer.shortHex(), reason);
        finish(Outcome.UNREACHABLE);
    }
}
