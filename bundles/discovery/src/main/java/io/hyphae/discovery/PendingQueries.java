package io.hyphae.discovery;

import io.hyphae.api.Qos;
import io.hyphae.api.Topic;
import io.hyphae.spi.concurrent.Scheduler.Cancellable;
import io.hyphae.spi.pubsub.Discovery.Waiter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The pending table: DHT queries in flight, at most one per topic, by query id and by topic, each with the waiters
 * parked on it. Not thread safe: guarded by the lock the {@link QueryLifecycle} that owns it shares with discovery.
 */
final class PendingQueries {
    private final Map<Long, Query> byId = new HashMap<>();
    private final Map<Topic, Query> byTopic = new HashMap<>();
    private long lastId;

    /** The query in flight for {@code topic}, or null. */
    Query of(Topic topic) {
        return byTopic.get(topic);
    }

    /** The query {@code id} while it is in flight, or null. */
    Query get(long id) {
        return byId.get(id);
    }

    /** Opens the query of {@code topic}; there must be none in flight. */
    Query open(Topic topic) {
        Query query = new Query(++lastId, topic);
        byId.put(query.id, query);
        byTopic.put(topic, query);
        return query;
    }

    /** Takes query {@code id} out of the table and calls its timeout off; null when it is not in flight. */
    Query close(long id) {
        Query query = byId.remove(id);
        if (query != null) {
            byTopic.remove(query.topic, query);
            query.timeout.cancel();
        }
        return query;
    }

    Collection<Query> all() {
        return List.copyOf(byId.values());
    }

    int waiters() {
        int n = 0;
        for (Query q : byId.values()) {
            n += q.waiters.size();
        }
        return n;
    }

    /** One DHT query in flight. */
    static final class Query {
        final long id;
        final Topic topic;
        final List<Parked> waiters = new ArrayList<>();
        Cancellable timeout = () -> { };

        Query(long id, Topic topic) {
            this.id = id;
            this.topic = topic;
        }

        /**
         * Sorts the waiters of a query that timed out at {@code now}: QoS 0 ones, QoS 1 ones whose deadline passed,
         * and QoS 1 ones to query for again.
         */
        Split split(Instant now) {
            Split split = new Split(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            for (Parked p : waiters) {
                if (p.qos == Qos.AT_MOST_ONCE) {
                    split.qos0.add(p);
                } else {
                    (now.isBefore(p.deadline) ? split.again : split.expired).add(p);
                }
            }
            return split;
        }

        /** Takes out the waiters of {@code qos}. */
        List<Parked> remove(Qos qos) {
            List<Parked> out = new ArrayList<>();
            waiters.removeIf(p -> p.qos == qos && out.add(p));
            return out;
        }
    }

    /** The waiters of a query that timed out, by fate. */
    record Split(List<Parked> qos0, List<Parked> expired, List<Parked> again) {
    }

    /**
     * A waiter parked on a query.
     *
     * @param qos      read once, when it was parked, so that no waiter method is called holding the lock
     * @param deadline for QoS 1: when it stops being queried for and is dropped
     */
    record Parked(Waiter waiter, Qos qos, Instant deadline) {
    }
}
