package io.hyphae.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SequenceWindowTest {
    private final List<Long> spilled = new ArrayList<>();
    private int arrivals;

    private SequenceWindow window(long base, int maxBits, int keepFor) {
        return new SequenceWindow(base, maxBits, keepFor, spilled::add);
    }

    private boolean firstSeen(SequenceWindow window, long seq) {
        return window.firstSeen(seq, ++arrivals);
    }

    @Test
    void marksEachNumberOnce() {
        SequenceWindow window = window(64, 4096, 0);
        assertThat(firstSeen(window, 64)).isTrue();
        assertThat(firstSeen(window, 64)).isFalse();
        assertThat(firstSeen(window, 65)).isTrue();
        assertThat(firstSeen(window, 127)).isTrue();
        assertThat(firstSeen(window, 128)).as("next word").isTrue();
        assertThat(window.count()).isEqualTo(4);
    }

    @Test
    void growsAheadBeforeItSlides() {
        SequenceWindow window = window(0, 4096, 1_000_000);
        for (long n = 0; n < 4096; n++) {
            assertThat(firstSeen(window, n)).isTrue();
        }
        assertThat(window.base()).as("grown from 1024 to 4096 bits, nothing forgotten").isZero();
        assertThat(window.count()).isEqualTo(4096);
        for (long n = 0; n < 4096; n += 7) {
            assertThat(firstSeen(window, n)).isFalse();
        }
    }

    @Test
    void slidesWholeWordsAndForgetsWhatFellBelowTheBase() {
        SequenceWindow window = window(0, 1024, 900);
        for (long n = 0; n < 1024; n++) {
            firstSeen(window, n);
        }
        assertThat(firstSeen(window, 1024)).isTrue();
        assertThat(window.base()).as("one word dropped").isEqualTo(64);
        assertThat(window.count()).isEqualTo(1024 - 64 + 1);
        assertThat(spilled).as("961 ids came after number 63").isEmpty();
        assertThat(firstSeen(window, 64)).as("still held").isFalse();
        assertThat(firstSeen(window, 1087)).as("the reused word starts empty").isTrue();
    }

    /**
     * A subscriber that sees every tenth number: about 100 ids come after a number before it slides out, so it is
     * spilled when it must be kept for 200, and forgotten when for 50.
     */
    @Test
    void spillsWhatSlidesOutBeforeKeepForIdsCameAfterIt() {
        SequenceWindow keeping = window(0, 1024, 200);
        for (long n = 0; n < 3_000; n += 10) {
            firstSeen(keeping, n);
        }
        assertThat(keeping.base()).isEqualTo((2_990 - 1024 + 64) & -64);
        List<Long> below = new ArrayList<>();
        for (long n = 0; n < keeping.base(); n += 10) {
            below.add(n);
        }
        assertThat(spilled).isEqualTo(below);

        spilled.clear();
        SequenceWindow forgetting = window(0, 1024, 50);
        for (long n = 0; n < 3_000; n += 10) {
            firstSeen(forgetting, n);
        }
        assertThat(spilled).isEmpty();
    }

    /** Every tenth number, each to be kept for 200 ids: 2,000 numbers' worth, so it grows to 4,096 bits, not more. */
    @Test
    void growsAsFarAsASparsePublisherNeedsInsteadOfSpilling() {
        SequenceWindow window = window(0, 1 << 16, 200);
        for (long n = 0; n < 100_000; n += 10) {
            assertThat(firstSeen(window, n)).isTrue();
        }
        assertThat(window.bits()).isEqualTo(4096);
        assertThat(spilled).isEmpty();
        assertThat(firstSeen(window, 100_000 - 10 * 199)).as("the 200th newest").isFalse();
    }

    @Test
    void beyondMaxBitsItSpills() {
        SequenceWindow window = window(0, 2048, 1_000);
        for (long n = 0; n < 100_000; n += 10) {
            firstSeen(window, n);
        }
        assertThat(window.bits()).isEqualTo(2048);
        assertThat(spilled).hasSizeGreaterThan(9_000);
    }

    @Test
    void aFarJumpDoesNotGrowTheWindow() {
        SequenceWindow window = window(0, 1 << 20, 1_000_000);
        firstSeen(window, 5);
        firstSeen(window, 10_000_000);
        assertThat(window.bits()).isEqualTo(SequenceWindow.INITIAL_BITS);
        assertThat(spilled).containsExactly(5L);
    }

    @Test
    void aJumpFarAheadSpillsWhatIsYoungAndKeepsTheNewNumber() {
        SequenceWindow window = window(0, 1024, 1000);
        firstSeen(window, 5);
        firstSeen(window, 700);
        assertThat(firstSeen(window, 1_000_000)).isTrue();
        assertThat(window.count()).isEqualTo(1);
        assertThat(window.base()).isEqualTo((1_000_000 - 1024 + 64) & -64);
        assertThat(spilled).containsExactly(5L, 700L);
        assertThat(firstSeen(window, 1_000_000 - 1)).isTrue();
    }

    @Test
    void spillAllGivesUpEveryYoungNumber() {
        SequenceWindow window = window(0, 4096, 100);
        for (long n = 0; n < 300; n++) {
            firstSeen(window, n);
        }
        window.spillAll(arrivals);
        assertThat(spilled).as("the words of the last 100 numbers").hasSize(300 - 192).startsWith(192L).endsWith(299L);
        assertThat(window.count()).isZero();
        assertThat(window.base()).isZero();
    }

    @Test
    void clearForgetsEverythingButKeepsTheBase() {
        SequenceWindow window = window(128, 1024, 1000);
        firstSeen(window, 200);
        window.clear();
        assertThat(window.count()).isZero();
        assertThat(window.base()).isEqualTo(128);
        assertThat(firstSeen(window, 200)).isTrue();
        assertThat(spilled).isEmpty();
    }

    /**
     * Numbers moving forward with jitter, repeats and jumps, against a plain set: the window answers for the numbers
     * at or above its base, and every number that slid out while young is spilled, once.
     */
    @Test
    void agreesWithABitSetOfTheNumbersItHolds() {
        int keepFor = 1_500;
        SequenceWindow window = window(0, 2048, keepFor);
        BitSet seen = new BitSet();
        BitSet spills = new BitSet();
        int[] wordArrivedAt = new int[20_000_000 / 64]; // the arrival of each word's latest number
        Random random = new Random(7);
        long front = 0;
        for (int step = 0; step < 300_000; step++) {
            front += random.nextInt(100) == 0 ? random.nextInt(5_000) : random.nextInt(3);
            long seq = Math.max(window.base(), front - random.nextInt(2_500));
            long baseBefore = window.base();
            boolean first = firstSeen(window, seq);
            for (long n : spilled) {
                assertThat(seen.get((int) n)).as("spilled %d was seen", n).isTrue();
                assertThat(spills.get((int) n)).as("spilled %d once", n).isFalse();
                spills.set((int) n);
            }
            spilled.clear();
            for (int n = seen.nextSetBit((int) baseBefore); n >= 0 && n < window.base(); n = seen.nextSetBit(n + 1)) {
                boolean young = arrivals - wordArrivedAt[n >>> 6] < keepFor; // a word's numbers go together
                assertThat(spills.get(n)).as("number %d slid out %s", n, young ? "young" : "old").isEqualTo(young);
            }
            seen.clear((int) baseBefore, (int) window.base()); // what slid out is the window's no more
            assertThat(first).as("step %d, number %d, base %d", step, seq, baseBefore).isEqualTo(!seen.get((int) seq));
            if (first) {
                wordArrivedAt[(int) (seq >>> 6)] = arrivals;
            }
            seen.set((int) seq);
            assertThat(window.count()).isEqualTo(seen.get((int) window.base(), (int) front + 1).cardinality());
            assertThat(seq - window.base()).isBetween(0L, window.bits() - 1);
            if (window.base() != baseBefore) {
                assertThat(seq - window.base()).as("slides no further than it must")
                        .isGreaterThanOrEqualTo(window.bits() - 64);
            }
        }
        assertThat(spills.cardinality()).isPositive();
    }
}
