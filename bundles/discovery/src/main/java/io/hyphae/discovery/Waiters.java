package io.hyphae.discovery;

import io.hyphae.spi.pubsub.Subscriber;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Calls parked waiters; one that throws harms neither discovery nor the other waiters. Call holding no lock. */
final class Waiters {
    private static final Logger LOG = LoggerFactory.getLogger(Waiters.class);

    private Waiters() {
    }

    static void answer(List<PendingQueries.Parked> parked, List<Subscriber> subscribers) {
        for (PendingQueries.Parked p : parked) {
            try {
                p.waiter().onSubscribers(subscribers);
            } catch (RuntimeException e) {
                LOG.error("waiter {} failed taking {} subscriber(s)", p.waiter(), subscribers.size(), e);
            }
        }
    }

    static void drop(List<PendingQueries.Parked> parked, String reason) {
        for (PendingQueries.Parked p : parked) {
            try {
                p.waiter().onDropped(reason);
            } catch (RuntimeException e) {
                LOG.error("waiter {} failed being dropped ({})", p.waiter(), reason, e);
            }
        }
    }
}
