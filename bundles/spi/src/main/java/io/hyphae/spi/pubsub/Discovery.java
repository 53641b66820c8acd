package io.hyphae.spi.pubsub;

import io.hyphae.api.NodeId;
import io.hyphae.api.Qos;
import io.hyphae.api.Topic;
import io.hyphae.spi.dht.Record;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Finds the remote subscribers of a topic: from the cache when the cache policy in force holds a fresh answer, else
 * through one DHT query per topic, joined by every discovery of that topic while it is in flight. Thread safe; never
 * blocks on the network.
 */
@ProviderType
public interface Discovery {
    /**
     * Answers {@link Discovered.Cached} at once when the cache holds the topic; otherwise parks {@code waiter} in the
     * pending table of the topic's query (sending the query if none is in flight) and answers
     * {@link Discovered.QuerySent}. A parked waiter is called exactly once, on a discovery thread: with the
     * subscribers when the answer comes, or dropped when the query times out (QoS 0) or its deadline passes (QoS 1,
     * which is re-queried until then).
     */
    Discovered discover(Topic topic, Waiter waiter);

    /**
     * Like {@link #discover}, but never answers from the cache: parks {@code waiter} on the topic's query in flight,
     * or sends one, and the answer replaces what the cache held. The router calls it when every endpoint it knows of
     * a subscriber failed, to learn the endpoints the subscriber advertises now (a transport may have come or gone
     * there). The default answers as {@link #discover} does, for an implementation without a cache.
     */
    default Discovered rediscover(Topic topic, Waiter waiter) {
        return discover(topic, waiter);
    }

    /** The router could not reach {@code subscriber}: forget it for {@code topic} until the DHT names it again. */
    void evict(Topic topic, NodeId subscriber);

    /**
     * A subscriber's signed withdrawal arrived directly; when it verifies, the subscriber is evicted at once.
     *
     * @return whether the withdrawal verified and was applied
     */
    boolean withdrawn(Record withdrawal);

    /** What {@link #discover} answers. */
    sealed interface Discovered permits Discovered.Cached, Discovered.QuerySent {
        /** The cache held a fresh answer; the waiter is not called. */
        record Cached(Topic topic, List<Subscriber> subscribers) implements Discovered {
            public Cached {
                subscribers = List.copyOf(subscribers);
            }
        }

        /**
         * The waiter is parked on query {@code queryId}, with {@code pending} waiters in all (this one included);
         * {@code joined} is true when the query was already in flight.
         */
        record QuerySent(long queryId, int pending, boolean joined) implements Discovered {
        }
    }

    /** A message waiting for the subscribers of its topic. */
    interface Waiter {
        /** Decides what a timeout does: QoS 0 waiters are dropped, QoS 1 ones wait for the next query. */
        Qos qos();

        /** The answer came: route to these subscribers (possibly none). */
        void onSubscribers(List<Subscriber> subscribers);

        /** No answer in time; {@code reason} says why, for logs and receipts. */
        void onDropped(String reason);
    }
}
