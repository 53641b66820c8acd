package io.hyphae.transport.tcp;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Counters of one TCP transport, named {@code transport-tcp.<event>} in {@link #snapshot()}. Thread safe. */
public final class TcpStats {
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

    /** Every counter by name, in a stable order. */
    public Map<String, Long> snapshot() {
        Map<String, Long> all = new LinkedHashMap<>();
        all.put("transport-tcp.connections.dialled", connectionsDialled.sum());
        all.put("transport-tcp.connections.accepted", connectionsAccepted.sum());
        all.put("transport-tcp.connections.refused", connectionsRefused.sum());
        all.put("transport-tcp.connections.closed", connectionsClosed.sum());
        all.put("transport-tcp.frames.sent", framesSent.sum());
        all.put("transport-tcp.frames.received", framesReceived.sum());
        all.put("transport-tcp.frames.bad", badFrames.sum());
        all.put("transport-tcp.sends.refused.size", sendsRefusedBySize.sum());
        all.put("transport-tcp.sends.refused.queue-full", sendsRefusedQueueFull.sum());
        all.put("transport-tcp.requests.timed-out", requestsTimedOut.sum());
        all.put("transport-tcp.responses.stray", strayResponses.sum());
        all.put("transport-tcp.frames.unsupported", unsupported.sum());
        all.put("transport-tcp.handler.failures", handlerFailures.sum());
        all.put("transport-tcp.keep-alives.sent", keepAlivesSent.sum());
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
