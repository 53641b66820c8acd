package io.hyphae.api;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The id of one published message: 16 bytes, printed as 32 hex digits. Immutable. Unique per publisher, which is
 * what receivers de-duplicate by (publisher, id) need: a node draws an 8-byte {@link #stream} at random once and
 * numbers its messages in it ({@link #ofSequence}), so ids are not secrets and need not be unpredictable.
 * {@link #random} makes a fully random one.
 *
 * <p>The sequence number is stored through a bijective mix rather than as it is: {@link #hashCode} hashes the bytes
 * with {@code Arrays.hashCode}, under which a plain counter in the last bytes collides ten times over, and every
 * hash table keyed by message id would degrade into long probe chains. Since the mix is a bijection, every id, made
 * by {@link #ofSequence} or not, has one stream and one sequence number, and two ids are equal exactly when both are.
 */
public final class MessageId {
    /** Length of an id in bytes. */
    public static final int BYTES = 16;
    private static final HexFormat HEX = HexFormat.of();
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

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

    /** Message number {@code sequence} of {@code stream}: the stream's 8 bytes, then the mixed sequence number. */
    public static MessageId ofSequence(long stream, long sequence) {
        byte[] bytes = new byte[BYTES];
        LONGS.set(bytes, 0, stream);
        LONGS.set(bytes, Long.BYTES, mix(sequence));
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

    /** The first 8 bytes, big endian: the stream the publisher numbers its ids in. */
    public long stream() {
        return (long) LONGS.get(bytes, 0);
    }

    /** The number of this id in its {@link #stream}: what {@link #ofSequence} was given for it. */
    public long sequence() {
        return unmix((long) LONGS.get(bytes, Long.BYTES));
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

    /** SplitMix64's finalizer: xor-shifts and odd multipliers, each invertible, so distinct inputs stay distinct. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The inverse of {@link #mix}: each step undone in reverse order, multiplying by the inverses mod 2^64. */
    private static long unmix(long z) {
        z = z ^ (z >>> 31) ^ (z >>> 62);
        z *= 0x319642B2D24D8EC3L;
        z = z ^ (z >>> 27) ^ (z >>> 54);
        z *= 0x96DE1B173F119089L;
        return z ^ (z >>> 30) ^ (z >>> 60);
    }
}
