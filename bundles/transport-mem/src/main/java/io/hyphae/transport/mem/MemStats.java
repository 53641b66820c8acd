package io.hyphae.transport.mem;

import java.util.concurrent.atomic.LongAdder;

/** Counters of one {@link MemTransport}, under the names {@code transport.mem.<counter>}. Thread safe. */
public final class MemStats {
    final LongAdder requestsSent = new LongAdder();
    final LongAdder messagesSent = new LongAdder();
    final LongAdder responsesMatched = new LongAdder();
    final LongAdder timeouts = new LongAdder();
    final LongAdder unreachable = new LongAdder();
    final LongAdder refusedBySize = new LongAdder();
    final LongAdder badFrames = new LongAdder();
    final LongAdder unsupported = new LongAdder();
    final LongAdder handlerFailures = new LongAdder();
    final LongAdder strayResponses = new LongAdder();

    /** Requests handed to the network. */
    public long requestsSent() {
        return requestsSent.sum();
    }

    /** One-way frames handed to the network. */
    public long messagesSent() {
        return messagesSent.sum();
    }

    /** Responses that completed their request. */
    public long responsesMatched() {
        return responsesMatched.sum();
    }

    /** Requests that failed at their deadline. */
    public long timeouts() {
        return timeouts.sum();
    }

    /** Requests and sends refused because nobody, or another node, holds the endpoint. */
    public long unreachable() {
        return unreachable.sum();
    }

    /** Frames refused at send because the codec refused them (limits). */
    public long refusedBySize() {
        return refusedBySize.sum();
    }

    /** Received frames that could not be decoded; dropped. */
    public long badFrames() {
        return badFrames.sum();
    }

    /** Received frames no handler accepted. */
    public long unsupported() {
        return unsupported.sum();
    }

    /** Handlers that threw, or whose answer failed. */
    public long handlerFailures() {
        return handlerFailures.sum();
    }

    /** Responses to no pending request (late, after their deadline) or from another node than asked; dropped. */
    public long strayResponses() {
        return strayResponses.sum();
    }

    @Override
    public String toString() {
        return "transport.mem.requestsSent=" + requestsSent() + " messagesSent=" + messagesSent()
                + " responsesMatched=" + responsesMatched() + " timeouts=" + timeouts() + " unreachable="
                + unreachable() + " refusedBySize=" + refusedBySize() + " badFrames=" + badFrames()
                + " unsupported=" + unsupported() + " handlerFailures=" + handlerFailures() + " strayResponses="
                + strayResponses();
    }
}
