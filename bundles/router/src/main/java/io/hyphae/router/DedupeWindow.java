package io.hyphae.router;

import io.hyphae.api.MessageId;
import io.hyphae.api.NodeId;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * The messages seen lately, by (publisher, message id). Keyed by publisher too, so a node can only ever shadow its
 * own messages: a peer that learned another publisher's ids cannot make this node drop them.
 *
 * <p>Two stores. Hyphae nodes number their ids in a stream of their own ({@link MessageId#ofSequence}), so once a
 * publisher's ids are seen to come in sequence, its stream gets a {@link SequenceWindow}, one bit per number: that
 * is the common case, and costs no probe into the large table. Every other id (a publisher without a window, another
 * stream of it, a number below its window) goes to the {@link DedupeTable}, which remembers ids one by one, for
 * {@code windowMs} or until {@code maxIds} newer ones came. A sequence window remembers its publisher's numbers
 * until {@code windowMs} pass without one, or until {@code maxIds} newer ids came and it slid past them (it hands
 * the table what would slide out sooner). At most {@value #MAX_SEQUENCED} publishers have one, of at most
 * {@link #windowBits} bits (a million for the default 100,000 ids: 192 KiB with its stamps), and most need far less.
 *
 * <p>Why that is exact: a window answers only for numbers at or above its base, and is given a base above every
 * number of its stream the table holds (one walk of the table when the window is made); numbers below the base go to
 * the table. So no id is ever answered by both. A window is made for a publisher after two distinct ids of one
 * stream at most {@value #NEAR} numbers apart, which random ids never are, and at most once per
 * {@value #SCAN_INTERVAL_MS} ms, so that no peer can make the table walks add up. A publisher's window moves to a new
 * stream (the publisher restarted) at most once per {@value #SWITCH_INTERVAL_MS} ms, handing the old stream's recent
 * ids to the table.
 *
 * <p>Runs once per inbound route on a transport thread. Thread safe; one short lock, never held while calling out.
 */
final class DedupeWindow {
    static final int MAX_SEQUENCED = 64;
    static final long NEAR = 1 << 20;
    static final long SCAN_INTERVAL_MS = 100;
    static final long SWITCH_INTERVAL_MS = 10_000;
    private static final long SWEEP_INTERVAL_MS = 1_000;
    /** Numbers a window takes: non-negative and far from overflow, as a counter from 0 is. */
    private static final long SEQUENCE_LIMIT = 1L << 62;

    private final int maxIds;
    private final long windowMs;
    private final int windowBits;
    private final Clock clock;
    private final DedupeTable table; // guarded by this
    private final Map<NodeId, Publisher> publishers = new HashMap<>(); // guarded by this
    private int arrivals; // guarded by this: ids recorded so far, wrapping
    private long nowMs; // guarded by this: the time of the id being recorded, for the ids a window spills meanwhile
    private long nextScanMs = Long.MIN_VALUE; // guarded by this
    private long nextSweepMs = Long.MIN_VALUE; // guarded by this

    /** @param seed keys the table's slot hash; any value works, a random one keeps crafted collisions out */
    DedupeWindow(int maxIds, long windowMs, Clock clock, long seed) {
        this.maxIds = maxIds;
        this.windowMs = windowMs;
        this.windowBits = windowBits(maxIds);
        this.clock = clock;
        this.table = new DedupeTable(maxIds, windowMs, seed);
    }

    /** Records message {@code id} of {@code publisher}; true when it was not in the window (the message is new). */
    boolean firstSeen(NodeId publisher, MessageId id) {
        long now = clock.millis();
        long stream = id.stream();
        long seq = id.sequence();
        boolean sequenced = seq >= 0 && seq < SEQUENCE_LIMIT;
        synchronized (this) {
            arrivals++;
            nowMs = now;
            Publisher known = sequenced ? publisher(publisher, now) : null;
            if (known != null && known.window != null && known.stream == stream && seq >= known.window.base()) {
                if (now - known.lastMs >= windowMs) {
                    known.window.clear();
                }
                known.lastMs = now;
                return known.window.firstSeen(seq, arrivals);
            }
            boolean first = table.firstSeen(publisher, stream, seq, now);
            if (known != null) {
                considerWindow(publisher, known, stream, seq, now);
            }
            return first;
        }
    }

    /**
     * The most numbers a window spans: eight times what a publisher seen number by number needs to keep
     * {@code maxIds} of them after sliding (which drops 64 at a time), for one seen at one number in eight.
     */
    static int windowBits(int maxIds) {
        return Integer.highestOneBit(Math.min(maxIds, 1 << 23) + Long.SIZE - 2) << 4;
    }

    /** Messages remembered now. */
    synchronized int size() {
        long now = clock.millis();
        int size = table.size(now);
        for (Publisher p : publishers.values()) {
            if (p.window != null && now - p.lastMs < windowMs) {
                size += p.window.count();
            }
        }
        return size;
    }

    /** Publishers with a sequence window now. */
    synchronized int sequenced() {
        return (int) publishers.values().stream().filter(p -> p.window != null).count();
    }

    /** What is known of {@code from}, made when there is room; null when there is none. */
    private Publisher publisher(NodeId from, long now) {
        Publisher known = publishers.get(from);
        if (known == null && publishers.size() == MAX_SEQUENCED && now >= nextSweepMs) {
            nextSweepMs = now + SWEEP_INTERVAL_MS;
            // Without a window a publisher holds nothing; with one idle for windowMs it holds only forgotten ids.
            publishers.values().removeIf(p -> p.window == null || now - p.lastMs >= windowMs);
        }
        if (known == null && publishers.size() < MAX_SEQUENCED) {
            known = new Publisher();
            known.lastMs = now;
            publishers.put(from, known);
        }
        return known;
    }

    /**
     * After an id went to the table: give its stream a window when it comes in sequence, unless it has one already
     * (the id was below its base).
     */
    private void considerWindow(NodeId from, Publisher p, long stream, long seq, long now) {
        boolean inSequence = p.lastStream == stream && seq != p.lastSeq && Math.abs(seq - p.lastSeq) <= NEAR;
        p.lastStream = stream;
        p.lastSeq = seq;
        if (!inSequence || now < nextScanMs
                || (p.window != null && (p.stream == stream || now - p.switchedMs < SWITCH_INTERVAL_MS))) {
            return;
        }
        nextScanMs = now + SCAN_INTERVAL_MS;
        if (p.window != null) {
            p.window.spillAll(arrivals); // the old stream's recent ids stay remembered, one by one
        }
        long base = (table.highestSequence(from, stream) + Long.SIZE) & -Long.SIZE;
        p.window = new SequenceWindow(base, windowBits, maxIds,
                spilled -> table.firstSeen(from, stream, spilled, nowMs));
        p.stream = stream;
        p.switchedMs = now;
        p.lastMs = now;
    }

    /** One publisher: its sequence window, if it has one, and the last id of it the table took. */
    private static final class Publisher {
        SequenceWindow window;
        long stream;
        long lastMs;
        long switchedMs;
        long lastStream;
        long lastSeq = -NEAR - 1; // no number is near it
    }
}
