package io.hyphae.dht;

import io.hyphae.api.NodeId;
import io.hyphae.spi.dht.Contact;
import io.hyphae.spi.dht.Key;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Kademlia k-buckets around one node id. Bucket {@code i} holds contacts sharing exactly {@code i} leading bits with
 * the local id, least-recently-seen first. A contact that finds its bucket full goes to the bucket's replacement
 * cache and the caller is asked to ping the least-recently-seen entry: if it answers it moves to the end
 * ({@link #pingAnswered}), if not it is pinged again until it answers or is evicted. An entry is evicted, and the
 * newest replacement takes its place, once it failed {@code maxFailures} requests in a row ({@link #failed}); any
 * answer or request from it forgets its failures. A lost frame therefore costs a contact nothing, a departed node
 * leaves after {@code maxFailures} requests (Kademlia paper section 4.1: stale after a few failures in a row, not
 * one). An entry heard from within {@code pingAfterMs} is not pinged (lazy probing, same section): it just answered,
 * and should it be gone now the next requests to it fail and evict it the same way.
 * Buckets are made when first needed, so a node of a 10,000-node mesh holds about 14. Not thread safe: confined to
 * the DHT's serial executor.
 */
public final class RoutingTable {
    private final NodeId self;
    private final Key selfKey;
    private final int k;
    private final int replacementCapacity;
    private final LongSupplier clockMs;
    private final long pingAfterMs;
    private final int maxFailures;
    private final Bucket[] buckets = new Bucket[Xor.BITS];
    private final long[] lastLookupMs = new long[Xor.BITS];
    private int size;

    /** What {@link #seen} did. */
    public record Update(boolean added, Contact pingOldest) {
        static final Update ADDED = new Update(true, null);
        static final Update NOTHING = new Update(false, null);
    }

    /** What {@link #failed} did: whether the contact was evicted, and the replacement promoted in its place. */
    public record Failure(boolean evicted, Contact promoted) {
        static final Failure NOTHING = new Failure(false, null);
    }

    /**
     * A table whose clock stands at {@code nowMs}, that pings the oldest entry of a full bucket every time and
     * evicts a contact at its first failure.
     */
    public RoutingTable(NodeId self, int k, int replacementCapacity, long nowMs) {
        this(self, k, replacementCapacity, () -> nowMs, 0, 1);
    }

    /**
     * @param clockMs     the node's clock, in ms
     * @param pingAfterMs the oldest entry of a full bucket is pinged for a newcomer only when it was last heard from
     *                    at least this long ago
     * @param maxFailures a contact is evicted once it failed this many requests in a row (at least 1)
     */
    public RoutingTable(NodeId self, int k, int replacementCapacity, LongSupplier clockMs, long pingAfterMs,
                        int maxFailures) {
        if (maxFailures < 1) {
            throw new IllegalArgumentException("maxFailures must be positive: " + maxFailures);
        }
        this.self = self;
        this.selfKey = Key.of(self);
        this.k = k;
        this.replacementCapacity = replacementCapacity;
        this.clockMs = clockMs;
        this.pingAfterMs = pingAfterMs;
        this.maxFailures = maxFailures;
        java.util.Arrays.fill(lastLookupMs, clockMs.getAsLong());
    }

    public NodeId self() {
        return self;
    }

    /** Contacts held in buckets (not counting replacements). */
    public int size() {
        return size;
    }

    /** Bucket index of {@code id}: the leading bits it shares with the local id (256 for the local id itself). */
    public int bucketIndex(NodeId id) {
        return Xor.commonPrefix(selfKey, id);
    }

    /**
     * Records that {@code contact} was heard from. Known contacts move to the most-recently-seen end; new ones are
     * added while their bucket has room, else cached as replacements.
     *
     * @return whether it was added, and the entry to ping when the bucket was full, its oldest entry was not heard
     *         from within {@code pingAfterMs} and no ping is under way
     */
    public Update seen(Contact contact) {
        int index = bucketIndex(contact.nodeId());
        if (index == Xor.BITS) {
            return Update.NOTHING;
        }
        long nowMs = clockMs.getAsLong();
        Bucket bucket = bucket(index);
        int at = bucket.indexOf(contact.nodeId());
        if (at >= 0) {
            bucket.touch(at, contact, nowMs);
            return Update.NOTHING;
        }
        if (bucket.entries.size() < k) {
            bucket.add(contact, nowMs);
            bucket.dropReplacement(contact.nodeId());
            size++;
            return Update.ADDED;
        }
        bucket.cache(contact, replacementCapacity);
        if (bucket.pinging || nowMs - bucket.oldestSeenAtMs() < pingAfterMs) {
            return Update.NOTHING;
        }
        bucket.pinging = true;
        return new Update(false, bucket.entries.get(0));
    }

    /** The least-recently-seen entry {@code oldest} answered its ping: it stays, as most recently seen. */
    public void pingAnswered(Contact oldest) {
        Bucket bucket = buckets[bucketIndexOrTop(oldest.nodeId())];
        if (bucket != null) {
            bucket.pinging = false;
            int at = bucket.indexOf(oldest.nodeId());
            if (at >= 0) {
                bucket.touch(at, bucket.entries.get(at), clockMs.getAsLong());
            }
        }
    }

    /**
     * The ping of {@code oldest} is over without an answer: it was evicted, or it was heard from another way. The
     * next newcomer to its bucket may ask for a ping again.
     */
    public void pingEnded(NodeId oldest) {
        Bucket bucket = buckets[bucketIndexOrTop(oldest)];
        if (bucket != null) {
            bucket.pinging = false;
        }
    }

    /**
     * {@code id} did not answer a request. A held contact that has now failed {@code maxFailures} requests in a row
     * is evicted and the newest replacement of its bucket takes its place; a replacement is dropped from the cache.
     */
    public Failure failed(NodeId id) {
        int index = bucketIndex(id);
        Bucket bucket = index == Xor.BITS ? null : buckets[index];
        if (bucket == null) {
            return Failure.NOTHING;
        }
        int at = bucket.indexOf(id);
        if (at < 0) {
            bucket.dropReplacement(id);
            return Failure.NOTHING;
        }
        if (bucket.fail(at) < maxFailures) {
            return Failure.NOTHING;
        }
        bucket.remove(at);
        size--;
        Contact promoted = bucket.takeReplacement();
        if (promoted != null) {
            // heard from when it was cached, how long ago is not kept: it counts as heard now
            bucket.add(promoted, clockMs.getAsLong());
            size++;
        }
        return new Failure(true, promoted);
    }

    /** Requests the held contact {@code id} failed in a row since it was last heard from; 0 when not held. */
    public int failures(NodeId id) {
        int index = bucketIndex(id);
        Bucket bucket = index == Xor.BITS ? null : buckets[index];
        int at = bucket == null ? -1 : bucket.indexOf(id);
        return at < 0 ? 0 : bucket.failures(at);
    }

    /** Contacts held in bucket {@code index} (not counting replacements). */
    public int bucketSize(int index) {
        Bucket bucket = buckets[index];
        return bucket == null ? 0 : bucket.entries.size();
    }

    public boolean contains(NodeId id) {
        int index = bucketIndex(id);
        return index < Xor.BITS && buckets[index] != null && buckets[index].indexOf(id) >= 0;
    }

    /**
     * The {@code n} held contacts nearest to {@code target}, nearest first. Looks at only the buckets it needs and
     * sorts only what it returns: every contact of bucket d (the prefix the target shares with this node) is nearer
     * than every contact of the buckets above d, and those are nearer than bucket d - 1, then d - 2, and so on.
     */
    public List<Contact> closest(Key target, int n) {
        return closest(target, n, null);
    }

    /**
     * As {@link #closest(Key, int)}, without {@code except} (the asker of a FIND_NODE knows itself). Asking for one
     * more and dropping the asker afterwards would read every deeper bucket to find that one more.
     */
    public List<Contact> closest(Key target, int n, NodeId except) {
        List<Contact> out = new ArrayList<>(Math.max(0, Math.min(n, size)));
        if (n <= 0) {
            return out;
        }
        Nearest nearest = new Nearest(target, n, except);
        int d = Xor.commonPrefix(target, self);
        if (d < Xor.BITS && buckets[d] != null) {
            nearest.offerAll(buckets[d]);
            nearest.drainTo(out);
        }
        if (out.size() < n) {
            nearest.limit(n - out.size());
            for (int i = d + 1; i < Xor.BITS; i++) {
                if (buckets[i] != null) {
                    nearest.offerAll(buckets[i]);
                }
            }
            nearest.drainTo(out);
        }
        for (int i = Math.min(d, Xor.BITS) - 1; i >= 0 && out.size() < n; i--) {
            if (buckets[i] != null) {
                nearest.limit(n - out.size());
                nearest.offerAll(buckets[i]);
                nearest.drainTo(out);
            }
        }
        return out;
    }

    /** Entries of bucket {@code index}, least recently seen first. */
    public List<Contact> bucket(int index, boolean replacements) {
        Bucket bucket = buckets[index];
        if (bucket == null) {
            return List.of();
        }
        return replacements ? bucket.replacements() : List.copyOf(bucket.entries);
    }

    /** Every held contact. */
    public List<Contact> all() {
        List<Contact> out = new ArrayList<>(size);
        for (Bucket bucket : buckets) {
            if (bucket != null) {
                out.addAll(bucket.entries);
            }
        }
        return out;
    }

    /** Highest index of a non-empty bucket, or -1 when the table is empty. */
    public int deepestBucket() {
        for (int i = Xor.BITS - 1; i >= 0; i--) {
            if (buckets[i] != null && !buckets[i].entries.isEmpty()) {
                return i;
            }
        }
        return -1;
    }

    /** A lookup for {@code target} ran now: the bucket covering it need not be refreshed. */
    public void lookedUp(Key target, long nowMs) {
        int index = Xor.commonPrefix(target, self);
        if (index < Xor.BITS) {
            lastLookupMs[index] = nowMs;
        }
    }

    /** Buckets 0..deepest that saw no lookup for {@code idleMs}. */
    public List<Integer> idleBuckets(long nowMs, long idleMs) {
        List<Integer> idle = new ArrayList<>();
        int deepest = deepestBucket();
        for (int i = 0; i <= deepest; i++) {
            if (nowMs - lastLookupMs[i] >= idleMs) {
                idle.add(i);
            }
        }
        return idle;
    }

    private int bucketIndexOrTop(NodeId id) {
        return Math.min(bucketIndex(id), Xor.BITS - 1);
    }

    private Bucket bucket(int index) {
        Bucket bucket = buckets[index];
        if (bucket == null) {
            bucket = new Bucket(k);
            buckets[index] = bucket;
        }
        return bucket;
    }
}
