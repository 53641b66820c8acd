package io.hyphae.router;

import static io.hyphae.router.Fixtures.node;
import static org.assertj.core.api.Assertions.assertThat;

import io.hyphae.api.MessageId;
import io.hyphae.api.NodeId;
import io.hyphae.spi.concurrent.VirtualTime;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DedupeWindowTest {
    private final VirtualTime time = new VirtualTime();

    @Test
    void sameIdFromAnotherPublisherIsAnotherMessage() {
        DedupeWindow window = new DedupeWindow(100, 10_000, time.clock(), 1L);
        MessageId id = MessageId.random(new Random(1));
        assertThat(window.firstSeen(node(1), id)).isTrue();
        assertThat(window.firstSeen(node(2), id)).as("a peer cannot shadow another publisher's ids").isTrue();
        assertThat(window.firstSeen(node(1), id)).isFalse();
        assertThat(window.firstSeen(node(2), id)).isFalse();
    }

    @Test
    void thePublisherIsComparedByValueAndTheIdByBothHalves() {
        DedupeWindow window = new DedupeWindow(100, 10_000, time.clock(), 1L);
        byte[] bytes = new byte[MessageId.BYTES];
        assertThat(window.firstSeen(node(1), MessageId.of(bytes))).isTrue();
        assertThat(window.firstSeen(node(1), MessageId.of(bytes))).as("another NodeId object, same node").isFalse();
        bytes[0] = 1;
        assertThat(window.firstSeen(node(1), MessageId.of(bytes))).as("high half differs").isTrue();
        bytes[0] = 0;
        bytes[MessageId.BYTES - 1] = 1;
        assertThat(window.firstSeen(node(1), MessageId.of(bytes))).as("low half differs").isTrue();
        assertThat(window.firstSeen(node(1), MessageId.of(bytes))).isFalse();
    }

    @Test
    void growsToMaxIdsAndThenForgetsTheOldestFirst() {
        DedupeWindow window = new DedupeWindow(1_000, 600_000, time.clock(), 1L);
        NodeId from = node(1);
        for (long n = 0; n < 5_000; n++) {
            assertThat(window.firstSeen(from, counterId(n))).isTrue();
        }
        assertThat(window.size()).isEqualTo(1_000);
        for (long n = 4_000; n < 5_000; n++) {
            assertThat(window.firstSeen(from, counterId(n))).as("id %d is among the last 1,000", n).isFalse();
        }
        assertThat(window.firstSeen(from, counterId(3_999))).as("pushed out by 1,000 newer ids").isTrue();
    }

    @Test
    void forgetsAfterTheWindowEvenWhenNotFull() {
        DedupeWindow window = new DedupeWindow(1_000, 10_000, time.clock(), 1L);
        NodeId from = node(1);
        window.firstSeen(from, counterId(1));
        time.advance(Duration.ofMillis(5_000));
        window.firstSeen(from, counterId(2));
        time.advance(Duration.ofMillis(5_000));
        assertThat(window.size()).isEqualTo(1);
        assertThat(window.firstSeen(from, counterId(2))).isFalse();
        assertThat(window.firstSeen(from, counterId(1))).isTrue();
    }

    /** Random ids, repeats and time steps against a plain insertion-ordered map: the table must never disagree. */
    @Test
    void agreesWithAReferenceModelUnderRandomTraffic() {
        int maxIds = 700;
        long windowMs = 2_000;
        DedupeWindow window = new DedupeWindow(maxIds, windowMs, time.clock(), 1L);
        LinkedHashMap<String, Long> model = new LinkedHashMap<>();
        Random random = new Random(42);
        NodeId[] publishers = {node(1), node(2), node(3)};
        for (int step = 0; step < 200_000; step++) {
            if (random.nextInt(100) == 0) {
                time.advance(Duration.ofMillis(random.nextInt(50)));
            }
            NodeId from = publishers[random.nextInt(publishers.length)];
            MessageId id = counterId(random.nextInt(3_000)); // small space: many repeats, many evictions
            long now = time.now().toEpochMilli();
            for (Iterator<Map.Entry<String, Long>> it = model.entrySet().iterator(); it.hasNext(); ) {
                if (now - it.next().getValue() < windowMs) {
                    break;
                }
                it.remove();
            }
            String key = from.toHex() + id.toHex();
            boolean expected = !model.containsKey(key);
            if (expected) {
                if (model.size() == maxIds) {
                    model.remove(model.keySet().iterator().next());
                }
                model.put(key, now);
            }
            assertThat(window.firstSeen(from, id)).as("step %d", step).isEqualTo(expected);
        }
        assertThat(window.size()).isEqualTo(model.size());
    }

    /** An id the way a node makes them: a fixed prefix and a counter, the worst case for a weak hash. */
    private static MessageId counterId(long n) {
        return MessageId.of(ByteBuffer.allocate(MessageId.BYTES).putLong(0x5EED_5EED_5EED_5EEDL).putLong(n).array());
    }
}
