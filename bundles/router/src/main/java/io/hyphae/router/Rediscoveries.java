package io.hyphae.router;

import io.hyphae.api.NodeId;
import io.hyphae.api.Qos;
import io.hyphae.api.Topic;
import io.hyphae.spi.concurrent.Scheduler;
import io.hyphae.spi.pubsub.Discovery;
import io.hyphae.spi.pubsub.Subscriber;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks discovery again where a subscriber is when every endpoint a QoS 1 delivery knew of it failed: a transport may
 * have stopped or started there, and its advertisement then lists other endpoints. One question per (topic,
 * subscriber) is in flight, and its answer is reused for {@code reuse} after it came, so the burst of deliveries that
 * fail together when a transport leaves costs the DHT one query. Thread safe; answers complete on a discovery thread
 * (or the caller's, when there is nothing to ask).
 */
final class Rediscoveries {
    private static final Logger LOG = LoggerFactory.getLogger(Rediscoveries.class);

    /**
     * What discovery answered about one subscriber.
     *
     * @param found the subscriber as it advertises itself now, or null
     * @param known false when discovery could not tell (none bound, closed, no answer before the QoS 1 deadline)
     */
    record Answer(Subscriber found, boolean known) {
        static final Answer UNKNOWN = new Answer(null, false);
        static final Answer GONE = new Answer(null, true);

        /** Discovery answered and no longer names the subscriber (withdrawn or expired). */
        boolean gone() {
            return known && found == null;
        }
    }

    private final Supplier<Discovery> discovery;
    private final Scheduler timers;
    private final Duration reuse;
    private final RouterStats stats;
    private final ConcurrentHashMap<Asked, CompletableFuture<Answer>> asked = new ConcurrentHashMap<>();

    /**
     * @param discovery the discovery in force, or a supplier of null when none is (every answer is then unknown)
     * @param reuse     how long an answer serves later questions about the same subscriber
     */
    Rediscoveries(Supplier<Discovery> discovery, Scheduler timers, Duration reuse, RouterStats stats) {
        this.discovery = discovery;
        this.timers = timers;
        this.reuse = reuse;
        this.stats = stats;
    }

    /** Where {@code subscriber} of {@code topic} is now; never completes exceptionally. */
    CompletionStage<Answer> find(Topic topic, NodeId subscriber) {
        Discovery d = discovery.get();
        if (d == null) {
            return CompletableFuture.completedFuture(Answer.UNKNOWN);
        }
        Asked key = new Asked(topic, subscriber);
        CompletableFuture<Answer> mine = new CompletableFuture<>();
        CompletableFuture<Answer> known = asked.putIfAbsent(key, mine);
        if (known != null) {
            return known;
        }
        stats.rediscoveries.increment();
        mine.whenComplete((answer, never) -> forgetLater(key, mine));
        Discovery.Waiter waiter = new Discovery.Waiter() {
            @Override
            public Qos qos() {
                return Qos.AT_LEAST_ONCE; // asked again after a query timeout, until the QoS 1 deadline
            }

            @Override
            public void onSubscribers(List<Subscriber> subscribers) {
                mine.complete(subscribers.stream().filter(s -> s.nodeId().equals(subscriber)).findFirst()
                        .map(s -> new Answer(s, true)).orElse(Answer.GONE));
            }

            @Override
            public void onDropped(String reason) {
                mine.complete(Answer.UNKNOWN);
            }
        };
        try {
            if (d.rediscover(topic, waiter) instanceof Discovery.Discovered.Cached cached) {
                waiter.onSubscribers(cached.subscribers()); // a discovery without a cache of its own
            }
        } catch (RuntimeException e) { // closed, or a discovery that throws: the delivery goes on without it
            LOG.debug("could not rediscover {} of {}: {}", subscriber.shortHex(), topic, e.toString());
            mine.complete(Answer.UNKNOWN);
        }
        return mine;
    }

    private void forgetLater(Asked key, CompletableFuture<Answer> answer) {
        try {
            timers.schedule(reuse, () -> asked.remove(key, answer));
        } catch (RuntimeException closed) { // the router's timers are gone: nothing will ask again
            asked.remove(key, answer);
        }
    }

    private record Asked(Topic topic, NodeId subscriber) {
    }
}
