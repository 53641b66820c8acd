package io.hyphae.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hyphae.spi.concurrent.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class EventQueueTest {
    private final EventQueue time = new EventQueue();

    @Test
    void runsTasksInTimeOrderAndEqualTimesInTheOrderScheduled() {
        List<String> ran = new ArrayList<>();
        time.schedule(Duration.ofMillis(20), () -> ran.add("b"));
        time.schedule(Duration.ofMillis(10), () -> ran.add("a"));
        time.schedule(Duration.ofMillis(20), () -> ran.add("c"));
        time.execute(() -> ran.add("now"));

        time.advance(Duration.ofMillis(15));
        assertThat(ran).containsExactly("now", "a");
        assertThat(time.millis() % 1000).isEqualTo(15);

        time.advance(Duration.ofMillis(5));
        assertThat(ran).containsExactly("now", "a", "b", "c");
        assertThat(time.executed()).isEqualTo(4);
    }

    @Test
    void aCancelledTaskLeavesTheQueueAtOnceAndNeverRuns() {
        List<Integer> ran = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(3);
        List<Scheduler.Cancellable> handles = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            int id = i;
            handles.add(time.schedule(Duration.ofMillis(random.nextInt(500)), () -> ran.add(id)));
        }
        for (int i = 0; i < 1_000; i += 2) {
            handles.get(i).cancel();
            handles.get(i).cancel(); // twice is harmless
        }
        assertThat(time.pending()).isEqualTo(500);

        time.advance(Duration.ofSeconds(1));

        assertThat(ran).hasSize(500).allMatch(id -> id % 2 == 1);
        assertThat(time.executed()).isEqualTo(500);
    }

    @Test
    void tasksScheduledByTasksRunInTheSameAdvanceWhenDue() {
        List<Long> at = new ArrayList<>();
        time.schedule(Duration.ofMillis(1), () -> time.schedule(Duration.ofMillis(2), () -> at.add(time.millis())));

        time.advance(Duration.ofMillis(3));

        assertThat(at).hasSize(1);
        assertThat(time.clock().millis()).isEqualTo(at.get(0));
    }

    @Test
    void anotherThreadMayNotUseIt() {
        CompletableFuture<Void> other = CompletableFuture.runAsync(() -> time.execute(() -> { }));

        assertThatThrownBy(other::join).hasCauseInstanceOf(IllegalStateException.class);
    }
}
