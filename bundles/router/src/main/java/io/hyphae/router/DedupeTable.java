package io.hyphae.router;

import io.hyphae.api.NodeId;

/**
 * The ids {@link DedupeWindow} keeps one by one, by (publisher, stream, sequence), bounded both in count and in time:
 * an id is forgotten after {@code windowMs} or when {@code maxIds} newer ones came.
 *
 * <p>Runs on a transport thread for every route not covered by a publisher's sequence window, so it keeps no
 * per-entry objects: an open-addressing table (linear probing, deletion by backward shift) holds the keys, and a ring
 * in arrival order says which key to forget next. A table slot keeps its hash and the key's two longs side by side in
 * one {@code long[]}, so a probe reads one cache line and the publisher only when the rest matched (a window of
 * 100,000 ids is megabytes, and chasing a {@code MessageId} and its byte array per probe was most of its cost; the
 * ring keeps no {@code MessageId} alive either). Both start small and double up to what {@code maxIds} needs, so an
 * idle router (a simulation holds thousands) costs a few KiB. Slots come from a hash of the key under a seed of this
 * table's own, not from {@code MessageId.hashCode}: ids are chosen by peers, and ids made to collide would otherwise
 * turn every lookup into a walk of one long probe run on the event loop. Not thread safe: its window's lock guards it.
 */
final class DedupeTable {
    private static final int INITIAL_RING = 256;
    /** Longs per table slot: hash word, stream, sequence. */
    private static final int STRIDE = 3;
    /** Set in the hash word of every used slot, so that 0 means empty. */
    private static final long USED = 1L << 32;

    private final int maxIds;
    private final long windowMs;
    private final long seed;

    // The ring: keys in arrival order, oldest at head.
    private long[] ringStream = new long[INITIAL_RING];
    private long[] ringSeq = new long[INITIAL_RING];
    private NodeId[] ringFrom = new NodeId[INITIAL_RING];
    private long[] ringAtMs = new long[INITIAL_RING];
    private int[] ringHash = new int[INITIAL_RING];
    private int head;
    private int size;

    // The table: twice the ring's capacity, so probes stay short.
    private long[] slots = new long[STRIDE * 2 * INITIAL_RING];
    private NodeId[] slotFrom = new NodeId[2 * INITIAL_RING];

    /** @param seed keys the slot hash; any value works, a random one keeps crafted collisions out */
    DedupeTable(int maxIds, long windowMs, long seed) {
        this.maxIds = maxIds;
        this.windowMs = windowMs;
        this.seed = seed;
    }

    /** Records id {@code seq} of {@code publisher}'s {@code stream} at {@code nowMs}; true when it was not here. */
    boolean firstSeen(NodeId publisher, long stream, long seq, long nowMs) {
        int hash = hash(publisher, stream, seq);
        forgetOlderThan(nowMs - windowMs);
        if (find(publisher, stream, seq, hash) >= 0) {
            return false;
        }
        if (size == maxIds) {
            forgetOldest();
        } else if (size == ringStream.length) {
            grow();
        }
        int tail = (head + size) & (ringStream.length - 1);
        ringStream[tail] = stream;
        ringSeq[tail] = seq;
        ringFrom[tail] = publisher;
        ringAtMs[tail] = nowMs;
        ringHash[tail] = hash;
        size++;
        insert(publisher, stream, seq, hash);
        return true;
    }

    /** Ids remembered at {@code nowMs}. */
    int size(long nowMs) {
        forgetOlderThan(nowMs - windowMs);
        return size;
    }

    /** The highest sequence of {@code publisher}'s {@code stream} held here, or -1: a walk of the whole ring. */
    long highestSequence(NodeId publisher, long stream) {
        long highest = -1;
        for (int k = 0; k < size; k++) {
            int at = (head + k) & (ringStream.length - 1);
            if (ringStream[at] == stream && ringSeq[at] > highest && ringFrom[at].equals(publisher)) {
                highest = ringSeq[at];
            }
        }
        return highest;
    }

    private void forgetOlderThan(long limitMs) {
        while (size > 0 && ringAtMs[head] <= limitMs) {
            forgetOldest();
        }
    }

    private void forgetOldest() {
        NodeId from = ringFrom[head];
        int slot = find(from, ringStream[head], ringSeq[head], ringHash[head]);
        ringFrom[head] = null;
        head = (head + 1) & (ringStream.length - 1);
        size--;
        if (slot >= 0) {
            remove(slot);
        }
    }

    /** The table slot of the key, or -1. */
    private int find(NodeId from, long stream, long seq, int hash) {
        long word = USED | (hash & 0xffffffffL);
        int mask = slotFrom.length - 1;
        for (int i = hash & mask; slots[STRIDE * i] != 0; i = (i + 1) & mask) {
            int at = STRIDE * i;
            if (slots[at] == word && slots[at + 1] == stream && slots[at + 2] == seq
                    && (slotFrom[i] == from || slotFrom[i].equals(from))) {
                return i;
            }
        }
        return -1;
    }

    private void insert(NodeId from, long stream, long seq, int hash) {
        int mask = slotFrom.length - 1;
        int i = hash & mask;
        while (slots[STRIDE * i] != 0) {
            i = (i + 1) & mask;
        }
        int at = STRIDE * i;
        slots[at] = USED | (hash & 0xffffffffL);
        slots[at + 1] = stream;
        slots[at + 2] = seq;
        slotFrom[i] = from;
    }

    /** Empties {@code slot}, moving back later keys of its probe run so every key stays reachable from its home. */
    private void remove(int slot) {
        int mask = slotFrom.length - 1;
        int hole = slot;
        for (int i = (slot + 1) & mask; slots[STRIDE * i] != 0; i = (i + 1) & mask) {
            int home = (int) slots[STRIDE * i] & mask;
            // The key at i may fill the hole unless its home lies cyclically in (hole, i].
            boolean homeAfterHole = hole <= i ? home > hole && home <= i : home > hole || home <= i;
            if (!homeAfterHole) {
                System.arraycopy(slots, STRIDE * i, slots, STRIDE * hole, STRIDE);
                slotFrom[hole] = slotFrom[i];
                hole = i;
            }
        }
        slots[STRIDE * hole] = 0;
        slotFrom[hole] = null;
    }

    /** Doubles the ring (keeping arrival order) and the table (rehashing). */
    private void grow() {
        int capacity = ringStream.length * 2;
        long[] streams = new long[capacity];
        long[] seqs = new long[capacity];
        NodeId[] froms = new NodeId[capacity];
        long[] ats = new long[capacity];
        int[] hashes = new int[capacity];
        for (int k = 0; k < size; k++) {
            int from = (head + k) & (ringStream.length - 1);
            streams[k] = ringStream[from];
            seqs[k] = ringSeq[from];
            froms[k] = ringFrom[from];
            ats[k] = ringAtMs[from];
            hashes[k] = ringHash[from];
        }
        ringStream = streams;
        ringSeq = seqs;
        ringFrom = froms;
        ringAtMs = ats;
        ringHash = hashes;
        head = 0;
        slots = new long[STRIDE * 2 * capacity];
        slotFrom = new NodeId[2 * capacity];
        for (int k = 0; k < size; k++) {
            insert(ringFrom[k], ringStream[k], ringSeq[k], ringHash[k]);
        }
    }

    /** The key's two longs and the publisher, each mixed with the seed (SplitMix64's finalizer). */
    private int hash(NodeId from, long stream, long seq) {
        long h = mix(mix(stream ^ seed) + seq) + from.hashCode();
        return (int) mix(h);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
