package io.hyphae.router;

import io.hyphae.api.MessageId;
import io.hyphae.api.NodeId;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.time.Clock;

/**
 * The messages seen lately, by (publisher, message id), bounded both in count and in time: a message is forgotten
 * after {@code windowMs} or when {@code maxIds} newer ones came. Keyed by publisher too, so a node can only ever
 * shadow its own messages: a peer that learned another publisher's ids cannot make this node drop them.
 *
 * <p>Runs once per inbound route on a transport thread, so it keeps no per-entry objects: an open-addressing table
 * (linear probing, deletion by backward shift) holds the keys, and a ring in arrival order says which key to forget
 * next. A key is the id's two 64-bit halves and the publisher; a table slot keeps its hash and the id halves side by
 * side in one {@code long[]}, so a probe reads one cache line and the publisher only when the id matched (a window of
 * 100,000 ids is megabytes, and chasing a {@code MessageId} and its byte array per probe was most of its cost; the
 * ring keeps no {@code MessageId} alive either). Both start small and double up to what {@code maxIds} needs,
 * so an idle router (a simulation holds thousands) costs a few KiB. Slots come from a hash of the id's bytes under
 * a seed of this window's own, not from {@code MessageId.hashCode}: ids are chosen by peers, and ids made to collide
 * would otherwise turn every lookup into a walk of one long probe run on the event loop. Thread safe; one short
 * lock, never held while calling out.
 */
final class DedupeWindow {
    private static final int INITIAL_RING = 256;
    /** Longs per table slot: hash word, id high half, id low half. */
    private static final int STRIDE = 3;
    /** Set in the hash word of every used slot, so that 0 means empty. */
    private static final long USED = 1L << 32;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final int maxIds;
    private final long windowMs;
    private final Clock clock;
    private final long seed;

    // The ring: keys in arrival order, oldest at head. Guarded by this.
    private long[] ringHi = new long[INITIAL_RING];
    private long[] ringLo = new long[INITIAL_RING];
    private NodeId[] ringFrom = new NodeId[INITIAL_RING];
    private long[] ringAtMs = new long[INITIAL_RING];
    private int[] ringHash = new int[INITIAL_RING];
    private int head;
    private int size;

    // The table: twice the ring's capacity, so probes stay short. Guarded by this.
    private long[] slots = new long[STRIDE * 2 * INITIAL_RING];
    private NodeId[] slotFrom = new NodeId[2 * INITIAL_RING];

    /** @param seed keys the slot hash; any value works, a random one keeps crafted collisions out */
    DedupeWindow(int maxIds, long windowMs, Clock clock, long seed) {
        this.maxIds = maxIds;
        this.windowMs = windowMs;
        this.clock = clock;
        this.seed = seed;
    }

    /** Records message {@code id} of {@code publisher}; true when it was not in the window (the message is new). */
    boolean firstSeen(NodeId publisher, MessageId id) {
        long now = clock.millis();
        byte[] b = id.toBytes(); // outside the lock, as the hash
        long hi = (long) LONGS.get(b, 0);
        long lo = (long) LONGS.get(b, Long.BYTES);
        int hash = hash(publisher, hi, lo);
        synchronized (this) {
            forgetOlderThan(now - windowMs);
            if (find(publisher, hi, lo, hash) >= 0) {
                return false;
            }
            if (size == maxIds) {
                forgetOldest();
            } else if (size == ringHi.length) {
                grow();
            }
            int tail = (head + size) & (ringHi.length - 1);
            ringHi[tail] = hi;
            ringLo[tail] = lo;
            ringFrom[tail] = publisher;
            ringAtMs[tail] = now;
            ringHash[tail] = hash;
            size++;
            insert(publisher, hi, lo, hash);
            return true;
        }
    }

    /** Messages remembered now. */
    synchronized int size() {
        forgetOlderThan(clock.millis() - windowMs);
        return size;
    }

    private void forgetOlderThan(long limitMs) {
        while (size > 0 && ringAtMs[head] <= limitMs) {
            forgetOldest();
        }
    }

    private void forgetOldest() {
        NodeId from = ringFrom[head];
        int slot = find(from, ringHi[head], ringLo[head], ringHash[head]);
        ringFrom[head] = null;
        head = (head + 1) & (ringHi.length - 1);
        size--;
        if (slot >= 0) {
            remove(slot);
        }
    }

    /** The table slot of the key, or -1. */
    private int find(NodeId from, long hi, long lo, int hash) {
        long word = USED | (hash & 0xffffffffL);
        int mask = slotFrom.length - 1;
        for (int i = hash & mask; slots[STRIDE * i] != 0; i = (i + 1) & mask) {
            int at = STRIDE * i;
            if (slots[at] == word && slots[at + 1] == hi && slots[at + 2] == lo
                    && (slotFrom[i] == from || slotFrom[i].equals(from))) {
                return i;
            }
        }
        return -1;
    }

    private void insert(NodeId from, long hi, long lo, int hash) {
        int mask = slotFrom.length - 1;
        int i = hash & mask;
        while (slots[STRIDE * i] != 0) {
            i = (i + 1) & mask;
        }
        int at = STRIDE * i;
        slots[at] = USED | (hash & 0xffffffffL);
        slots[at + 1] = hi;
        slots[at + 2] = lo;
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
        int capacity = ringHi.length * 2;
        long[] his = new long[capacity];
        long[] los = new long[capacity];
        NodeId[] froms = new NodeId[capacity];
        long[] ats = new long[capacity];
        int[] hashes = new int[capacity];
        for (int k = 0; k < size; k++) {
            int from = (head + k) & (ringHi.length - 1);
            his[k] = ringHi[from];
            los[k] = ringLo[from];
            froms[k] = ringFrom[from];
            ats[k] = ringAtMs[from];
            hashes[k] = ringHash[from];
        }
        ringHi = his;
        ringLo = los;
        ringFrom = froms;
        ringAtMs = ats;
        ringHash = hashes;
        head = 0;
        slots = new long[STRIDE * 2 * capacity];
        slotFrom = new NodeId[2 * capacity];
        for (int k = 0; k < size; k++) {
            insert(ringFrom[k], ringHi[k], ringLo[k], ringHash[k]);
        }
    }

    /** The id's two halves and the publisher, each mixed with the seed (SplitMix64's finalizer). */
    private int hash(NodeId from, long hi, long lo) {
        long h = mix(mix(hi ^ seed) + lo) + from.hashCode();
        return (int) mix(h);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
