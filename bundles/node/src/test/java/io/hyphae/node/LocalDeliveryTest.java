package io.hyphae.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.hyphae.api.Message;
import io.hyphae.api.MessageId;
import io.hyphae.api.NodeId;
import io.hyphae.api.Qos;
import io.hyphae.api.Topic;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LocalDeliveryTest {
    private static final Topic TOPIC = Topic.of("a.b");
    private final NodeStats stats = new NodeStats();
    private final List<Message> got = new CopyOnWriteArrayList<>();
    private final LocalSubscription subscription = new LocalSubscription(TOPIC, got::add, s -> { });
    private final Random random = new Random(3);

    @Test
    void messagesBeyondTheCapacityAreDroppedAndCountedAndTheRestDrainInOneTask() {
        ArrayDeque<Runnable> executor = new ArrayDeque<>();
        LocalDelivery delivery = new LocalDelivery(executor::add, 4, 10, stats, Clock.systemUTC(), 60_000);
        for (int i = 0; i < 15; i++) {
            delivery.deliver(message(), List.of(subscription));
        }
        assertThat(stats.handlerRejected.sum()).isEqualTo(5);
        assertThat(stats.handed.sum()).isEqualTo(10);
        assertThat(executor).as("one drainer for a short queue").hasSize(1);
        executor.poll().run();
        assertThat(got).hasSize(10);
        delivery.deliver(message(), List.of(subscription));
        assertThat(executor).as("room again; a new drainer").hasSize(1);
    }

    @Test
    void aDrainerThatEmptiedTheQueueTakesWhatComesWhileItLingersWithoutAnotherWakeUp() {
        ArrayDeque<Runnable> executor = new ArrayDeque<>();
        LocalDelivery[] delivery = new LocalDelivery[1];
        int[] idleCalls = new int[1];
        Runnable idle = () -> {
            if (++idleCalls[0] == 3) { // a message arrives while the drainer yields
                delivery[0].deliver(message(), List.of(subscription));
            }
        };
        delivery[0] = new LocalDelivery(executor::add, 4, 10, stats, Clock.systemUTC(), 60_000, idle, 5);
        delivery[0].deliver(message(), List.of(subscription));
        assertThat(executor).hasSize(1);
        executor.poll().run();
        assertThat(got).as("both messages, in one drain").hasSize(2);
        assertThat(executor).as("the lingering drainer took the second message: no new drainer").isEmpty();
        assertThat(idleCalls[0]).as("3 yields before the second message, then 5 more before leaving").isEqualTo(8);

        delivery[0].deliver(message(), List.of(subscription));
        assertThat(executor).as("the drainer left: the next message starts one").hasSize(1);
    }

    @Test
    void whileOneDrainerLingersAnotherThatEmptiedTheQueueLeavesAtOnce() {
        ArrayDeque<Runnable> executor = new ArrayDeque<>();
        LocalDelivery[] delivery = new LocalDelivery[1];
        int[] idleCalls = new int[1];
        Runnable idle = () -> {
            if (++idleCalls[0] == 1) { // a burst while the first drainer lingers starts a second one
                for (int i = 0; i < 70; i++) {
                    delivery[0].deliver(message(), List.of(subscription));
                }
                assertThat(executor).as("a second drainer for the burst").hasSize(1);
                executor.poll().run(); // it empties the queue and must leave, not linger as well
            }
        };
        delivery[0] = new LocalDelivery(executor::add, 4, 100, stats, Clock.systemUTC(), 60_000, idle, 5);
        delivery[0].deliver(message(), List.of(subscription));
        executor.poll().run();

        assertThat(got).hasSize(71);
        assertThat(idleCalls[0]).as("only the first drainer yielded, 5 times").isEqualTo(5);
        assertThat(executor).isEmpty();
    }

    @Test
    void aRefusingExecutorDropsMessagesAndCompletesReceiptsHere() {
        LocalDelivery delivery = new LocalDelivery(task -> {
            throw new RejectedExecutionException("shut down");
        }, 4, 10, stats, Clock.systemUTC(), 60_000);
        assertThat(delivery.deliver(message(), List.of(subscription))).isEqualTo(1);
        boolean[] ran = new boolean[1];
        delivery.completeOnHandlers(() -> ran[0] = true);
        assertThat(stats.handlerRejected.sum()).isEqualTo(1);
        assertThat(got).isEmpty();
        assertThat(ran[0]).isTrue();
    }

    @Test
    void slowHandlersGetSeveralThreadsAndEveryMessageArrives() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch release = new CountDownLatch(1);
            List<String> names = new CopyOnWriteArrayList<>();
            LocalSubscription slow = new LocalSubscription(TOPIC, m -> {
                names.add(Thread.currentThread().getName());
                try {
                    release.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                got.add(m);
            }, s -> { });
            LocalDelivery delivery = new LocalDelivery(threads, 4, 10_000, stats, Clock.systemUTC(), 60_000);
            for (int i = 0; i < 1_000; i++) {
                delivery.deliver(message(), List.of(slow));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (names.stream().distinct().count() < 4 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(names.stream().distinct().count()).isEqualTo(4);
            release.countDown();
            while (got.size() < 1_000 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(got).hasSize(1_000);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void withoutHandlerThreadsHandlersAndContinuationsRunOnTheCallingThreadAndTheExecutorIsNeverUsed() {
        List<String> threads = new CopyOnWriteArrayList<>();
        LocalSubscription here = new LocalSubscription(TOPIC, m -> threads.add(Thread.currentThread().getName()),
                s -> { });
        LocalDelivery delivery = new LocalDelivery(task -> {
            throw new AssertionError("no task may reach the executor");
        }, 0, 10, stats, Clock.systemUTC(), 60_000);

        assertThat(delivery.deliver(message(), List.of(here, here))).isEqualTo(2);
        delivery.completeOnHandlers(() -> threads.add("receipt on " + Thread.currentThread().getName()));

        String me = Thread.currentThread().getName();
        assertThat(threads).as("both handlers ran before deliver returned").containsExactly(me, me, "receipt on " + me);
        assertThat(stats.handed.sum()).isEqualTo(2);
    }

    @Test
    void withoutHandlerThreadsAHandlerThatDeliversAgainOnItsThreadIsNotNestedButRunsAfterIt() {
        List<String> order = new ArrayList<>();
        LocalDelivery[] delivery = new LocalDelivery[1];
        LocalSubscription[] echo = new LocalSubscription[1];
        int[] depth = new int[1];
        echo[0] = new LocalSubscription(TOPIC, m -> {
            depth[0]++;
            order.add("start " + m.payload()[0] + " at depth " + depth[0]);
            if (m.payload()[0] < 3) { // as a handler that publishes to its own topic on this node
                delivery[0].deliver(message((byte) (m.payload()[0] + 1)), List.of(echo[0]));
                delivery[0].completeOnHandlers(() -> order.add("receipt of " + m.payload()[0]));
            }
            order.add("end " + m.payload()[0]);
            depth[0]--;
        }, s -> { });
        delivery[0] = new LocalDelivery(Runnable::run, 0, 10, stats, Clock.systemUTC(), 60_000);

        delivery[0].deliver(message((byte) 1), List.of(echo[0]));

        assertThat(order).as("each in turn, in the order handed over, never one inside another").containsExactly(
                "start 1 at depth 1", "end 1", "start 2 at depth 1", "end 2", "receipt of 1", "start 3 at depth 1",
                "end 3", "receipt of 2");
    }

    @Test
    void withoutHandlerThreadsWhatWaitsBehindARunningHandlerIsBoundedByTheCapacity() {
        LocalDelivery[] delivery = new LocalDelivery[1];
        LocalSubscription[] flood = new LocalSubscription[1];
        flood[0] = new LocalSubscription(TOPIC, m -> {
            got.add(m);
            if (m.payload()[0] == 0) {
                for (int i = 0; i < 5; i++) {
                    delivery[0].deliver(message((byte) 1), List.of(flood[0]));
                }
            }
        }, s -> { });
        delivery[0] = new LocalDelivery(Runnable::run, 0, 3, stats, Clock.systemUTC(), 60_000);

        delivery[0].deliver(message((byte) 0), List.of(flood[0]));

        assertThat(got).as("the first message and the 3 that could wait behind it").hasSize(4);
        assertThat(stats.handlerRejected.sum()).isEqualTo(2);
        delivery[0].deliver(message((byte) 1), List.of(flood[0]));
        assertThat(got).as("room again once the handler returned").hasSize(5);
    }

    @Test
    void withoutHandlerThreadsAThrowingHandlerHarmsNeitherTheCallerNorTheHandlersAfterIt() {
        LocalSubscription throwing = new LocalSubscription(TOPIC, m -> {
            throw new IllegalStateException("handler bug");
        }, s -> { });
        LocalDelivery delivery = new LocalDelivery(Runnable::run, 0, 10, stats, Clock.systemUTC(), 60_000);

        assertThat(delivery.deliver(message(), List.of(throwing, subscription))).isEqualTo(2);

        assertThat(got).hasSize(1);
        assertThat(stats.handlerErrors.sum()).isEqualTo(1);
    }

    private Message message(byte first) {
        return new Message(MessageId.random(random), "default", TOPIC, new byte[] {first}, Qos.AT_MOST_ONCE,
                NodeId.of(new byte[32]), Instant.EPOCH);
    }

    private Message message() {
        return new Message(MessageId.random(random), "default", TOPIC, new byte[1], Qos.AT_MOST_ONCE,
                NodeId.of(new byte[32]), Instant.EPOCH);
    }
}
