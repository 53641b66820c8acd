package io.hyphae.wire;

import io.hyphae.api.MessageId;

import java.nio.charset.StandardCharsets;

/**
 * Reads the CBOR items the hand-written decoders ({@link RouteCodec}, {@link DhtCodec}) take: shortest-form heads,
 * definite lengths, ASCII text. Any surprise sets {@link #failed} and later reads answer harmless values, so that a
 * decoder checks once at the end and leaves the input to the general decoder, which words the refusal. Confined to
 * one thread; one instance per packet.
 */
final class CborStrictReader {
    private static final int MAJOR_UNSIGNED = CborSizedWriter.MAJOR_UNSIGNED;
    private static final int MAJOR_NEGATIVE = CborSizedWriter.MAJOR_NEGATIVE;
    private static final int MAJOR_BYTES = CborSizedWriter.MAJOR_BYTES;
    private static final int MAJOR_TEXT = CborSizedWriter.MAJOR_TEXT;
    private static final int FALSE = 0xF4;
    private static final int TRUE = 0xF5;

    final byte[] in;
    final int end;
    int at;
    boolean failed;

    CborStrictReader(byte[] in, int offset, int end) {
        this.in = in;
        this.at = offset;
        this.end = end;
    }

    /** The argument of a head of {@code major} type in shortest form, unsigned and below 2^63; else -1. */
    long head(int major) {
        if (failed || at >= end || (in[at] & 0xFF) >>> 5 != major) {
            return fail();
        }
        int info = in[at++] & 0x1F;
        if (info < 24) {
            return info;
        }
        int width = info == 24 ? 1 : info == 25 ? 2 : info == 26 ? 4 : info == 27 ? 8 : 0;
        if (width == 0 || end - at < width) {
            return fail();
        }
        long value = 0;
        for (int i = 0; i < width; i++) {
            value = value << 8 | (in[at++] & 0xFF);
        }
        long shortest = width == 1 ? 24 : width == 2 ? 0x100 : width == 4 ? 0x10000 : 0x1_0000_0000L;
        if (value < shortest) { // not the shortest form, or (8 bytes) beyond the signed 64-bit range
            return fail();
        }
        return value;
    }

    /** A head of {@code major} type whose argument is in {@code min..max}; else -1 (and failed). */
    int head(int major, int min, int max) {
        long value = head(major);
        if (failed || value < min || value > max) {
            fail();
            return -1;
        }
        return (int) value;
    }

    long integer() {
        if (failed || at >= end) {
            return fail();
        }
        if ((in[at] & 0xFF) >>> 5 == MAJOR_NEGATIVE) {
            long n = head(MAJOR_NEGATIVE);
            return failed ? 0 : -1 - n;
        }
        long n = head(MAJOR_UNSIGNED);
        return failed ? 0 : n;
    }

    boolean bool() {
        if (failed || at >= end) {
            fail();
            return false;
        }
        int b = in[at++] & 0xFF;
        if (b != TRUE && b != FALSE) {
            fail();
        }
        return b == TRUE;
    }

    byte[] bytes(int min, int max) {
        long length = head(MAJOR_BYTES);
        if (failed || length < min || length > max || length > end - at) {
            fail();
            return null;
        }
        byte[] value = new byte[(int) length];
        System.arraycopy(in, at, value, 0, value.length);
        at += value.length;
        return value;
    }

    /** A 16-byte string read as a message id in place; null (and failed) when the item is no such string. */
    MessageId messageId() {
        long length = head(MAJOR_BYTES);
        if (failed || length != MessageId.BYTES || end - at < MessageId.BYTES) {
            fail();
            return null;
        }
        MessageId id = MessageId.of(in, at);
        at += MessageId.BYTES;
        return id;
    }

    /** The length of a text item of at most {@code maxBytes} ASCII bytes, leaving {@link #at} on its first byte. */
    int asciiHead(int maxBytes) {
        long length = head(MAJOR_TEXT);
        if (failed || length > maxBytes || length > end - at) {
            fail();
            return -1;
        }
        for (int i = at; i < at + length; i++) {
            if (in[i] < 0) { // not ASCII: the general decoder checks the UTF-8
                fail();
                return -1;
            }
        }
        return (int) length;
    }

    /** Skips an ASCII text item of at most {@code maxBytes} bytes. */
    void skipAscii(int maxBytes) {
        int length = asciiHead(maxBytes);
        if (!failed) {
            at += length;
        }
    }

    /** Skips an item of {@code major} type that has a length (a byte or text string), whatever its content. */
    void skip(int major) {
        long length = head(major);
        if (failed || length > end - at) {
            fail();
            return;
        }
        at += (int) length;
    }

    String ascii(int maxBytes) {
        int length = asciiHead(maxBytes);
        if (failed) {
            return null;
        }
        String text = new String(in, at, length, StandardCharsets.ISO_8859_1);
        at += length;
        return text;
    }

    long fail() {
        failed = true;
        return -1;
    }
}
