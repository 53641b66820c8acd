package io.hyphae.node;

import io.hyphae.api.MessageId;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * The message ids of one node: a stream drawn at random once when the node is made, numbered from 0
 * ({@link MessageId#ofSequence}). Unique within the node by construction and across nodes as two random 64-bit
 * streams are, which is what de-duplication needs; receivers key their window by publisher as well, so ids need not
 * be unpredictable. A {@code SecureRandom} per message cost more than the rest of {@code publish} on the publisher's
 * thread (#6), and numbered ids let a receiver remember a publisher's recent ids as a bitmap. Thread safe and lock
 * free.
 */
final class MessageIds {
    private final long stream;
    private final AtomicLong counter = new AtomicLong();

    /** @param random draws the stream (a {@code SecureRandom} in production, seeded in simulations) */
    MessageIds(RandomGenerator random) {
        this.stream = random.nextLong();
    }

    MessageId next() {
        return MessageId.ofSequence(stream, counter.getAndIncrement());
    }
}
