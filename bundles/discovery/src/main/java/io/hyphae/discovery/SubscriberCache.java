package io.hyphae.discovery;

import io.hyphae.api.NodeId;
import io.hyphae.api.Topic;
import io.hyphae.spi.cache.CachePolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Discovery's answers by topic, least recently used first. Life and size are the cache policy's to decide: the
 * caller passes what the policy answered, computed before it took the lock. Not thread safe: guarded by the lock of
 * the {@link DiscoveryService} that owns it.
 */
final class SubscriberCache {
    private final LinkedHashMap<Topic, CachedTopic> entries = new LinkedHashMap<>(64, 0.75f, true);

    /** The fresh entry of {@code topic}, counted as used at {@code now}; an expired one is dropped. */
    CachedTopic use(Topic topic, Instant now) {
        CachedTopic entry = entries.get(topic);
        if (entry == null) {
            return null;
        }
        if (!entry.freshAt(now)) {
            entries.remove(topic);
            return null;
        }
        entry.uses++;
        entry.lastUsedAt = now;
        return entry;
    }

    /** Stores {@code entry} as the most recently used, then trims to {@code maxTopics}; how many were trimmed. */
    int put(CachedTopic entry, int maxTopics) {
        entries.put(entry.topic, entry);
        return trim(maxTopics);
    }

    /** Drops {@code nodeId} from {@code topic}'s answer (and the answer, if none is left); whether it was there. */
    boolean evict(Topic topic, NodeId nodeId, long olderThanSeq) {
        CachedTopic entry = entries.get(topic);
        if (entry == null || !entry.remove(nodeId, olderThanSeq)) {
            return false;
        }
        if (entry.subscribers.isEmpty()) {
            // Ask the DHT again next time rather than remember "nobody": the others may have gone the same way.
            entries.remove(topic);
        }
        return true;
    }

    /** The positive entries, for the policy to re-judge; least recently used first. */
    List<CachedTopic> positive() {
        List<CachedTopic> out = new ArrayList<>();
        for (CachedTopic entry : entries.values()) {
            if (!entry.negative()) {
                out.add(entry);
            }
        }
        return out;
    }

    /**
     * Gives each entry of {@code expiries} that is still cached its new expiry, drops those no longer fresh at
     * {@code now}, then trims to {@code maxTopics}. Returns how many entries were dropped.
     */
    int reexpire(Map<CachedTopic, Instant> expiries, Instant now, int maxTopics) {
        int dropped = 0;
        for (Iterator<CachedTopic> it = entries.values().iterator(); it.hasNext(); ) {
            CachedTopic entry = it.next();
            Instant expiry = expiries.get(entry);
            if (expiry != null) {
                entry.expiresAt = expiry;
            }
            if (!entry.freshAt(now)) {
                it.remove();
                dropped++;
            }
        }
        return dropped + trim(maxTopics);
    }

    /**
     * The expiry {@code policy} gives each of {@code entries}: freshness measured from when it was stored, given the
     * TTL its records had then. Calls the policy: call it holding no lock.
     */
    static Map<CachedTopic, Instant> expiries(List<CachedTopic> entries, CachePolicy policy) {
        Map<CachedTopic, Instant> out = new IdentityHashMap<>();
        for (CachedTopic entry : entries) {
            out.put(entry, entry.storedAt.plus(policy.freshness(
                    Duration.between(entry.storedAt, entry.recordsExpireAt))));
        }
        return out;
    }

    boolean contains(Topic topic) {
        return entries.containsKey(topic);
    }

    int size() {
        return entries.size();
    }

    void clear() {
        entries.clear();
    }

    private int trim(int maxTopics) {
        int trimmed = 0;
        for (Iterator<CachedTopic> it = entries.values().iterator(); entries.size() > maxTopics; trimmed++) {
            it.next();
            it.remove();
        }
        return trimmed;
    }
}
