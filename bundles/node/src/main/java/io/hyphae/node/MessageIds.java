package io.hyphae.node;

import io.hyphae.api.MessageId;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * The message ids of one node: 8 random bytes drawn once when the node is made, then an 8-byte counter, big endian.
 * Unique within the node by construction and across nodes as two random 64-bit prefixes are, which is what
 * de-duplication needs; receivers key their window by publisher as well, so ids need not be unpredictable. A
 * {@code SecureRandom} per message cost more than the rest of {@code publish} on the publisher's thread (#6).
 * Thread safe and lock free.
 */
final class MessageIds {
    private final long prefix;
    private final AtomicLong counter = new AtomicLong();

    /** @param random draws the prefix (a {@code SecureRandom} in production, seeded in simulations) */
    MessageIds(RandomGenerator random) {
        this.prefix = random.nextLong();
    }

    MessageId next() {
        long n = counter.getAndIncrement();
        byte[] bytes = new byte[MessageId.BYTES];
        for (int i = 0; i < Long.BYTES; i++) {
            bytes[i] = (byte) (prefix >>> (56 - 8 * i));
            bytes[Long.BYTES + i] = (byte) (n >>> (56 - 8 * i));
        }
        return MessageId.of(bytes);
    }
}
