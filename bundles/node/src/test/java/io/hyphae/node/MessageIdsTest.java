package io.hyphae.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.hyphae.api.MessageId;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MessageIdsTest {
    @Test
    void idsOfOneNodeShareItsStreamAndCountFromZero() {
        MessageIds ids = new MessageIds(new Random(1));
        Set<MessageId> seen = new HashSet<>();
        long stream = ids.next().stream();
        for (int i = 1; i <= 100_000; i++) {
            MessageId id = ids.next();
            assertThat(seen.add(id)).isTrue();
            assertThat(id.stream()).isEqualTo(stream);
            assertThat(id.sequence()).isEqualTo(i);
        }
    }

    @Test
    void nodesDrawDifferentStreams() {
        MessageId a = new MessageIds(new Random(1)).next();
        MessageId b = new MessageIds(new Random(2)).next();
        assertThat(a.stream()).isNotEqualTo(b.stream());
        assertThat(a.sequence()).as("both count from 0").isZero().isEqualTo(b.sequence());
    }
}
