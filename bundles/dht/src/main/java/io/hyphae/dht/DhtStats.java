package io.hyphae.dht;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Counters of one DHT node, named {@code dht.<event>}. Thread safe; counting never blocks. */
public final class DhtStats {
    final LongAdder rpcSent = new LongAdder();
    final LongAdder rpcTimeouts = new LongAdder();
    final LongAdder rpcFailures = new LongAdder();
    /** Requests also sent to a contact's next endpoint because the first one's connection was still being made. */
    final LongAdder rpcRaced = new LongAdder();
    final LongAdder rpcReceived = new LongAdder();
    final LongAdder badAnswers = new LongAdder();
    final LongAdder badRequests = new LongAdder();
    final LongAdder contactsRejected = new LongAdder();
    final LongAdder recordsStored = new LongAdder();
    final LongAdder recordsRejected = new LongAdder();
    final LongAdder recordsExpired = new LongAdder();
    final LongAdder lookups = new LongAdder();
    final LongAdder lookupRetries = new LongAdder();
    final LongAdder evictions = new LongAdder();
    final LongAdder joinAttempts = new LongAdder();
    final LongAdder republished = new LongAdder();

    /** Every counter by name ({@code dht.rpc.sent}, {@code dht.bad.answers}, ...), in a stable order. */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("dht.rpc.sent", rpcSent.sum());
        m.put("dht.rpc.timeouts", rpcTimeouts.sum());
        m.put("dht.rpc.failures", rpcFailures.sum());
        m.put("dht.rpc.raced", rpcRaced.sum());
        m.put("dht.rpc.received", rpcReceived.sum());
        m.put("dht.bad.answers", badAnswers.sum());
        m.put("dht.bad.requests", badRequests.sum());
        m.put("dht.contacts.rejected", contactsRejected.sum());
        m.put("dht.records.stored", recordsStored.sum());
        m.put("dht.records.rejected", recordsRejected.sum());
        m.put("dht.records.expired", recordsExpired.sum());
        m.put("dht.lookups", lookups.sum());
        m.put("dht.lookup.retries", lookupRetries.sum());
        m.put("dht.evictions", evictions.sum());
        m.put("dht.join.attempts", joinAttempts.sum());
        m.put("dht.records.republished", republished.sum());
        return m;
    }

    public long get(String name) {
        Long v = snapshot().get(name);
        if (v == null) {
            throw new IllegalArgumentException("no DHT counter named \"" + name + "\"");
        }
        return v;
    }

    @Override
    public String toString() {
        return snapshot().toString();
    }
}
