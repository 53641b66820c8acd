package io.hyphae.wire;

import java.util.ArrayList;
import java.util.List;

/**
 * The pending requests of a {@link PendingRequests} table by request id: a map from {@code long} to value, in
 * stripes chosen by the id's low bits, each an open-addressing table (linear probing, deletion by backward shift)
 * under a lock of its own. Ids come from a counter, so neighbouring requests fall in different stripes and the
 * sender that opens one rarely meets the event loop that answers another. A {@code ConcurrentHashMap<Long, ...>}
 * boxed every id, allocated a node per request and shared one size counter between those threads (~5 % of the event
 * loop's time on QoS 1 routes; bench/, #6). Id 0 is never a key (it marks an empty slot; one-way packets use it).
 * Thread safe; no lock is held while calling out.
 *
 * @param <V> the value
 */
final class RequestTable<V> {
    private static final int STRIPES = 16; // a power of two
    private static final int INITIAL_SLOTS = 16; // per stripe, a power of two

    private final Stripe[] stripes = new Stripe[STRIPES];

    RequestTable() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Stripe();
        }
    }

    /** Maps {@code id} (not 0) to {@code value}, replacing what it mapped to. */
    void put(long id, V value) {
        if (id == 0) {
            throw new IllegalArgumentException("request id 0 is reserved for one-way packets");
        }
        Stripe s = stripe(id);
        synchronized (s) {
            s.put(id, value);
        }
    }

    /** The value of {@code id}, or null. */
    @SuppressWarnings("unchecked")
    V get(long id) {
        Stripe s = stripe(id);
        synchronized (s) {
            int slot = s.find(id);
            return slot < 0 ? null : (V) s.values[slot];
        }
    }

    /** Removes {@code id} if it maps to {@code value} (by identity); whether it did. */
    boolean remove(long id, V value) {
        Stripe s = stripe(id);
        synchronized (s) {
            int slot = s.find(id);
            if (slot < 0 || s.values[slot] != value) {
                return false;
            }
            s.remove(slot);
            return true;
        }
    }

    /** Removes {@code id}; what it mapped to, or null. */
    @SuppressWarnings("unchecked")
    V remove(long id) {
        Stripe s = stripe(id);
        synchronized (s) {
            int slot = s.find(id);
            if (slot < 0) {
                return null;
            }
            V value = (V) s.values[slot];
            s.remove(slot);
            return value;
        }
    }

    /** The values now, a snapshot. */
    @SuppressWarnings("unchecked")
    List<V> values() {
        List<V> all = new ArrayList<>();
        for (Stripe s : stripes) {
            synchronized (s) {
                for (int i = 0; i < s.keys.length; i++) {
                    if (s.keys[i] != 0) {
                        all.add((V) s.values[i]);
                    }
                }
            }
        }
        return all;
    }

    /** How many ids are mapped; a sum over the stripes, each read under its lock. */
    int size() {
        int size = 0;
        for (Stripe s : stripes) {
            synchronized (s) {
                size += s.size;
            }
        }
        return size;
    }

    boolean isEmpty() {
        return size() == 0;
    }

    private Stripe stripe(long id) {
        return stripes[(int) id & (STRIPES - 1)];
    }

    /** One stripe; guarded by itself. Its keys share their low bits, so slots come from a mix of the id. */
    private static final class Stripe {
        long[] keys = new long[INITIAL_SLOTS];
        Object[] values = new Object[INITIAL_SLOTS];
        int size;

        int find(long id) {
            int mask = keys.length - 1;
            for (int i = home(id, mask); keys[i] != 0; i = (i + 1) & mask) {
                if (keys[i] == id) {
                    return i;
                }
            }
            return -1;
        }

        void put(long id, Object value) {
            int slot = find(id);
            if (slot >= 0) {
                values[slot] = value;
                return;
            }
            if (2 * (size + 1) > keys.length) {
                grow();
            }
            insert(id, value);
            size++;
        }

        private void insert(long id, Object value) {
            int mask = keys.length - 1;
            int i = home(id, mask);
            while (keys[i] != 0) {
                i = (i + 1) & mask;
            }
            keys[i] = id;
            values[i] = value;
        }

        /** Empties {@code slot}, moving back later keys of its probe run so every key stays reachable. */
        void remove(int slot) {
            int mask = keys.length - 1;
            int hole = slot;
            for (int i = (slot + 1) & mask; keys[i] != 0; i = (i + 1) & mask) {
                int home = home(keys[i], mask);
                boolean homeAfterHole = hole <= i ? home > hole && home <= i : home > hole || home <= i;
                if (!homeAfterHole) {
                    keys[hole] = keys[i];
                    values[hole] = values[i];
                    hole = i;
                }
            }
            keys[hole] = 0;
            values[hole] = null;
            size--;
        }

        private void grow() {
            long[] oldKeys = keys;
            Object[] oldValues = values;
            keys = new long[oldKeys.length * 2];
            values = new Object[oldKeys.length * 2];
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldKeys[i] != 0) {
                    insert(oldKeys[i], oldValues[i]);
                }
            }
        }

        /** Ids of one stripe differ above its low bits: drop those and spread the rest (Fibonacci hashing). */
        private static int home(long id, int mask) {
            return (int) (((id >>> 4) * 0x9E3779B97F4A7C15L) >>> 40) & mask;
        }
    }
}
