package io.hyphae.router;

import io.hyphae.api.MessageId;
import io.hyphae.api.NodeId;
import java.time.Clock;

/**
 * The messages seen lately, by (publisher, message id), bounded both in count and in time: a message is forgotten
 * after {@code windowMs} or when {@code maxIds} newer ones came. Keyed by publisher too, so a node can only ever
 * shadow its own messages: a peer that learned another publisher's ids cannot make this node drop them.
 *
 * <p>Runs once per inbound route on a transport thread, so it keeps no per-entry objects: an open-addressing table
 * (linear probing, deletion by backward shift) holds the keys, and a ring in arrival order says which key to forget
 * next. Both start small and double up to what {@code maxIds} needs, so an idle router (a simulation holds
 * thousands) costs a few KiB. Slots come from a hash of the id's bytes under a seed of this window's own, not from
 * {@code MessageId.hashCode}: ids are chosen by peers, and ids made to collide would otherwise turn every lookup
 * into a walk of one long probe run on the event loop. Thread safe; one short lock, never held while calling out.
 */
final class DedupeWindow {
    private static final int INITIAL_RING = 256;

    private final int maxIds;
    private final long windowMs;
    private final Clock clock;
    private final long seed;

    // The ring: keys in arrival order, oldest at head. Guarded by this.
    private MessageId[] ringId = new MessageId[INITIAL_RING];
    private NodeId[] ringFrom = new NodeId[INITIAL_RING];
    private long[] ringAtMs = new long[INITIAL_RING];
    private int[] ringHash = new int[INITIAL_RING];
    private int head;
    private int size;

    // The table: twice the ring's capacity, so probes stay short. Guarded by this.
    private MessageId[] tableId = new MessageId[2 * INITIAL_RING];
    private NodeId[] tableFrom = new NodeId[2 * INITIAL_RING];
    private int[] tableHash = new int[2 * INITIAL_RING];

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
        int hash = hash(publisher, id); // outside the lock: it reads the id's bytes
        synchronized (this) {
            forgetOlderThan(now - windowMs);
            if (find(publisher, id, hash) >= 0) {
                return false;
            }
            if (size == maxIds) {
                forgetOldest();
            } else if (size == ringId.length) {
                grow();
            }
            int tail = (head + size) & (ringId.length - 1);
            ringId[tail] = id;
            ringFrom[tail] = publisher;
            ringAtMs[tail] = now;
            ringHash[tail] = hash;
            size++;
            insert(publisher, id, hash);
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
        MessageId id = ringId[head];
        NodeId from = ringFrom[head];
        int hash = ringHash[head];
        ringId[head] = null;
        ringFrom[head] = null;
        head = (head + 1) & (ringId.length - 1);
        size--;
        int slot = find(from, id, hash);
        if (slot >= 0) {
            remove(slot);
        }
    }

    /** The table slot of the key, or -1. */
    private int find(NodeId from, MessageId id, int hash) {
        int mask = tableId.length - 1;
        for (int i = hash & mask; tableId[i] != null; i = (i + 1) & mask) {
            if (tableHash[i] == hash && tableId[i].equals(id) && tableFrom[i].equals(from)) {
                return i;
            }
        }
        return -1;
    }

    private void insert(NodeId from, MessageId id, int hash) {
        int mask = tableId.length - 1;
        int i = hash & mask;
        while (tableId[i] != null) {
            i = (i + 1) & mask;
        }
        tableId[i] = id;
        tableFrom[i] = from;
        tableHash[i] = hash;
    }

    /** Empties {@code slot}, moving back later keys of its probe run so every key stays reachable from its home. */
    private void remove(int slot) {
        int mask = tableId.length - 1;
        int hole = slot;
        for (int i = (slot + 1) & mask; tableId[i] != null; i = (i + 1) & mask) {
            int home = tableHash[i] & mask;
            // The key at i may fill the hole unless its home lies cyclically in (hole, i].
            boolean homeAfterHole = hole <= i ? home > hole && home <= i : home > hole || home <= i;
            if (!homeAfterHole) {
                tableId[hole] = tableId[i];
                tableFrom[hole] = tableFrom[i];
                tableHash[hole] = tableHash[i];
                hole = i;
            }
        }
        tableId[hole] = null;
        tableFrom[hole] = null;
    }

    /** Doubles the ring (keeping arrival order) and the table (rehashing). */
    private void grow() {
        int capacity = ringId.length * 2;
        MessageId[] ids = new MessageId[capacity];
        NodeId[] froms = new NodeId[capacity];
        long[] ats = new long[capacity];
        int[] hashes = new int[capacity];
        for (int k = 0; k < size; k++) {
            int from = (head + k) & (ringId.length - 1);
            ids[k] = ringId[from];
            froms[k] = ringFrom[from];
            ats[k] = ringAtMs[from];
            hashes[k] = ringHash[from];
        }
        ringId = ids;
        ringFrom = froms;
        ringAtMs = ats;
        ringHash = hashes;
        head = 0;
        tableId = new MessageId[2 * capacity];
        tableFrom = new NodeId[2 * capacity];
        tableHash = new int[2 * capacity];
        for (int k = 0; k < size; k++) {
            insert(ringFrom[k], ringId[k], ringHash[k]);
        }
    }

    /** The id's two halves and the publisher, each mixed with the seed (SplitMix64's finalizer). */
    private int hash(NodeId from, MessageId id) {
        byte[] b = id.toBytes();
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            hi = (hi << 8) | (b[i] & 0xff);
            lo = (lo << 8) | (b[Long.BYTES + i] & 0xff);
        }
        long h = mix(mix(hi ^ seed) + lo) + from.hashCode();
        return (int) mix(h);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
