package io.hyphae.discovery;

import io.hyphae.api.Topic;
import io.hyphae.spi.pubsub.Subscriber;
import java.util.List;

/** What {@link DiscoveryService#handleDiscoveryResponse} made of an answer from the DHT. */
public sealed interface DiscoveryResponse permits DiscoveryResponse.Ok, DiscoveryResponse.NotFound {
    /** The query that was answered. */
    long queryId();

    /**
     * The query was in flight: its answer is cached and its waiters are called with {@code subscribers}.
     *
     * @param subscribers the subscribers the answer's valid records prove (possibly none)
     * @param waiters     how many parked waiters it answers
     */
    record Ok(long queryId, Topic topic, List<Subscriber> subscribers, int waiters) implements DiscoveryResponse {
        public Ok {
            subscribers = List.copyOf(subscribers);
        }
    }

    /** No such query is in flight (it timed out, was answered already, or never existed): nothing changed. */
    record NotFound(long queryId) implements DiscoveryResponse {
    }
}
