package io.hyphae.discovery;

import io.hyphae.api.Qos;
import io.hyphae.api.Topic;
import io.hyphae.discovery.PendingQueries.Parked;
import io.hyphae.discovery.PendingQueries.Query;
import io.hyphae.spi.cache.CachePolicy;
import io.hyphae.spi.concurrent.Scheduler;
import io.hyphae.spi.dht.Dht;
import io.hyphae.spi.dht.Record;
import io.hyphae.spi.pubsub.Discovery.Discovered.QuerySent;
import io.hyphae.spi.pubsub.Discovery.Waiter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Discovery's DHT queries from open to end, at most one per topic in flight ({@link PendingQueries}). Waiters park
 * on the query of their topic, which opens when none is in flight and is sent through {@link DhtQueries}. A query
 * ends with the DHT's answer (checked, cached, handed to its waiters on the scheduler) or at its timeout (QoS 0
 * waiters and QoS 1 ones past their deadline are dropped, the others wait on a new query); a DHT failure drops the
 * QoS 0 waiters at once and leaves the rest to the timeout. Once closed, it opens no query.
 *
 * <p>It shares the lock of the {@link DiscoveryService} that owns it, which guards the cache too: a cache miss parks
 * its waiter, and an answer is cached as its query closes, each in one step. Methods that say "holding the lock"
 * expect the caller to hold it; the others take it themselves and call the DHT, the policy and waiters outside it.
 */
