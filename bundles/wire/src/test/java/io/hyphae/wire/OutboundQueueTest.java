package io.hyphae.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.hyphae.spi.transport.TransportClosedException;
import io.hyphae.spi.transport.TransportException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/** The way out of a connection, with the network thread played by hand. */
class OutboundQueueTest {
    private final FakeSink sink = new FakeSink();
    private final LongAdder refused = new LongAdder();
    private final OutboundQueue queue = new OutboundQueue(sink, 1000, new ConcurrentLinkedQueue<>(), refused, "peer",
            "test");

    @Test
    void writesFromOtherThreadsAreDrainedByOneTaskAndFlushedOnce() {
        List<CompletableFuture<Void>> sent = List.of(write(10), write(20), write(30));

        assertThat(sink.tasks).hasSize(1);
        assertThat(sink.appended).isEmpty();
        sink.runTasks();

        assertThat(sink.appended).hasSize(3);
        assertThat(sink.flushes).isEqualTo(1);
        assertThat(sent).allMatch(CompletableFuture::isDone);
        assertThat(queue.queuedBytes()).isZero();
    }

    @Test
    void answersWrittenOnTheNetworkThreadAfterADrainLeaveInTheDrainsFlush() {
        write(10);
        sink.tasks.poll().run(); // the drain: appended, flush queued behind the tasks already waiting
        assertThat(sink.appended).hasSize(1);
        assertThat(sink.flushes).isZero();

        sink.inNetworkThread = true;
        write(20); // an answer written on the network thread in the same turn
        sink.runTasks();

        assertThat(sink.appended).hasSize(2);
        assertThat(sink.flushes).isEqualTo(1);
    }

    @Test
    void writeBeyondTheBoundFailsAtOnceButOneLargePacketMayGoAlone() {
        CompletableFuture<Void> alone = write(5000);
        CompletableFuture<Void> beyond = write(10);

        assertThat(beyond.handle((ok, e) -> e).join()).isInstanceOf(TransportException.class)
                .hasMessageContaining("full");
        assertThat(refused.sum()).isEqualTo(1);
        sink.runTasks();
        assertThat(alone).isCompleted();
        assertThat(write(900)).isNotDone();
    }

    @Test
    void networkThreadWriteIsFlushedWhenTheReadCompletesAndNotAgainAtTheEndOfTheTurn() {
        sink.inNetworkThread = true;
        write(10);
        assertThat(sink.appended).hasSize(1);

        queue.flushNow();
        sink.runTasks();

        assertThat(sink.flushes).isEqualTo(1);
    }

    @Test
    void writeAfterTheNetworkThreadStoppedFailsClosedAndFreesItsRoom() {
        sink.stopped = true;

        assertThat(write(10).handle((ok, e) -> e).join()).isInstanceOf(TransportClosedException.class)
                .hasMessageContaining("test transport");
        assertThat(queue.queuedBytes()).isZero();
    }

    private CompletableFuture<Void> write(int bytes) {
        OutboundPacket.Done packet = new OutboundPacket.Done(new byte[bytes]);
        queue.write(packet);
        return packet.done();
    }

    /** Appends to a list and sends the batch on flush; tasks wait until the test runs them. */
    private final class FakeSink implements OutboundQueue.Sink {
        final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
        final List<OutboundPacket> appended = new ArrayList<>();
        final List<OutboundPacket> batch = new ArrayList<>();
        boolean inNetworkThread;
        boolean stopped;
        int flushes;

        @Override
        public boolean inNetworkThread() {
            return inNetworkThread;
        }

        @Override
        public void execute(Runnable task) {
            if (stopped) {
                throw new RejectedExecutionException("stopped");
            }
            tasks.add(task);
        }

        @Override
        public void append(OutboundPacket packet) {
            appended.add(packet);
            batch.add(packet);
        }

        @Override
        public void flush() {
            flushes++;
            for (OutboundPacket packet : batch) {
                queue.free(packet.size());
                packet.sent();
            }
            batch.clear();
        }

        void runTasks() {
            Runnable next;
            while ((next = tasks.poll()) != null) {
                next.run();
            }
        }
    }
}
