package io.hyphae.router;

import static io.hyphae.router.Fixtures.node;
import static org.assertj.core.api.Assertions.assertThat;

import io.hyphae.api.MessageId;
import io.hyphae.api.NodeId;
import io.hyphae.spi.concurrent.VirtualTime;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
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

    @Test
    void aStreamGetsASequenceWindowOnceTwoOfItsIdsCameInSequence() {
        DedupeWindow window = new DedupeWindow(100_000, 600_000, time.clock(), 1L);
        NodeId from = node(1);
        assertThat(window.firstSeen(from, MessageId.ofSequence(7, 0))).isTrue();
        assertThat(window.sequenced()).isZero();
        for (long n = 1; n < 10_000; n++) {
            assertThat(window.firstSeen(from, MessageId.ofSequence(7, n))).isTrue();
        }
        assertThat(window.sequenced()).isOne();
        assertThat(window.size()).isEqualTo(10_000);
        for (long n = 0; n < 10_000; n += 99) {
            assertThat(window.firstSeen(from, MessageId.ofSequence(7, n))).as("number %d", n).isFalse();
        }
        assertThat(window.firstSeen(node(2), MessageId.ofSequence(7, 5_000))).as("another publisher").isTrue();
        assertThat(window.firstSeen(from, MessageId.ofSequence(8, 5_000))).as("another stream").isTrue();
        assertThat(window.firstSeen(from, MessageId.ofSequence(8, 5_000))).isFalse();
    }

    /** An id that reached the table out of order before the window was made is never answered by the window. */
    @Test
    void aWindowStartsAboveEveryNumberOfItsStreamTheTableHolds() {
        DedupeWindow window = new DedupeWindow(100_000, 600_000, time.clock(), 1L);
        NodeId from = node(1);
        assertThat(window.firstSeen(from, MessageId.ofSequence(7, 900))).isTrue();
        assertThat(window.firstSeen(from, MessageId.ofSequence(7, 100))).isTrue();
        assertThat(window.sequenced()).as("made at number 100, with 900 in the table").isOne();
        assertThat(window.firstSeen(from, MessageId.ofSequence(7, 900))).isFalse();
        assertThat(window.firstSeen(from, MessageId.ofSequence(7, 100))).isFalse();
        for (long n = 101; n < 2_000; n++) {
            assertThat(window.firstSeen(from, MessageId.ofSequence(7, n))).as("number %d", n).isEqualTo(n != 900);
        }
        for (long n = 100; n < 2_000; n += 7) {
            assertThat(window.firstSeen(from, MessageId.ofSequence(7, n))).as("again, number %d", n).isFalse();
        }
    }

    @Test
    void randomIdsNeverGetAWindow() {
        DedupeWindow window = new DedupeWindow(100_000, 600_000, time.clock(), 1L);
        Random random = new Random(3);
        for (int i = 0; i < 10_000; i++) {
            time.advance(Duration.ofMillis(1));
            window.firstSeen(node(1 + i % 3), MessageId.random(random));
        }
        assertThat(window.sequenced()).isZero();
        assertThat(window.size()).isEqualTo(10_000);
    }

    /** A restarted publisher numbers a new stream from 0; its window follows, at most once per switch interval. */
    @Test
    void aPublishersWindowMovesToItsNewStreamAfterTheSwitchInterval() {
        DedupeWindow window = new DedupeWindow(100_000, 600_000, time.clock(), 1L);
        NodeId from = node(1);
        for (long n = 0; n < 100; n++) {
            window.firstSeen(from, MessageId.ofSequence(7, n));
        }
        time.advance(Duration.ofMillis(DedupeWindow.SWITCH_INTERVAL_MS - 1));
        for (long n = 0; n < 100; n++) {
            assertThat(window.firstSeen(from, MessageId.ofSequence(8, n))).isTrue();
        }
        time.advance(Duration.ofMillis(1));
        for (long n = 100; n < 200; n++) {
            assertThat(window.firstSeen(from, MessageId.ofSequence(8, n))).isTrue();
        }
        assertThat(window.sequenced()).isOne();
        for (long n = 0; n < 200; n += 3) {
            assertThat(window.firstSeen(from, MessageId.ofSequence(8, n))).as("new stream, number %d", n).isFalse();
        }
        for (long n = 0; n < 100; n++) {
            assertThat(window.firstSeen(from, MessageId.ofSequence(7, n)))
                    .as("the old stream's recent ids went to the table").isFalse();
        }
        assertThat(window.size()).isEqualTo(300);
    }

    @Test
    void aWindowIdleForWindowMsForgetsItsIds() {
        DedupeWindow window = new DedupeWindow(1_000, 10_000, time.clock(), 1L);
        NodeId from = node(1);
        for (long n = 0; n < 200; n++) {
            window.firstSeen(from, MessageId.ofSequence(7, n));
        }
        time.advance(Duration.ofMillis(9_999));
        assertThat(window.firstSeen(from, MessageId.ofSequence(7, 150))).isFalse();
        time.advance(Duration.ofMillis(9_999));
        assertThat(window.size()).as("only number 150 refreshed the window; the table's ids timed out")
                .isEqualTo(200 - 64);
        time.advance(Duration.ofMillis(1));
        assertThat(window.size()).isZero();
        assertThat(window.firstSeen(from, MessageId.ofSequence(7, 150))).isTrue();
        assertThat(window.firstSeen(from, MessageId.ofSequence(7, 150))).isFalse();
    }

    @Test
    void atMostMaxSequencedPublishersHoldAWindowAndTheRestStillDedupe() {
        DedupeWindow window = new DedupeWindow(100_000, 600_000, time.clock(), 1L);
        int publishers = DedupeWindow.MAX_SEQUENCED + 6;
        for (int p = 1; p <= publishers; p++) {
            time.advance(Duration.ofMillis(DedupeWindow.SCAN_INTERVAL_MS));
            for (long n = 0; n < 10; n++) {
                assertThat(window.firstSeen(node(p), MessageId.ofSequence(p, n))).isTrue();
            }
        }
        assertThat(window.sequenced()).isEqualTo(DedupeWindow.MAX_SEQUENCED);
        for (int p = 1; p <= publishers; p++) {
            assertThat(window.firstSeen(node(p), MessageId.ofSequence(p, 9))).as("publisher %d", p).isFalse();
        }
        assertThat(window.size()).isEqualTo(10 * publishers);
    }

    /** A table walk per new window, at most once per scan interval: two new publishers at once get one. */
    @Test
    void windowsAreMadeAtMostOncePerScanInterval() {
        DedupeWindow window = new DedupeWindow(100_000, 600_000, time.clock(), 1L);
        for (long n = 0; n < 10; n++) {
            window.firstSeen(node(1), MessageId.ofSequence(1, n));
            window.firstSeen(node(2), MessageId.ofSequence(2, n));
        }
        assertThat(window.sequenced()).isOne();
        time.advance(Duration.ofMillis(DedupeWindow.SCAN_INTERVAL_MS));
        window.firstSeen(node(2), MessageId.ofSequence(2, 10));
        assertThat(window.sequenced()).isEqualTo(2);
        for (long n = 0; n <= 10; n++) {
            assertThat(window.firstSeen(node(2), MessageId.ofSequence(2, n))).as("number %d", n).isFalse();
        }
    }

    /**
     * Publishers numbering their ids, restarting onto new streams, sending late and sending again, among one that
     * sends random ids; time passes. Against a set of every id ever seen: a new id is never dropped (that would
     * lose a message), and a repeat of a recent one is always dropped.
     */
    @Test
    void neverDropsANewIdAndAlwaysDropsARecentRepeat() {
        int maxIds = 5_000;
        long windowMs = 60_000;
        DedupeWindow window = new DedupeWindow(maxIds, windowMs, time.clock(), 1L);
        Random random = new Random(11);
        NodeId[] publishers = {node(1), node(2), node(3), node(4)};
        long[] streams = {1, 2, 3, 4};
        long[] next = new long[publishers.length];
        Map<String, long[]> firstSeen = new HashMap<>(); // id -> {step, ms}
        List<Object[]> sent = new ArrayList<>(); // {publisher, id}
        int repeatsDropped = 0;
        for (int step = 0; step < 300_000; step++) {
            if (random.nextInt(200) == 0) {
                time.advance(Duration.ofMillis(random.nextInt(500)));
            }
            int p = random.nextInt(publishers.length);
            MessageId id;
            int roll = random.nextInt(1_000);
            if (p == 3) {
                id = MessageId.random(random);
            } else if (roll == 0) {
                streams[p] += 10; // a restart
                next[p] = 0;
                id = MessageId.ofSequence(streams[p], next[p]++);
            } else if (roll < 150 && !sent.isEmpty()) {
                Object[] again = sent.get(sent.size() - 1 - random.nextInt(Math.min(sent.size(), 300)));
                p = (int) again[0];
                id = (MessageId) again[1];
            } else if (roll < 250) {
                next[p] += 1 + random.nextInt(3_000); // a sparse subscriber, or a jump
                id = MessageId.ofSequence(streams[p], next[p] - random.nextInt(100)); // and late
            } else {
                id = MessageId.ofSequence(streams[p], next[p]++);
            }
            String key = p + "/" + id.toHex();
            long now = time.now().toEpochMilli();
            long[] before = firstSeen.get(key);
            boolean first = window.firstSeen(publishers[p], id);
            if (before == null) {
                assertThat(first).as("step %d: a new id must be taken", step).isTrue();
                firstSeen.put(key, new long[] {step, now});
                sent.add(new Object[] {p, id});
            } else if (step - before[0] < maxIds / 2 && now - before[1] < windowMs / 2) {
                assertThat(first).as("step %d: a repeat of step %d must be dropped", step, before[0]).isFalse();
                repeatsDropped++;
            }
        }
        assertThat(repeatsDropped).isGreaterThan(30_000);
        assertThat(window.sequenced()).isEqualTo(3);
    }

    /** An id the way a node makes them: a fixed prefix and a counter, the worst case for a weak hash. */
    private static MessageId counterId(long n) {
        return MessageId.of(ByteBuffer.allocate(MessageId.BYTES).putLong(0x5EED_5EED_5EED_5EEDL).putLong(n).array());
    }
}