final class QueryLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(QueryLifecycle.class);

    private final DiscoverySettings settings;
    private final Clock clock;
    private final Scheduler scheduler;
    private final RecordCheck check;
    private final PolicySlot policy;
    private final DiscoveryStats stats;
    private final DhtQueries queries;
    private final Object lock;
    // guarded by lock
    private final SubscriberCache cache;
    private final PendingQueries pending = new PendingQueries();
    private boolean closed;

    /** {@code lock} guards {@code cache}; answers are cached there and waiters are called on {@code scheduler}. */
    QueryLifecycle(DiscoverySettings settings, Dht dht, Clock clock, Scheduler scheduler, RecordCheck check,
                   PolicySlot policy, DiscoveryStats stats, Object lock, SubscriberCache cache) {
        this.settings = settings;
        this.clock = clock;
        this.scheduler = scheduler;
        this.check = check;
        this.policy = policy;
        this.stats = stats;
        this.lock = lock;
        this.cache = cache;
        this.queries = new DhtQueries(dht, settings.realm(), scheduler, stats, this::handleDiscoveryResponse,
                this::failed);
    }

    /** Whether {@link #closeAll()} ran. Holding the lock. */
    boolean closed() {
        return closed;
    }

    /** Whether a query of {@code topic} is in flight. Holding the lock. */
    boolean inFlight(Topic topic) {
        return pending.of(topic) != null;
    }

    /**
     * Parks {@code waiter} on the query of {@code topic}, opening one when none is in flight. Holding the lock; a
     * query it opened ({@link #opened}) is sent after the lock is released.
     */
    QuerySent park(Topic topic, Waiter waiter, Qos qos, Instant now) {
        Query query = pending.of(topic);
        boolean joined = query != null;
        if (joined) {
            stats.queriesJoined.increment();
        } else {
            query = open(topic);
        }
        query.waiters.add(new Parked(waiter, qos, now.plus(settings.qos1Deadline())));
        return new QuerySent(query.id, query.waiters.size(), joined);
    }

    /** The query {@code parked} opened, to {@link #send}; null when it joined one in flight. Holding the lock. */
    Query opened(QuerySent parked) {
        return parked.joined() ? null : pending.get(parked.queryId());
    }

    /** Asks the DHT for the subscribers of {@code query}'s topic. Holding no lock. */
    void send(Query query) {
        queries.send(query.id, query.topic);
    }

    /** Queries a hot topic before its cached entry expires, unless a query of it is in flight already. */
    void refreshAhead(Topic topic) {
        Query query;
        synchronized (lock) {
            if (closed || pending.of(topic) != null) {
                return;
            }
            query = open(topic);
        }
        stats.refreshes.increment();
        send(query);
    }

    /** See {@link DiscoveryService#handleDiscoveryResponse}. */
    DiscoveryResponse handleDiscoveryResponse(long queryId, List<Record> records) {
        Objects.requireNonNull(records, "records");
        Topic topic;
        synchronized (lock) {
            Query query = pending.get(queryId);
            if (query == null) {
                stats.lateAnswers.increment();
                return new DiscoveryResponse.NotFound(queryId);
            }
            topic = query.topic;
        }
        Instant now = clock.instant();
        RecordCheck.Answer answer = check.answer(topic, records, now);
        CachePolicy inForce = policy.current();
        boolean negative = answer.subscribers().isEmpty();
        Duration fresh = negative ? settings.negativeTtl()
                : inForce.freshness(Duration.between(now, answer.earliestExpiry()));
        int maxTopics = inForce.maxTopics();
        List<Parked> waiters;
        synchronized (lock) {
            Query query = pending.close(queryId);
            if (query == null) {
                stats.lateAnswers.increment(); // timed out while its records were checked
                return new DiscoveryResponse.NotFound(queryId);
            }
            if (!fresh.isNegative() && !fresh.isZero() && !closed) {
                cache.put(new CachedTopic(topic, answer.subscribers(), now, answer.earliestExpiry(), now.plus(fresh)),
                        maxTopics);
            }
            waiters = List.copyOf(query.waiters);
        }
        if (!waiters.isEmpty()) {
            scheduler.execute(() -> Waiters.answer(waiters, answer.subscribers()));
        }
        return new DiscoveryResponse.Ok(queryId, topic, answer.subscribers(), waiters.size());
    }

    /** Closes every query in flight and opens no more; answers their waiters, to drop. Holding the lock. */
    List<Parked> closeAll() {
        closed = true;
        List<Parked> dropped = new ArrayList<>();
        for (Query query : pending.all()) {
            dropped.addAll(pending.close(query.id).waiters);
        }
        return dropped;
    }

    /** Opens the query of {@code topic} and arms its timeout. Holding the lock. */
    private Query open(Topic topic) {
        Query query = pending.open(topic);
        long id = query.id;
        query.timeout = scheduler.schedule(settings.queryTimeout(), () -> timedOut(id));
        return query;
    }

    /** The DHT failed: QoS 0 waiters go now; the query stays until its timeout, which re-queries for QoS 1. */
    private void failed(long queryId, Throwable failure) {
        List<Parked> dropped;
        synchronized (lock) {
            Query query = pending.get(queryId);
            if (query == null) {
                return;
            }
            dropped = query.remove(Qos.AT_MOST_ONCE);
        }
        LOG.debug("DHT query {} failed: {}", queryId, failure.toString());
        stats.dropped.add(dropped.size());
        Waiters.drop(dropped, "DHT query failed: " + failure.getMessage());
    }

    /** On the scheduler: QoS 0 waiters are dropped, QoS 1 ones before their deadline wait on a new query. */
    private void timedOut(long queryId) {
        PendingQueries.Split split;
        Query retry = null;
        synchronized (lock) {
            Query query = pending.close(queryId);
            if (query == null) {
                return;
            }
            stats.timeouts.increment();
            split = query.split(clock.instant());
            if (!split.again().isEmpty() && !closed) {
                retry = open(query.topic);
                retry.waiters.addAll(split.again());
            }
        }
        stats.dropped.add(split.qos0().size());
        stats.deadlinesPassed.add(split.expired().size());
        Waiters.drop(split.qos0(), "no answer from the DHT within " + settings.queryTimeout().toMillis() + " ms");
        Waiters.drop(split.expired(), "no answer from the DHT within the QoS 1 deadline of "
                + settings.qos1Deadline().toMillis() + " ms");
        if (retry != null) {
            stats.requeries.increment();
            send(retry);
        }
    }
}
