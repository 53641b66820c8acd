package io.hyphae.dht;

import io.hyphae.api.NodeId;
import io.hyphae.spi.dht.Contact;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One k-bucket: live contacts least-recently-seen first, each with when it was last heard from, and a bounded
 * replacement cache of contacts heard while it was full, most recent last. Beside each entry it keeps how many requests
 * it failed to answer since it was last heard from, its id's hash and first 64 bits, so that finding an entry or the entries nearest to a target reads arrays instead of following
 * each contact to its id. Entries change only through {@link #add}, {@link #touch} and {@link #remove}, which keep
 * the arrays in step. Not thread safe: owned by the
 * {@link RoutingTable}.
 */
final class Bucket {
    final ArrayList<Contact> entries;
    /** When entries.get(i) was last heard from, in ms. */
    private long[] seenAtMs;
    /** Requests entries.get(i) failed to answer since it was last heard from. */
    private int[] failures;
    /** {@link Xor#prefix} of entries.get(i)'s id. */
    long[] prefixes;
    /** Hash of entries.get(i)'s id. */
    int[] hashes;
    /** Replacements, least recently heard first, with their ids' hashes; made when first needed. */
    private Contact[] replacements;
    private int[] replacementHashes;
    private int replacementCount;
    /** The least-recently-seen entry is being pinged because a new contact found the bucket full. */
    boolean pinging;

    Bucket(int k) {
        this.entries = new ArrayList<>(Math.min(k, 4));
        this.seenAtMs = new long[Math.min(k, 4)];
        this.failures = new int[seenAtMs.length];
        this.prefixes = new long[seenAtMs.length];
        this.hashes = new int[seenAtMs.length];
    }

    /** Appends {@code c} as the most recently seen entry, heard from at {@code nowMs}. */
    void add(Contact c, long nowMs) {
        int n = entries.size();
        if (n == seenAtMs.length) {
            int capacity = Math.max(4, n * 2);
            seenAtMs = Arrays.copyOf(seenAtMs, capacity);
            failures = Arrays.copyOf(failures, capacity);
            prefixes = Arrays.copyOf(prefixes, capacity);
            hashes = Arrays.copyOf(hashes, capacity);
        }
        seenAtMs[n] = nowMs;
        failures[n] = 0;
        prefixes[n] = Xor.prefix(c.nodeId());
        hashes[n] = c.nodeId().hashCode();
        entries.add(c);
    }

    void remove(int i) {
        entries.remove(i);
        int moved = entries.size() - i;
        System.arraycopy(seenAtMs, i + 1, seenAtMs, i, moved);
        System.arraycopy(failures, i + 1, failures, i, moved);
        System.arraycopy(prefixes, i + 1, prefixes, i, moved);
        System.arraycopy(hashes, i + 1, hashes, i, moved);
    }

    /** When the least-recently-seen entry was last heard from; only when there is one. */
    long oldestSeenAtMs() {
        return seenAtMs[0];
    }

    /** Counts one more request the entry at {@code i} failed to answer; returns how many in a row it failed. */
    int fail(int i) {
        return ++failures[i];
    }

    /** Requests the entry at {@code i} failed to answer in a row (0 once it is heard from). */
    int failures(int i) {
        return failures[i];
    }

    int indexOf(NodeId id) {
        int hash = id.hashCode(); // cached by NodeId: entries are told apart by the array of hashes
        for (int i = 0; i < entries.size(); i++) {
            if (hashes[i] == hash && entries.get(i).nodeId().equals(id)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Moves the entry at {@code i} to the most-recently-seen end, taking the newer contact's endpoints; it answered,
     * so its failures are forgotten.
     */
    void touch(int i, Contact newer, long nowMs) {
        remove(i);
        add(newer, nowMs);
    }

    void cache(Contact c, int capacity) {
        if (capacity <= 0) {
            return;
        }
        if (replacements == null) {
            replacements = new Contact[Math.min(capacity, 4)];
            replacementHashes = new int[replacements.length];
        }
        dropReplacement(c.nodeId());
        if (replacementCount == capacity) {
            removeReplacement(0); // the least recently heard goes
        }
        if (replacementCount == replacements.length) {
            int grown = Math.min(capacity, replacements.length * 2);
            replacements = Arrays.copyOf(replacements, grown);
            replacementHashes = Arrays.copyOf(replacementHashes, grown);
        }
        replacements[replacementCount] = c;
        replacementHashes[replacementCount] = c.nodeId().hashCode();
        replacementCount++;
    }

    void dropReplacement(NodeId id) {
        int hash = id.hashCode();
        for (int i = 0; i < replacementCount; i++) {
            if (replacementHashes[i] == hash && replacements[i].nodeId().equals(id)) {
                removeReplacement(i);
                return;
            }
        }
    }

    /** The most recently heard replacement, removed from the cache; null when none. */
    Contact takeReplacement() {
        if (replacementCount == 0) {
            return null;
        }
        Contact newest = replacements[replacementCount - 1];
        removeReplacement(replacementCount - 1);
        return newest;
    }

    List<Contact> replacements() {
        return replacementCount == 0 ? List.of() : List.of(Arrays.copyOf(replacements, replacementCount));
    }

    private void removeReplacement(int i) {
        int moved = replacementCount - i - 1;
        System.arraycopy(replacements, i + 1, replacements, i, moved);
        System.arraycopy(replacementHashes, i + 1, replacementHashes, i, moved);
        replacements[--replacementCount] = null;
    }
}
