package io.hyphae.dht;

import io.hyphae.api.NodeId;
import io.hyphae.spi.dht.Key;
import io.hyphae.spi.dht.Record;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The records this node holds: many per key, one per publisher, the one of highest {@code seq} kept. Every record is
 * checked ({@link RecordCheck}) before it is accepted; expired records are not served and are swept by
 * {@link #expire}. Bounded per key and in total. Not thread safe: confined to the DHT's serial executor.
 */
public final class RecordStore {
    /** What {@link #put} did with a record. */
    public enum Outcome { ACCEPTED, DUPLICATE, STALE, INVALID, FULL }

    private final int maxPerKey;
    private final int maxTotal;
    private final long maxTtlMs;
    private final Map<Key, TreeMap<NodeId, Record>> byKey = new HashMap<>();
    private int total;

    public RecordStore(int maxPerKey, int maxTotal, long maxTtlMs) {
        this.maxPerKey = maxPerKey;
        this.maxTotal = maxTotal;
        this.maxTtlMs = maxTtlMs;
    }

    /**
     * Accepts {@code record} when it is valid at {@code now} and newer than the publisher's held record. A new
     * publisher is refused ({@link Outcome#FULL}) when its key or the store is full. The signature is verified only
     * for a record that would be taken: a copy of the held record (same bytes, signature included) was verified
     * when it was stored, and a record no newer than the held one is refused anyway. Replication hands a node the
     * same record from each of the k holders, so this spares most verifications.
     */
    public Outcome put(Record record, Instant now) {
        if (RecordCheck.unsignedProblem(record, record.key(), now, maxTtlMs) != null) {
            return Outcome.INVALID;
        }
        TreeMap<NodeId, Record> records = byKey.get(record.key());
        Record held = records == null ? null : records.get(record.publisher());
        if (held != null) {
            if (held.equals(record)) {
                return Outcome.DUPLICATE;
            }
            if (held.seq() >= record.seq() && !held.isExpired(now)) {
                return Outcome.STALE;
            }
            if (RecordCheck.signatureProblem(record) != null) {
                return Outcome.INVALID;
            }
            records.put(record.publisher(), record);
            return Outcome.ACCEPTED;
        }
        if (RecordCheck.signatureProblem(record) != null) {
            return Outcome.INVALID;
        }
        if (total >= maxTotal || (records != null && records.size() >= maxPerKey)) {
            expire(now);
            records = byKey.get(record.key());
            if (total >= maxTotal || (records != null && records.size() >= maxPerKey)) {
                return Outcome.FULL;
            }
        }
        byKey.computeIfAbsent(record.key(), key -> new TreeMap<>()).put(record.publisher(), record);
        total++;
        return Outcome.ACCEPTED;
    }

    /** Live records under {@code key}, ordered by publisher (a stable order for paging). */
    public List<Record> live(Key key, Instant now) {
        TreeMap<NodeId, Record> records = byKey.get(key);
        if (records == null) {
            return List.of();
        }
        List<Record> out = new ArrayList<>(records.size());
        for (Record r : records.values()) {
            if (!r.isExpired(now)) {
                out.add(r);
            }
        }
        return out;
    }

    /** Keys with at least one held record (live or not yet swept). */
    public Set<Key> keys() {
        return Set.copyOf(byKey.keySet());
    }

    /** Removes expired records; returns how many. */
    public int expire(Instant now) {
        int removed = 0;
        for (Iterator<TreeMap<NodeId, Record>> keys = byKey.values().iterator(); keys.hasNext(); ) {
            TreeMap<NodeId, Record> records = keys.next();
            for (Iterator<Record> it = records.values().iterator(); it.hasNext(); ) {
                if (it.next().isExpired(now)) {
                    it.remove();
                    removed++;
                }
            }
            if (records.isEmpty()) {
                keys.remove();
            }
        }
        total -= removed;
        return removed;
    }

    /** Records held, live or not yet swept. */
    public int size() {
        return total;
    }
}
