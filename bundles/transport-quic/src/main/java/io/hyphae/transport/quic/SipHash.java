package io.hyphae.transport.quic;

import io.netty.buffer.ByteBuf;

/**
 * SipHash-2-4 (Aumasson and Bernstein), the 64-bit keyed hash, over a {@link ByteBuf} region without copying: a
 * keyed tag that a remote party cannot forge without the key, cheap enough for every datagram. Stateless.
 */
final class SipHash {
    private SipHash() {
    }

    /** The hash of {@code length} bytes of {@code in} at absolute index {@code offset}; indexes are untouched. */
    static long hash24(long k0, long k1, ByteBuf in, int offset, int length) {
        long v0 = 0x736f6d6570736575L ^ k0;
        long v1 = 0x646f72616e646f6dL ^ k1;
        long v2 = 0x6c7967656e657261L ^ k0;
        long v3 = 0x7465646279746573L ^ k1;
        int blocks = length & ~7;
        for (int i = 0; i < blocks; i += 8) {
            long m = in.getLongLE(offset + i);
            v3 ^= m;
            for (int r = 0; r < 2; r++) {
                v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
                v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
                v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
                v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
            }
            v0 ^= m;
        }
        long m = ((long) length << 56) | tail(in, offset + blocks, length - blocks);
        v3 ^= m;
        for (int r = 0; r < 2; r++) {
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
        v0 ^= m;
        v2 ^= 0xff;
        for (int r = 0; r < 4; r++) {
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
        return v0 ^ v1 ^ v2 ^ v3;
    }

    /** Little-endian word of the last {@code count} (0 to 7) bytes, from {@code from}. */
    private static long tail(ByteBuf in, int from, int count) {
        long w = 0;
        for (int i = 0; i < count; i++) {
            w |= (in.getByte(from + i) & 0xffL) << (8 * i);
        }
        return w;
    }
}
