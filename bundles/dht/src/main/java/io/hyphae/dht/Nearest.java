package io.hyphae.dht;

import io.hyphae.api.NodeId;
import io.hyphae.spi.dht.Contact;
import io.hyphae.spi.dht.Key;
import java.util.List;

/**
 * The few contacts nearest to a target among those {@link RoutingTable#closest} offers it, kept sorted by insertion
 * (at most k of them). Distances are compared on their first 64 bits from the buckets' arrays; only a tie there reads
 * the ids. Not thread safe: one per call.
 */
final class Nearest {
    private final Key target;
    private final long targetPrefix;
    private final NodeId except;
    private final int exceptHash;
    private final Contact[] kept;
    private final long[] keptDistance;
    private int limit;
    private int size;

    Nearest(Key target, int n, NodeId except) {
        this.target = target;
        this.except = except;
        this.exceptHash = except == null ? 0 : except.hashCode();
        this.targetPrefix = Xor.prefix(target);
        this.kept = new Contact[n];
        this.keptDistance = new long[n];
        this.limit = n;
    }

    void limit(int max) {
        limit = Math.min(max, kept.length);
    }

    void offerAll(Bucket bucket) {
        List<Contact> contacts = bucket.entries;
        long[] prefixes = bucket.prefixes;
        int[] hashes = bucket.hashes;
        for (int i = 0; i < contacts.size(); i++) {
            long distance = prefixes[i] ^ targetPrefix;
            if ((size == limit && !nearer(distance, contacts, i, size - 1))
                    || (except != null && hashes[i] == exceptHash && contacts.get(i).nodeId().equals(except))) {
                continue;
            }
            offer(contacts.get(i), distance);
        }
    }

    private boolean nearer(long distance, List<Contact> contacts, int i, int keptAt) {
        int c = Long.compareUnsigned(distance, keptDistance[keptAt]);
        return c < 0 || (c == 0 && Xor.compare(target, contacts.get(i).nodeId(), kept[keptAt].nodeId()) < 0);
    }

    private void offer(Contact c, long distance) {
        int at = size == limit ? size - 1 : size;
        while (at > 0) {
            int cmp = Long.compareUnsigned(distance, keptDistance[at - 1]);
            if (cmp > 0 || (cmp == 0 && Xor.compare(target, c.nodeId(), kept[at - 1].nodeId()) >= 0)) {
                break;
            }
            kept[at] = kept[at - 1];
            keptDistance[at] = keptDistance[at - 1];
            at--;
        }
        kept[at] = c;
        keptDistance[at] = distance;
        if (size < limit) {
            size++;
        }
    }

    void drainTo(List<Contact> out) {
        for (int i = 0; i < size; i++) {
            out.add(kept[i]);
            kept[i] = null;
        }
        size = 0;
    }
}
