package io.hyphae.router;

import java.util.Arrays;

/**
 * The sequence numbers seen lately in one publisher's id stream, as a bitmap sliding forward over
 * {@code [base, base + bits)}: the anti-replay window of IPsec and of QUIC's packet numbers, except that a number
 * below it is not refused but left to the caller (here, to the {@link DedupeTable}), because a message delivered
 * late is still a message. One bit per number instead of a table entry per id, so checking a route costs an index
 * into a few KiB that stay in cache instead of two probes into megabytes.
 *
 * <p>A number must be kept until {@code keepFor} later ids arrived (from any publisher: that is how long the table
 * keeps an id), and each word is stamped with the arrival count of its last number to tell. The bitmap starts at
 * {@value #INITIAL_BITS} bits and doubles, as the publisher's numbers run ahead, while what would slide out is still
 * to be kept, up to {@code maxBits}; otherwise it slides. A subscriber of one topic among many sees only some of a
 * publisher's numbers, so beyond that size a number can slide out before {@code keepFor} ids arrived after it: such
 * numbers are handed to a {@link Spill} (the table) instead of being forgotten. Not thread safe: its window's lock
 * guards it.
 */
final class SequenceWindow {
    static final int INITIAL_BITS = 1024;

    /** Takes the numbers that slide out too early to be forgotten. */
    interface Spill {
        void spill(long seq);
    }

    private final int maxBits;
    private final int keepFor;
    private final Spill spill;
    private long base; // a multiple of 64, the number of bit 0 of word (base / 64) mod words.length
    private long[] words;
    private int[] stamps; // per word: the arrival count when its last number came
    private int count;

    /**
     * @param base    the lowest number this window answers for, a multiple of 64
     * @param maxBits a power of two, at least 64
     * @param keepFor how many later arrivals a number must be kept for
     */
    SequenceWindow(long base, int maxBits, int keepFor, Spill spill) {
        this.base = base;
        this.maxBits = maxBits;
        this.keepFor = keepFor;
        this.spill = spill;
        this.words = new long[Math.min(INITIAL_BITS, maxBits) / Long.SIZE];
        this.stamps = new int[words.length];
    }

    /** Numbers below this were forgotten, or never belonged to this window. */
    long base() {
        return base;
    }

    /** Numbers marked seen. */
    int count() {
        return count;
    }

    /** Forgets every number without spilling, keeping the base: what comes later is new. */
    void clear() {
        Arrays.fill(words, 0);
        count = 0;
    }

    /** Gives up every number: the young ones go to the spill, as if they slid out. */
    void spillAll(int arrival) {
        drop(base >>> 6, words.length, arrival);
    }

    /**
     * Marks {@code seq}, at least {@link #base}, seen; true when it was not.
     *
     * @param arrival the count of ids that arrived so far, this one included (it may wrap)
     */
    boolean firstSeen(long seq, int arrival) {
        if (seq - base >= bits()) {
            advanceTo(seq, arrival);
        }
        int word = (int) (seq >>> 6) & (words.length - 1);
        long bit = 1L << seq; // the shift counts mod 64
        if ((words[word] & bit) != 0) {
            return false;
        }
        words[word] |= bit;
        stamps[word] = arrival;
        count++;
        return true;
    }

    /** Numbers this window spans now. */
    long bits() {
        return (long) words.length * Long.SIZE;
    }

    /**
     * Grows, then slides, until {@code seq} is in the window. It grows when one doubling takes {@code seq} in and what
     * would slide out first is young: so a publisher seen number by number gets {@code keepFor} bits and a little
     * more, one seen at one number in eight gets eight times that, and one far jump does not inflate the window.
     */
    private void advanceTo(long seq, int arrival) {
        while (seq - base >= bits() && seq - base < 2 * bits() && bits() < maxBits && young(base >>> 6, arrival)) {
            grow();
        }
        if (seq - base < bits()) {
            return;
        }
        long newBase = (seq - bits() + Long.SIZE) & -Long.SIZE; // seq lands in the last word
        long first = base >>> 6;
        base = newBase;
        drop(first, Math.min((newBase >>> 6) - first, words.length), arrival);
    }

    /** Whether the word of numbers {@code [64 * n, 64 * (n + 1))} holds one that must still be kept. */
    private boolean young(long n, int arrival) {
        int word = (int) n & (words.length - 1);
        return words[word] != 0 && arrival - stamps[word] < keepFor;
    }

    /** Empties the words of numbers {@code [64 * first, 64 * (first + n))}, spilling the young ones. */
    private void drop(long first, long n, int arrival) {
        for (long k = 0; k < n; k++) {
            int word = (int) (first + k) & (words.length - 1);
            long bits = words[word];
            if (young(first + k, arrival)) {
                for (; bits != 0; bits &= bits - 1) {
                    spill.spill(((first + k) << 6) + Long.numberOfTrailingZeros(bits));
                }
            }
            count -= Long.bitCount(words[word]);
            words[word] = 0;
        }
    }

    /** Doubles the bitmap; each word moves to where its numbers index in the larger one. */
    private void grow() {
        long[] larger = new long[words.length * 2];
        int[] largerStamps = new int[larger.length];
        long first = base >>> 6;
        for (long k = 0; k < words.length; k++) {
            int from = (int) (first + k) & (words.length - 1);
            int to = (int) (first + k) & (larger.length - 1);
            larger[to] = words[from];
            largerStamps[to] = stamps[from];
        }
        words = larger;
        stamps = largerStamps;
    }
}
