package io.hyphae.api;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The id of one published message: 16 bytes, printed as 32 hex digits. Immutable. Unique per publisher, which is
 * what receivers de-duplicate by (publisher, id) need: a node draws 8 random bytes once and counts in the other 8,
 * so ids are not secrets and need not be unpredictable. {@link #random} makes a fully random one.
 */
public final class MessageId {
    /** Length of an id in bytes. */
    public static final int BYTES = 16;
    private static final HexFormat HEX = HexFormat.of();

    private final byte[] bytes;
    private final int hash;

    private MessageId(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    /** A fresh id from {@code random} (a {@link SecureRandom} in production, a seeded generator in simulations). */
    public static MessageId random(RandomGenerator random) {
        byte[] bytes = new byte[BYTES];
        for (int i = 0; i < BYTES; i += 8) {
            long bits = random.nextLong();
            for (int j = 0; j < 8; j++) {
                bytes[i + j] = (byte) (bits >>> (8 * j));
            }
        }
        return new MessageId(bytes);
    }

    /**
     * @throws IllegalArgumentException when {@code bytes} is not {@value #BYTES} long
     */
    public static MessageId of(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length != BYTES) {
            throw new IllegalArgumentException("message id must be " + BYTES + " bytes, was " + bytes.length);
        }
        return new MessageId(bytes.clone());
    }

    public byte[] toBytes() {
        return bytes.clone();
    }

    public String toHex() {
        return HEX.formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MessageId other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return toHex();
    }
}
