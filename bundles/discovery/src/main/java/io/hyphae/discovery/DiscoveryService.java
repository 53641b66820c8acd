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
import io.hyphae.spi.stats.StatsSource;
import io.hyphae.wire.Advertisements;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the remote subscribers of a topic: from its cache while the {@link CachePolicy} in force calls the entry
 * fresh, else through one DHT query per topic that every discovery of the topic joins while it is in flight
 * ({@link QueryLifecycle}). Answers are checked record by record ({@link RecordCheck}); an answer without subscribers
 * is cached for the negative TTL. A query not answered within the query timeout drops its QoS 0 waiters and queries
 * again for its QoS 1 waiters until their own deadline.
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

    private final Clock clock;
    private final DiscoveryStats stats = new DiscoveryStats();
    private final RecordCheck check;
    private final PolicySlot policy;
    private final Object lock = new Object();
    // guarded by lock
    private final SubscriberCache cache = new SubscriberCache();
    /** Shares {@link #lock}: a miss parks its waiter, and an answer is cached as its query closes, in one step. */
    private final QueryLifecycle queries;

    /** The caller owns {@code scheduler} and closes it after {@link #close()}. */
    public DiscoveryService(DiscoverySettings settings, Dht dht, Clock clock, Scheduler scheduler) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(dht, "dht");
        this.clock = Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(scheduler, "scheduler");
        this.check = new RecordCheck(settings.realm(), dht.localId(), clock, stats);
        this.policy = new PolicySlot(this::rejudge, stats);
        this.queries = new QueryLifecycle(settings, dht, clock, scheduler, check, policy, stats, lock, cache);
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
            if (queries.closed()) {
                throw new NodeClosedException("discovery is closed; cannot discover " + topic);
            }
            CachedTopic entry = cache.use(topic, now);
            if (entry != null) {
                (entry.negative() ? stats.negativeHits : stats.hits).increment();
                answer = new Discovered.Cached(topic, entry.liveSubscribers(now));
                hot = entry.negative() || queries.inFlight(topic) ? null : entry.policyEntry();
            } else {
                stats.misses.increment();
                QuerySent parked = queries.park(topic, waiter, qos, now);
                sent = queries.opened(parked);
                answer = parked;
            }
        }
        if (sent != null) {
            queries.send(sent);
        } else if (hot != null && policy.current().refreshAhead(hot, now)) {
            queries.refreshAhead(topic);
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
            if (queries.closed()) {
                throw new NodeClosedException("discovery is closed; cannot rediscover " + topic);
            }
            stats.rediscoveries.increment();
            parked = queries.park(topic, waiter, qos, clock.instant());
            sent = queries.opened(parked);
        }
        if (sent != null) {
            queries.send(sent);
        }
        return parked;
    }

    /**
     * Takes the DHT's answer to query {@code queryId}: caches what the valid records prove and calls the query's
     * waiters (on the scheduler). An answer to a query not in flight changes nothing. Any thread.
     */
    public DiscoveryResponse handleDiscoveryResponse(long queryId, List<Record> records) {
        return queries.handleDiscoveryResponse(queryId, records);
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
        List<Parked> dropped;
        synchronized (lock) {
            if (queries.closed()) {
                return;
            }
            dropped = queries.closeAll();
            cache.clear();
        }
        Waiters.drop(dropped, "discovery closed");
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
