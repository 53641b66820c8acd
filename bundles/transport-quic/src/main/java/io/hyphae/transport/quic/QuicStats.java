package io.hyphae.transport.quic;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Counters of one QUIC transport, named {@code transport-quic.<event>} in {@link #snapshot()}. Thread safe. */
public final class QuicStats {
    final LongAdder connectionsDialled = new LongAdder();
    final LongAdder connectionsAccepted = new LongAdder();
    final LongAdder connectionsRefused = new LongAdder();
    final LongAdder connectionsClosed = new LongAdder();
    final LongAdder framesSent = new LongAdder();
    final LongAdder framesReceived = new LongAdder();
    final LongAdder badFrames = new LongAdder();
    final LongAdder sendsRefusedBySize = new LongAdder();
    final LongAdder sendsRefusedQueueFull = new LongAdder();
    final LongAdder requestsTimedOut = new LongAdder();
    final LongAdder strayResponses = new LongAdder();
    final LongAdder unsupported = new LongAdder();
    final LongAdder handlerFailures = new LongAdder();
    final LongAdder keepAlivesSent = new LongAdder();
    /** Datagrams too short for the connection id their header announces; the server codec drops them. */
    final LongAdder malformedDatagrams = new LongAdder();

    /** Every counter by name, in a stable order. */
    public Map<String, Long> snapshot() {
        Map<String, Long> all = new LinkedHashMap<>();
        all.put("transport-quic.connections.dialled", connectionsDialled.sum());
        all.put("transport-quic.connections.accepted", connectionsAccepted.sum());
        all.put("transport-quic.connections.refused", connectionsRefused.sum());
        all.put("transport-quic.connections.closed", connectionsClosed.sum());
        all.put("transport-quic.frames.sent", framesSent.sum());
        all.put("transport-quic.frames.received", framesReceived.sum());
        all.put("transport-quic.frames.bad", badFrames.sum());
        all.put("transport-quic.sends.refused.size", sendsRefusedBySize.sum());
        all.put("transport-quic.sends.refused.queue-full", sendsRefusedQueueFull.sum());
        all.put("transport-quic.requests.timed-out", requestsTimedOut.sum());
        all.put("transport-quic.responses.stray", strayResponses.sum());
        all.put("transport-quic.frames.unsupported", unsupported.sum());
        all.put("transport-quic.handler.failures", handlerFailures.sum());
        all.put("transport-quic.keep-alives.sent", keepAlivesSent.sum());
        all.put("transport-quic.datagrams.malformed", malformedDatagrams.sum());
        return all;
    }

    /** Bad frames seen so far. */
    public long badFrames() {
        return badFrames.sum();
    }

    /** Sends refused because the connection's send queue was full. */
    public long sendsRefusedQueueFull() {
        return sendsRefusedQueueFull.sum();
    }

    @Override
    public String toString() {
        return snapshot().toString();
    }
}
