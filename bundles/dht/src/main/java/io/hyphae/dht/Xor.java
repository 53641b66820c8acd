package io.hyphae.dht;

import io.hyphae.api.NodeId;
import io.hyphae.spi.dht.Key;
import java.util.Comparator;
import java.util.random.RandomGenerator;

/** The XOR metric of Kademlia over 256-bit ids, without copying ids. Stateless. */
final class Xor {
    static final int BITS = 256;

    private Xor() {
    }

    /** Orders ids by XOR distance to {@code target}, nearest first. */
    static Comparator<NodeId> byDistanceTo(Key target) {
        return (a, b) -> compare(target, a, b);
    }

    /** Negative when {@code a} is nearer to {@code target} than {@code b}, zero when equal. */
    static int compare(Key target, NodeId a, NodeId b) {
        for (int i = 0; i < Key.BYTES; i++) {
            int t = target.byteAt(i);
            int da = (a.byteAt(i) ^ t) & 0xff;
            int db = (b.byteAt(i) ^ t) & 0xff;
            if (da != db) {
                return Integer.compare(da, db);
            }
        }
        return 0;
    }

    /** The first 64 bits of {@code id}, big-endian: XOR two of them for the leading part of a distance. */
    static long prefix(NodeId id) {
        long p = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            p = (p << 8) | (id.byteAt(i) & 0xff);
        }
        return p;
    }

    /** The first 64 bits of {@code key}, big-endian. */
    static long prefix(Key key) {
        long p = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            p = (p << 8) | (key.byteAt(i) & 0xff);
        }
        return p;
    }

    /** The XOR distance of {@code id} to {@code target} as 32 unsigned bytes. */
    static byte[] distance(Key target, NodeId id) {
        byte[] d = new byte[Key.BYTES];
        for (int i = 0; i < d.length; i++) {
            d[i] = (byte) (target.byteAt(i) ^ id.byteAt(i));
        }
        return d;
    }

    /** Leading bits {@code id} shares with {@code key}: 0..256 (256 when equal). The bucket index of Kademlia. */
    static int commonPrefix(Key key, NodeId id) {
        for (int i = 0; i < Key.BYTES; i++) {
            int x = (key.byteAt(i) ^ id.byteAt(i)) & 0xff;
            if (x != 0) {
                return i * 8 + Integer.numberOfLeadingZeros(x) - 24;
            }
        }
        return BITS;
    }

    /** A random key sharing exactly {@code prefix} leading bits with {@code self} (prefix < 256). */
    static Key randomInBucket(NodeId self, int prefix, RandomGenerator random) {
        byte[] bytes = new byte[Key.BYTES];
        random.nextBytes(bytes);
        for (int bit = 0; bit <= prefix; bit++) {
            int i = bit / 8;
            int mask = 0x80 >>> (bit % 8);
            int own = self.byteAt(i) & mask;
            // bits before the prefix end copy self; the bit at the prefix is flipped
            int wanted = bit < prefix ? own : own ^ mask;
            bytes[i] = (byte) ((bytes[i] & ~mask) | wanted);
        }
        return Key.of(bytes);
    }
}
