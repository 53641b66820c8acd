package io.hyphae.discovery;

import io.hyphae.api.NodeId;
import io.hyphae.api.Topic;
import io.hyphae.spi.cache.CachePolicy;
import io.hyphae.spi.pubsub.Subscriber;
import java.time.Instant;
import java.util.List;

/**
 * One cached answer. Mutable; guarded by the lock of the {@link DiscoveryService} that owns the cache.
 */
final class CachedTopic {
    final Topic topic;
    final Instant storedAt;
    /** When the first of its records expires; the policy's freshness is measured from this. Null when negative. */
    final Instant recordsExpireAt;
    List<Subscriber> subscribers;
    Instant expiresAt;
    Instant lastUsedAt;
    long uses;

    CachedTopic(Topic topic, List<Subscriber> subscribers, Instant storedAt, Instant recordsExpireAt,
                Instant expiresAt) {
        this.topic = topic;
        this.subscribers = List.copyOf(subscribers);
        this.storedAt = storedAt;
        this.recordsExpireAt = recordsExpireAt;
        this.expiresAt = expiresAt;
        this.lastUsedAt = storedAt;
    }

    /** An answer without subscribers, cached for the negative TTL. */
    boolean negative() {
        return recordsExpireAt == null;
    }

    boolean freshAt(Instant now) {
        return now.isBefore(expiresAt);
    }

    /** The subscribers whose records have not expired at {@code now}. */
    List<Subscriber> liveSubscribers(Instant now) {
        for (Subscriber s : subscribers) {
            if (!now.isBefore(s.expiresAt())) {
                return subscribers.stream().filter(x -> now.isBefore(x.expiresAt())).toList();
            }
        }
        return subscribers;
    }

    /** Removes {@code nodeId}, when its cached record is older than {@code seq}; whether it was removed. */
    boolean remove(NodeId nodeId, long seq) {
        List<Subscriber> kept = subscribers.stream().filter(s -> !s.nodeId().equals(nodeId) || s.seq() >= seq)
                .toList();
        boolean removed = kept.size() < subscribers.size();
        subscribers = kept;
        return removed;
    }

    CachePolicy.Entry policyEntry() {
        return new CachePolicy.Entry(storedAt, expiresAt, lastUsedAt, uses);
    }
}
