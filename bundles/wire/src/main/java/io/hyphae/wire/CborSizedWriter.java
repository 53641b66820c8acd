package io.hyphae.wire;

import io.hyphae.api.MessageId;
import io.hyphae.api.NodeId;

/**
 * Writes CBOR items into an array of the exact size the caller computed: definite lengths and shortest-form heads,
 * as the general writer writes them. Used by the hand-written encoders ({@link RouteCodec}, {@link DhtCodec}).
 * Confined to one thread; one instance per packet.
 */
final class CborSizedWriter {
    static final int MAJOR_UNSIGNED = 0;
    static final int MAJOR_NEGATIVE = 1;
    static final int MAJOR_BYTES = 2;
    static final int MAJOR_TEXT = 3;
    static final int MAJOR_ARRAY = 4;
    private static final int FALSE = 0xF4;
    private static final int TRUE = 0xF5;
    private static final byte[] HEX_DIGITS = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd',
        'e', 'f'};

    private final byte[] out;
    private int at;

    CborSizedWriter(int size) {
        this.out = new byte[size];
    }

    /** A writer into the start of {@code out}, which the caller reuses; {@link #written()} says how far it got. */
    CborSizedWriter(byte[] out) {
        this.out = out;
    }

    int written() {
        return at;
    }

    /** The array written into. */
    byte[] array() {
        return out;
    }

    /** This writer, at the start of its array again: for a writer that lays out one packet after another. */
    CborSizedWriter rewind() {
        at = 0;
        return this;
    }

    /** Bytes of the shortest head whose argument is {@code value} (unsigned). */
    static int headSize(long value) {
        if (value < 24) {
            return 1;
        } else if (value < 0x100) {
            return 2;
        } else if (value < 0x10000) {
            return 3;
        } else if (value < 0x1_0000_0000L) {
            return 5;
        }
        return 9;
    }

    /** Bytes of {@code value} as a CBOR integer (major type 0 or 1). */
    static int intSize(long value) {
        return headSize(value < 0 ? -1 - value : value);
    }

    void head(int major, long value) {
        int type = major << 5;
        if (value < 24) {
            out[at++] = (byte) (type | (int) value);
        } else if (value < 0x100) {
            out[at++] = (byte) (type | 24);
            out[at++] = (byte) value;
        } else if (value < 0x10000) {
            out[at++] = (byte) (type | 25);
            bigEndian(value, 2);
        } else if (value < 0x1_0000_0000L) {
            out[at++] = (byte) (type | 26);
            bigEndian(value, 4);
        } else {
            out[at++] = (byte) (type | 27);
            bigEndian(value, 8);
        }
    }

    void integer(long value) {
        if (value < 0) {
            head(MAJOR_NEGATIVE, -1 - value);
        } else {
            head(MAJOR_UNSIGNED, value);
        }
    }

    void bool(boolean value) {
        out[at++] = (byte) (value ? TRUE : FALSE);
    }

    void bytes(byte[] bytes) {
        head(MAJOR_BYTES, bytes.length);
        System.arraycopy(bytes, 0, out, at, bytes.length);
        at += bytes.length;
    }

    /** A route's payload as a byte string, read from its array or through its message's view. */
    void payload(Frames.Route route) {
        int length = route.payloadSize();
        head(MAJOR_BYTES, length);
        byte[] array = route.payloadArray();
        if (array != null) {
            System.arraycopy(array, 0, out, at, length);
        } else {
            route.payloadBuffer().get(out, at, length);
        }
        at += length;
    }

    /** A message id as a 16-byte string, written in place. */
    void bytes(MessageId id) {
        head(MAJOR_BYTES, MessageId.BYTES);
        id.writeTo(out, at);
        at += MessageId.BYTES;
    }

    /** A node id as a 32-byte string, written in place. */
    void bytes(NodeId id) {
        head(MAJOR_BYTES, NodeId.BYTES);
        id.writeTo(out, at);
        at += NodeId.BYTES;
    }

    /** Copies {@code from[start .. end)} as they are: items another writer encoded. */
    void copy(byte[] from, int start, int end) {
        System.arraycopy(from, start, out, at, end - start);
        at += end - start;
    }

    /** A byte string of {@code length} bytes whose head was written; the caller writes them with {@link #raw}. */
    void raw(int b) {
        out[at++] = (byte) b;
    }

    /** Text known to be ASCII (the caller checked), without its head. */
    void asciiBody(String text) {
        for (int i = 0; i < text.length(); i++) {
            out[at++] = (byte) text.charAt(i);
        }
    }

    void ascii(String text) {
        head(MAJOR_TEXT, text.length());
        asciiBody(text);
    }

    /** The two lower-case hex digits of {@code b}, without a head. */
    void hexBody(int b) {
        out[at++] = HEX_DIGITS[(b >> 4) & 0xF];
        out[at++] = HEX_DIGITS[b & 0xF];
    }

    /** Decimal digits of a non-negative {@code value} of {@code digits} digits, without a head. */
    void decimalBody(int value, int digits) {
        for (int i = digits - 1; i >= 0; i--) {
            out[at + i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        at += digits;
    }

    byte[] done() {
        if (at != out.length) {
            throw new IllegalStateException("hand-written encoding size: wrote " + at + " of " + out.length);
        }
        return out;
    }

    private void bigEndian(long value, int widthBytes) {
        for (int shift = 8 * (widthBytes - 1); shift >= 0; shift -= 8) {
            out[at++] = (byte) (value >>> shift);
        }
    }
}
