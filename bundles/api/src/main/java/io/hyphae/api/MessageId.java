package io.hyphae.api;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The id of one published message: 16 bytes, printed as 32 hex digits. Immutable. Unique per publisher, which is
 * what receivers de-duplicate by (publisher, id) need: a node draws an 8-byte {@link #stream} at random once and
 * numbers its messages in it ({@link #ofSequence}), so ids are not secrets and need not be unpredictable.
 * {@link #random} makes a fully random one.
 *
 * <p>Held as its two 8-byte halves, not as an array: an id is made, hashed and compared for every message on both
 * sides, and codecs read and write it in place ({@link #of(byte[], int)}, {@link #writeTo}) without a copy (#6).
 * The sequence number is stored through a bijective mix rather than as it is, so that the low half, which
 * {@link #hashCode} draws on, is spread even for a plain counter. Since the mix is a bijection, every id, made by
 * {@link #ofSequence} or not, has one stream and one sequence number, and two ids are equal exactly when both are.
 */
public final class MessageId {
    /** Length of an id in bytes. */
    public static final int BYTES = 16;
    private static final HexFormat HEX = HexFormat.of();
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final long high; // bytes 0..7, big endian
    private final long low; // bytes 8..15

    private MessageId(long high, long low) {
        this.high = high;
        this.low = low;
    }

    /** A fresh id from {@code random} (a {@link SecureRandom} in production, a seeded generator in simulations). */
    public static MessageId random(RandomGenerator random) {
        // each draw's low byte first, as the byte-array form of this class laid them out
        return new MessageId(Long.reverseBytes(random.nextLong()), Long.reverseBytes(random.nextLong()));
    }

    /** Message number {@code sequence} of {@code stream}: the stream's 8 bytes, then the mixed sequence number. */
    public static MessageId ofSequence(long stream, long sequence) {
        return new MessageId(stream, mix(sequence));
    }

    /**
     * @throws IllegalArgumentException when {@code bytes} is not {@value #BYTES} long
     */
    public static MessageId of(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length != BYTES) {
            throw new IllegalArgumentException("message id must be " + BYTES + " bytes, was " + bytes.length);
        }
        return of(bytes, 0);
    }

    /**
     * The id in {@code bytes[offset .. offset + 16)}, read in place (a decoder's buffer).
     *
     * @throws IndexOutOfBoundsException when fewer than {@value #BYTES} bytes follow {@code offset}
     */
    public static MessageId of(byte[] bytes, int offset) {
        Objects.checkFromIndexSize(offset, BYTES, bytes.length);
        return new MessageId((long) LONGS.get(bytes, offset), (long) LONGS.get(bytes, offset + Long.BYTES));
    }

    /** The first 8 bytes, big endian: the stream the publisher numbers its ids in. */
    public long stream() {
        return high;
    }

    /** The number of this id in its {@link #stream}: what {@link #ofSequence} was given for it. */
    public long sequence() {
        return unmix(low);
    }

    public byte[] toBytes() {
        byte[] bytes = new byte[BYTES];
        writeTo(bytes, 0);
        return bytes;
    }

    /**
     * Writes the 16 bytes into {@code destination} at {@code offset} (an encoder's buffer), as {@link #toBytes}
     * gives them.
     *
     * @throws IndexOutOfBoundsException when fewer than {@value #BYTES} bytes follow {@code offset}
     */
    public void writeTo(byte[] destination, int offset) {
        Objects.checkFromIndexSize(offset, BYTES, destination.length);
        LONGS.set(destination, offset, high);
        LONGS.set(destination, offset + Long.BYTES, low);
    }

    public String toHex() {
        return HEX.toHexDigits(high) + HEX.toHexDigits(low);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MessageId other && high == other.high && low == other.low;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(low * 31 + high);
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
