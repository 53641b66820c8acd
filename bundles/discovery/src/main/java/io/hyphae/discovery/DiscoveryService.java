package io.hyphae.discovery;

import io.hyphae.api.NodeClosedException;
import io.hyphae.api.NodeId;
import io.hyphae.api.Qos;
import io.hyphae.api.Topic;
import io.hyphae.discovery.PendingQueries.Parked;
import io.hyphae.discovery.PendingQueries.Query;
import io.hyphae.spi.cache.CachePolicy;
import io.hyphae.spi.concurrent.Scheduler;
import io.hyphae.spi.dht.Dht;
import io.hyphae.spi.dht.Record;
import io.hyphae.spi.pubsub.Discovery;
import io.hyphae.spi.pubsub.Discovery.Discovered.QuerySent;
import io.hyphae.spi.pubsub.Subscriber;
import io.hyphae.spi.stats.StatsSource;
import io.hyphae.wire.Advertisements;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the remote subscribers of a topic: from its cache while the {@link CachePolicy} in force calls the entry
 * fresh, else through one DHT query per topic that every discovery of the topic joins while it is in flight (the
 * {@link PendingQueries pending table}). Answers are checked record by record ({@link RecordCheck}); an answer
 * without subscribers is cached for the negative TTL. A query not answered within the query timeout drops its QoS 0
 * waiters and queries again for its QoS 1 waiters until their own deadline.
 *
 * <p>The policy in force can change at any time ({@link #usePolicy}, {@link #retirePolicy}): a swap re-judges the
 * cached entries instead of dropping them; with none set, {@link FallbackCachePolicy} (lru's defaults) is in force.
 *
 * <p>Thread safe. State sits behind one lock; the DHT, the policy and the waiters are called outside it, and waiters
 * only on the scheduler's thread (except when {@link #close()} drops them). Nothing here blocks. In OSGi,
 * {@link DiscoveryComponent} builds and wires it.
 */
public final class DiscoveryService implements Discovery, StatsSource, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DiscoveryService.class);

    private final DiscoverySettings settings;
    private final Clock clock;
    private final Scheduler scheduler;
    private final DiscoveryStats stats = new DiscoveryStats();
    private final RecordCheck check;
    private final PolicySlot policy;
    private final DhtQueries queries;
    private final Object lock = new Object();
    // guarded by lock
    private final SubscriberCache cache = new SubscriberCache();
    private final PendingQueries pending = new PendingQueries();
    private boolean closed;

    /** The caller owns {@code scheduler} and closes it after {@link #close()}. */
    public DiscoveryService(DiscoverySettings settings, Dht dht, Clock clock, Scheduler scheduler) {
        this.settings = Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(dht, "dht");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.check = new RecordCheck(settings.realm(), dht.localId(), clock, stats);
        this.policy = new PolicySlot(this::rejudge, stats);
        this.queries = new DhtQueries(dht, settings.realm(), scheduler, stats, this::handleDiscoveryResponse,
                this::failed);
    }

    /** Puts {@code cachePolicy} in force (null: the built-in one); the cache keeps what it still calls fresh. */
    public void usePolicy(CachePolicy cachePolicy) {
        policy.bind(cachePolicy);
    }

    /**
     * {@code cachePolicy} leaves: if it is in force, the built-in one takes over; else nothing changes, since the
     * policy that replaced it (SCR binds a greedy reference's new service before it unbinds the old) stays.
     */
    public void retirePolicy(CachePolicy cachePolicy) {
        policy.unbind(cachePolicy);
    }

    /** The policy in force. */
    public CachePolicy policy() {
        return policy.current();
    }

    @Override
    public Discovered discover(Topic topic, Waiter waiter) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(waiter, "waiter");
        Qos qos = waiter.qos();
        Instant now = clock.instant();
        CachePolicy.Entry hot = null;
        Discovered answer;
        Query sent = null;
        synchronized (lock) {
            if (closed) {
                throw new NodeClosedException("discovery is closed; cannot discover " + topic);
            }
            CachedTopic entry = cache.use(topic, now);
            if (entry != null) {
                (entry.negative() ? stats.negativeHits : stats.hits).increment();
                answer = new Discovered.Cached(topic, entry.liveSubscribers(now));
                hot = entry.negative() || pending.of(topic) != null ? null : entry.policyEntry();
            } else {
                stats.misses.increment();
                QuerySent parked = park(topic, waiter, qos, now);
                sent = parked.joined() ? null : pending.get(parked.queryId());
                answer = parked;
            }
        }
        if (sent != null) {
            queries.send(sent.id, sent.topic);
        } else if (hot != null && policy.current().refreshAhead(hot, now)) {
            refreshAhead(topic);
        }
        return answer;
    }

    /**
     * Asks the DHT whatever the cache holds: joins the topic's query in flight or sends one; its answer replaces the
     * cached entry. The router calls it when every endpoint it knew of a subscriber failed.
     */
    @Override
    public Discovered rediscover(Topic topic, Waiter waiter) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(waiter, "waiter");
        Qos qos = waiter.qos();
        QuerySent parked;
        Query sent;
        synchronized (lock) {
            if (closed) {
                throw new NodeClosedException("discovery is closed; cannot rediscover " + topic);
            }
            stats.rediscoveries.increment();
            parked = park(topic, waiter, qos, clock.instant());
            sent = parked.joined() ? null : pending.get(parked.queryId());
        }
        if (sent != null) {
            queries.send(sent.id, sent.topic);
        }
        return parked;
    }

    /** Parks {@code waiter} on the query of {@code topic}, opening one when none is in flight. Holding the lock. */
    private QuerySent park(Topic topic, Waiter waiter, Qos qos, Instant now) {
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

    /**
     * Takes the DHT's answer to query {@code queryId}: caches what the valid records prove and calls the query's
     * waiters (on the scheduler). An answer to a query not in flight changes nothing. Any thread.
     */
    public DiscoveryResponse handleDiscoveryResponse(long queryId, List<Record> records) {
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

    @Override
    public void evict(Topic topic, NodeId subscriber) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(subscriber, "subscriber");
        synchronized (lock) {
            if (cache.evict(topic, subscriber, Long.MAX_VALUE)) {
                stats.evictions.increment();
            }
        }
    }

    @Override
    public boolean withdrawn(Record withdrawal) {
        Objects.requireNonNull(withdrawal, "withdrawal");
        Advertisements.Value value = check.withdrawal(withdrawal, clock.instant());
        if (value == null) {
            return false;
        }
        stats.withdrawals.increment();
        synchronized (lock) {
            cache.evict(value.topic(), withdrawal.publisher(), withdrawal.seq());
        }
        return true;
    }

    public DiscoveryStats stats() {
        return stats;
    }

    @Override
    public String module() {
        return DiscoveryStats.MODULE;
    }

    @Override
    public SortedMap<String, Long> snapshot() {
        return stats.snapshot();
    }

    /** Topics cached now, negative answers included. */
    public int cachedTopics() {
        synchronized (lock) {
            return cache.size();
        }
    }

    /** Drops every parked waiter (on the calling thread) and empties the cache. Idempotent. */
    @Override
    public void close() {
        List<Parked> dropped = new ArrayList<>();
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            for (Query query : pending.all()) {
                dropped.addAll(pending.close(query.id).waiters);
            }
            cache.clear();
        }
        Waiters.drop(dropped, "discovery closed");
    }

    /** Opens the query of {@code topic} and arms its timeout. Called holding the lock. */
    private Query open(Topic topic) {
        Query query = pending.open(topic);
        long id = query.id;
        query.timeout = scheduler.schedule(settings.queryTimeout(), () -> timedOut(id));
        return query;
    }

    private void refreshAhead(Topic topic) {
        Query query;
        synchronized (lock) {
            if (closed || pending.of(topic) != null) {
                return;
            }
            query = open(topic);
        }
        stats.refreshes.increment();
        queries.send(query.id, query.topic);
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
            queries.send(retry.id, retry.topic);
        }
    }

    /** A new policy is in force: each cached answer keeps the life the new policy gives it, if any is left. */
    private void rejudge() {
        CachePolicy inForce = policy.current();
        List<CachedTopic> entries;
        synchronized (lock) {
            entries = cache.positive();
        }
        Map<CachedTopic, Instant> expiries = SubscriberCache.expiries(entries, inForce);
        int maxTopics = inForce.maxTopics();
        int dropped;
        int kept;
        synchronized (lock) {
            dropped = cache.reexpire(expiries, clock.instant(), maxTopics);
            kept = cache.size();
        }
        LOG.info("cache policy {} in force: kept {} topic(s), dropped {}", inForce.name(), kept, dropped);
    }
}
