package io.hyphae.spi.concurrent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VirtualTimeTest {
    private final VirtualTime time = new VirtualTime(Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void tasksRunInTimeOrderThenSchedulingOrder() {
        List<String> ran = new ArrayList<>();
        time.schedule(Duration.ofSeconds(2), () -> ran.add("b"));
        time.schedule(Duration.ofSeconds(1), () -> ran.add("a1"));
        time.schedule(Duration.ofSeconds(1), () -> ran.add("a2"));
        time.execute(() -> ran.add("now"));
        time.advance(Duration.ofSeconds(1));
        assertThat(ran).containsExactly("now", "a1", "a2");
        time.advance(Duration.ofSeconds(1));
        assertThat(ran).containsExactly("now", "a1", "a2", "b");
    }

    @Test
    void clockMovesOnlyWhenAdvancedAndReadsTaskTime() {
        List<Instant> seen = new ArrayList<>();
        time.schedule(Duration.ofMillis(1500), () -> seen.add(time.clock().instant()));
        assertThat(time.clock().instant()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        time.advance(Duration.ofSeconds(5));
        assertThat(seen).containsExactly(Instant.parse("2026-01-01T00:00:01.500Z"));
        assertThat(time.clock().millis()).isEqualTo(Instant.parse("2026-01-01T00:00:05Z").toEpochMilli());
    }

    @Test
    void tasksMayScheduleTasksWithinTheSameAdvance() {
        List<Integer> ran = new ArrayList<>();
        Runnable[] tick = new Runnable[1];
        tick[0] = () -> {
            ran.add(ran.size());
            if (ran.size() < 5) {
                time.schedule(Duration.ofSeconds(1), tick[0]);
            }
        };
        time.execute(tick[0]);
        time.advance(Duration.ofSeconds(10));
        assertThat(ran).containsExactly(0, 1, 2, 3, 4);
        assertThat(time.executed()).isEqualTo(5);
    }

    @Test
    void cancelledTasksDoNotRun() {
        List<String> ran = new ArrayList<>();
        Scheduler.Cancellable c = time.schedule(Duration.ofSeconds(1), () -> ran.add("x"));
        c.cancel();
        c.cancel();
        time.advance(Duration.ofSeconds(2));
        assertThat(ran).isEmpty();
    }

    @Test
    void closedTimeDropsEverything() {
        List<String> ran = new ArrayList<>();
        time.schedule(Duration.ofSeconds(1), () -> ran.add("x"));
        time.close();
        time.schedule(Duration.ZERO, () -> ran.add("y"));
        time.advance(Duration.ofSeconds(2));
        assertThat(ran).isEmpty();
        assertThat(time.pending()).isZero();
    }
}
