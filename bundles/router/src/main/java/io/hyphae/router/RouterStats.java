package io.hyphae.router;

import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;

/** Counters of one router, named {@code router.<event>}; {@link #snapshot} is what {@code hyphae:stats} prints. */
public final class RouterStats {
    /** The module name of these counters, the prefix of each counter name. */
    public static final String MODULE = "router";

    /** Messages handed to {@code route}, once per subscriber. */
    final LongAdder routed = new LongAdder();
    /** Frames sent (first tries, retries and fallbacks). */
    final LongAdder sent = new LongAdder();
    /** QoS 0 messages handed to the network, once per subscriber. */
    final LongAdder delivered = new LongAdder();
    /** QoS 1 acknowledgements taken (first one per message and subscriber). */
    final LongAdder acked = new LongAdder();
    final LongAdder qos1Retries = new LongAdder();
    /** QoS 1 messages whose deadline passed without an acknowledgement, once per subscriber. */
    final LongAdder qos1Expired = new LongAdder();
    /** Sends moved to the next endpoint or transport after one failed. */
    final LongAdder fallbacks = new LongAdder();
    /** QoS 0 frames sent over the next endpoint too because the first one's connection was still being made. */
    final LongAdder raced = new LongAdder();
    /** Deliveries retried at once because their transport left. */
    final LongAdder transportLost = new LongAdder();
    final LongAdder unreachable = new LongAdder();
    /** QoS 1 routes a peer answered with an error instead of an acknowledgement. */
    final LongAdder refused = new LongAdder();
    /** QoS 1 routes a peer answered UNAVAILABLE (no sink yet, closing): sent again on the retry timer. */
    final LongAdder busy = new LongAdder();
    /** Questions to discovery about a subscriber whose every known endpoint failed. */
    final LongAdder rediscoveries = new LongAdder();
    /** Deliveries that went on over the new endpoints discovery named for their subscriber. */
    final LongAdder moved = new LongAdder();
    /** Routes refused because a peer's outbound queue was full. */
    final LongAdder backpressure = new LongAdder();
    /** Inbound routes accepted and handed to the sinks. */
    final LongAdder received = new LongAdder();
    final LongAdder duplicates = new LongAdder();
    final LongAdder badFrames = new LongAdder();
    /** Inbound routes dropped unacknowledged because no sink was registered (the sender retries QoS 1). */
    final LongAdder noSink = new LongAdder();
    final LongAdder sinkErrors = new LongAdder();
    /** Acknowledgements that arrived for nothing in flight (late, or after the deadline). */
    final LongAdder staleAcks = new LongAdder();
    /** Acknowledgements of one-way routes that could not be sent back to the sender. */
    final LongAdder acksUnsent = new LongAdder();
    final LongAdder withdrawals = new LongAdder();

    /** Every counter by name, sorted by name. */
    public SortedMap<String, Long> snapshot() {
        SortedMap<String, Long> out = new TreeMap<>();
        out.put("router.routed", routed.sum());
        out.put("router.sent", sent.sum());
        out.put("router.delivered", delivered.sum());
        out.put("router.acked", acked.sum());
        out.put("router.qos1.retries", qos1Retries.sum());
        out.put("router.qos1.expired", qos1Expired.sum());
        out.put("router.fallbacks", fallbacks.sum());
        out.put("router.raced", raced.sum());
        out.put("router.transport.lost", transportLost.sum());
        out.put("router.unreachable", unreachable.sum());
        out.put("router.refused", refused.sum());
        out.put("router.busy", busy.sum());
        out.put("router.rediscoveries", rediscoveries.sum());
        out.put("router.moved", moved.sum());
        out.put("router.backpressure", backpressure.sum());
        out.put("router.received", received.sum());
        out.put("router.duplicates", duplicates.sum());
        out.put("router.bad.frames", badFrames.sum());
        out.put("router.no.sink", noSink.sum());
        out.put("router.sink.errors", sinkErrors.sum());
        out.put("router.stale.acks", staleAcks.sum());
        out.put("router.acks.unsent", acksUnsent.sum());
        out.put("router.withdrawals", withdrawals.sum());
        return out;
    }

    /** One counter by its name; 0 for an unknown name. */
    public long get(String name) {
        return snapshot().getOrDefault(name, 0L);
    }

    @Override
    public String toString() {
        return snapshot().toString();
    }
}
