package io.hyphae.discovery;

import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;

/** Counters of one discovery service, named {@code discovery.<event>} for {@code hyphae:stats}. Thread safe. */
public final class DiscoveryStats {
    /** The module name of these counters, the prefix of each counter name. */
    public static final String MODULE = "discovery";

    final LongAdder hits = new LongAdder();
    final LongAdder negativeHits = new LongAdder();
    final LongAdder misses = new LongAdder();
    final LongAdder queriesSent = new LongAdder();
    final LongAdder queriesJoined = new LongAdder();
    final LongAdder refreshes = new LongAdder();
    final LongAdder timeouts = new LongAdder();
    final LongAdder requeries = new LongAdder();
    final LongAdder dropped = new LongAdder();
    final LongAdder deadlinesPassed = new LongAdder();
    final LongAdder dhtFailures = new LongAdder();
    final LongAdder lateAnswers = new LongAdder();
    final LongAdder rejectedRecords = new LongAdder();
    final LongAdder evictions = new LongAdder();
    final LongAdder withdrawals = new LongAdder();
    final LongAdder policySwaps = new LongAdder();
    final LongAdder rediscoveries = new LongAdder();

    public long hits() {
        return hits.sum();
    }

    public long negativeHits() {
        return negativeHits.sum();
    }

    public long misses() {
        return misses.sum();
    }

    public long queriesSent() {
        return queriesSent.sum();
    }

    public long queriesJoined() {
        return queriesJoined.sum();
    }

    public long refreshes() {
        return refreshes.sum();
    }

    public long timeouts() {
        return timeouts.sum();
    }

    public long requeries() {
        return requeries.sum();
    }

    /** QoS 0 waiters dropped because their query timed out or the DHT failed. */
    public long dropped() {
        return dropped.sum();
    }

    /** QoS 1 waiters dropped because their deadline passed without an answer. */
    public long deadlinesPassed() {
        return deadlinesPassed.sum();
    }

    public long dhtFailures() {
        return dhtFailures.sum();
    }

    /** Answers to queries that had timed out, or that were never sent. */
    public long lateAnswers() {
        return lateAnswers.sum();
    }

    /** Records discarded: bad signature, key or value, expired, or naming another node, topic or realm. */
    public long rejectedRecords() {
        return rejectedRecords.sum();
    }

    public long evictions() {
        return evictions.sum();
    }

    public long withdrawals() {
        return withdrawals.sum();
    }

    public long policySwaps() {
        return policySwaps.sum();
    }

    /** Queries the router asked for past the cache, because every endpoint it knew of a subscriber failed. */
    public long rediscoveries() {
        return rediscoveries.sum();
    }

    /** Every counter by its name, sorted by name. */
    public SortedMap<String, Long> snapshot() {
        SortedMap<String, Long> out = new TreeMap<>();
        out.put("discovery.cache.hits", hits());
        out.put("discovery.cache.negative.hits", negativeHits());
        out.put("discovery.cache.misses", misses());
        out.put("discovery.queries.sent", queriesSent());
        out.put("discovery.queries.joined", queriesJoined());
        out.put("discovery.queries.refresh", refreshes());
        out.put("discovery.queries.timeouts", timeouts());
        out.put("discovery.queries.requeries", requeries());
        out.put("discovery.queries.late", lateAnswers());
        out.put("discovery.dht.failures", dhtFailures());
        out.put("discovery.waiters.dropped", dropped());
        out.put("discovery.waiters.deadline", deadlinesPassed());
        out.put("discovery.records.rejected", rejectedRecords());
        out.put("discovery.evictions", evictions());
        out.put("discovery.withdrawals", withdrawals());
        out.put("discovery.policy.swaps", policySwaps());
        out.put("discovery.rediscoveries", rediscoveries());
        return out;
    }
}
