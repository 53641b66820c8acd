package io.hyphae.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.hyphae.spi.concurrent.VirtualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetrySweepTest {
    private final VirtualTime time = new VirtualTime();
    private final CountingScheduler timers = new CountingScheduler(time);
    private final RetrySweep sweep = new RetrySweep(timers, time.clock(), 160);
    private final List<String> fired = new ArrayList<>();
    private final long start = now();

    private long now() {
        return time.now().toEpochMilli();
    }

    private final class Timer implements RetrySweep.Entry {
        final String name;
        final long addedAtMs = now();
        final long dueMs;
        volatile boolean finished;

        Timer(String name, long delayMs) {
            this.name = name;
            this.dueMs = addedAtMs + delayMs;
        }

        @Override
        public long addedAtMs() {
            return addedAtMs;
        }

        @Override
        public long dueMs() {
            return dueMs;
        }

        @Override
        public boolean finished() {
            return finished;
        }

        @Override
        public void onDue(long nowMs) {
            assertThat(nowMs).isEqualTo(dueMs);
            fired.add(name + "@" + (nowMs - start));
        }
    }

    @Test
    void eachEntryFiresAtItsOwnDueTimeEvenWhenJitterPutsThemOutOfOrder() {
        Timer a = new Timer("a", 240);
        sweep.add(a);
        time.advance(Duration.ofMillis(10));
        sweep.add(new Timer("b", 160)); // due at 170, before a
        time.advance(Duration.ofMillis(5));
        sweep.add(new Timer("c", 200)); // due at 215
        time.advance(Duration.ofSeconds(1));
        assertThat(fired).containsExactly("b@170", "c@215", "a@240");
        assertThat(sweep.size()).isZero();
    }

    @Test
    void finishedEntriesNeverFireAndAreDroppedByTheNextSweep() {
        Timer a = new Timer("a", 200);
        sweep.add(a);
        time.advance(Duration.ofMillis(1));
        Timer b = new Timer("b", 200);
        sweep.add(b);
        a.finished = true;
        time.advance(Duration.ofSeconds(1));
        assertThat(fired).containsExactly("b@201");
        assertThat(sweep.size()).isZero();
    }

    @Test
    void aSteadyFlowOfEntriesSharesFewSweeps() {
        List<Timer> all = new ArrayList<>();
        for (int ms = 0; ms < 1_000; ms++) {
            for (int i = 0; i < 10; i++) {
                Timer t = new Timer("t", 200);
                all.add(t);
                sweep.add(t);
            }
            all.stream().filter(t -> t.addedAtMs <= now() - 5).forEach(t -> t.finished = true); // acked in 5 ms
            time.advance(Duration.ofMillis(1));
        }
        all.forEach(t -> t.finished = true);
        time.advance(Duration.ofSeconds(1));
        assertThat(fired).isEmpty();
        assertThat(timers.scheduled.get()).as("10,000 entries").isLessThan(1_100);
        assertThat(sweep.size()).isZero();
    }

    @Test
    void closedSweepFiresNothing() {
        sweep.add(new Timer("a", 200));
        sweep.close();
        time.advance(Duration.ofSeconds(1));
        assertThat(fired).isEmpty();
    }
}
