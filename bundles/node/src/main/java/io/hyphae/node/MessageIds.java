package io.hyphae.node;

import io.hyphae.api.MessageId;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * The message ids of one node: 8 random bytes drawn once when the node is made, then a counter through a bijective
 * mix, 8 bytes, big endian. Unique within the node by construction (the mix is a permutation of 64-bit values) and
 * across nodes as two random 64-bit prefixes are, which is what de-duplication needs; receivers key their window by
 * publisher as well, so ids need not be unpredictable. A {@code SecureRandom} per message cost more than the rest of
 * {@code publish} on the publisher's thread (#6).
 *
 * <p>Why the mix: {@code MessageId.hashCode} is {@code Arrays.hashCode} of the bytes, under which a plain counter in
 * the last bytes collides ten times over ({@code 31 * b14 + b15} repeats), and every hash table keyed by message id
 * (de-duplication, pending acknowledgements) degrades into long probe chains. Thread safe and lock free.
 */
final class MessageIds {
    private final long prefix;
    private final AtomicLong counter = new AtomicLong();

    /** @param random draws the prefix (a {@code SecureRandom} in production, seeded in simulations) */
    MessageIds(RandomGenerator random) {
        this.prefix = random.nextLong();
    }

    MessageId next() {
        long n = mix(counter.getAndIncrement());
        byte[] bytes = new byte[MessageId.BYTES];
        for (int i = 0; i < Long.BYTES; i++) {
            bytes[i] = (byte) (prefix >>> (56 - 8 * i));
            bytes[Long.BYTES + i] = (byte) (n >>> (56 - 8 * i));
        }
        return MessageId.of(bytes);
    }

    /** SplitMix64's finalizer: xor-shifts and odd multipliers, each invertible, so distinct inputs stay distinct. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
