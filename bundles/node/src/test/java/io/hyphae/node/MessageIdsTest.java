package io.hyphae.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.hyphae.api.MessageId;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MessageIdsTest {
    @Test
    void idsOfOneNodeShareItsRandomPrefixAndNeverRepeat() {
        MessageIds ids = new MessageIds(new Random(1));
        Set<MessageId> seen = new HashSet<>();
        byte[] prefix = Arrays.copyOf(ids.next().toBytes(), 8);
        for (int i = 0; i < 100_000; i++) {
            MessageId id = ids.next();
            assertThat(seen.add(id)).isTrue();
            assertThat(Arrays.copyOf(id.toBytes(), 8)).isEqualTo(prefix);
        }
    }

    @Test
    void nodesDrawDifferentPrefixes() {
        MessageId a = new MessageIds(new Random(1)).next();
        MessageId b = new MessageIds(new Random(2)).next();
        assertThat(Arrays.copyOf(a.toBytes(), 8)).isNotEqualTo(Arrays.copyOf(b.toBytes(), 8));
        assertThat(Arrays.copyOfRange(a.toBytes(), 8, 16)).as("both counters start at 0")
                .isEqualTo(Arrays.copyOfRange(b.toBytes(), 8, 16));
    }

    /** Hash tables keyed by message id (de-duplication, acknowledgements) need ids that spread under hashCode. */
    @Test
    void consecutiveIdsHaveDistinctHashCodes() {
        MessageIds ids = new MessageIds(new Random(1));
        Set<Integer> hashes = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            hashes.add(ids.next().hashCode());
        }
        assertThat(hashes).hasSizeGreaterThan(99_900);
    }
}
