package io.hyphae.dht;

import static org.assertj.core.api.Assertions.assertThat;

import io.hyphae.api.NodeId;
import io.hyphae.spi.dht.Key;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class XorTest {
    private final Random random = new Random(7);

    @Test
    void distanceOrderingMatchesBigIntegerXor() {
        Key target = Key.of(Ids.random(random));
        List<NodeId> ids = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            ids.add(Ids.random(random));
        }
        List<NodeId> byXor = new ArrayList<>(ids);
        byXor.sort(Xor.byDistanceTo(target));
        List<NodeId> byBig = new ArrayList<>(ids);
        BigInteger t = new BigInteger(1, target.toBytes());
        byBig.sort((a, b) -> new BigInteger(1, a.toBytes()).xor(t).compareTo(new BigInteger(1, b.toBytes()).xor(t)));

        assertThat(byXor).containsExactlyElementsOf(byBig);
    }

    @Test
    void commonPrefixCountsLeadingEqualBits() {
        byte[] a = new byte[32];
        byte[] b = new byte[32];
        b[1] = 0x10;
        assertThat(Xor.commonPrefix(Key.of(a), NodeId.of(b))).isEqualTo(11);
        assertThat(Xor.commonPrefix(Key.of(a), NodeId.of(a))).isEqualTo(256);
        b[0] = (byte) 0x80;
        assertThat(Xor.commonPrefix(Key.of(a), NodeId.of(b))).isZero();
    }

    @Test
    void randomInBucketSharesExactlyThePrefix() {
        NodeId self = Ids.random(random);
        for (int prefix : new int[] {0, 1, 7, 8, 9, 100, 255}) {
            Key key = Xor.randomInBucket(self, prefix, random::nextLong);
            assertThat(Xor.commonPrefix(key, self)).isEqualTo(prefix);
        }
    }

    @Test
    void distanceToItselfIsZero() {
        NodeId id = Ids.random(random);
        assertThat(Xor.distance(Key.of(id), id)).containsOnly(0);
        assertThat(Xor.compare(Key.of(id), id, Ids.random(random))).isNegative();
    }
}
