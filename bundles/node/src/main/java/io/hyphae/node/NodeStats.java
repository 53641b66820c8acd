package io.hyphae.node;

import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;

/** Counters of one node, named {@code node.<event>}; {@link #snapshot} is what {@code hyphae:stats} prints. */
public final class NodeStats {
    /** The module name of these counters, the prefix of each counter name. */
    public static final String MODULE = "node";

    final LongAdder published = new LongAdder();
    /** Messages handed to local handlers (published here or received), once per handler. */
    final LongAdder handed = new LongAdder();
    /** Messages that came from other nodes. */
    final LongAdder received = new LongAdder();
    final LongAdder handlerErrors = new LongAdder();
    /** Messages dropped because the handler queue was full. */
    final LongAdder handlerRejected = new LongAdder();
    /** Publishes whose discovery gave up (query timeout); their receipt says 0 subscribers. */
    final LongAdder discoveryDropped = new LongAdder();
    /** Subscribers the router could not reach, reported to discovery. */
    final LongAdder evicted = new LongAdder();
    final LongAdder publishFailed = new LongAdder();
    final LongAdder advertiserErrors = new LongAdder();

    /** Every counter by name, sorted by name. */
    public SortedMap<String, Long> snapshot() {
        SortedMap<String, Long> out = new TreeMap<>();
        out.put("node.published", published.sum());
        out.put("node.handed", handed.sum());
        out.put("node.received", received.sum());
        out.put("node.handler.errors", handlerErrors.sum());
        out.put("node.handler.rejected", handlerRejected.sum());
        out.put("node.discovery.dropped", discoveryDropped.sum());
        out.put("node.evicted", evicted.sum());
        out.put("node.publish.failed", publishFailed.sum());
        out.put("node.advertiser.errors", advertiserErrors.sum());
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
