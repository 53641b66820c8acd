package io.hyphae.router;

import static io.hyphae.router.Fixtures.node;
import static io.hyphae.router.Fixtures.subscriber;
import static org.assertj.core.api.Assertions.assertThat;

import io.hyphae.api.NodeId;
import io.hyphae.spi.pubsub.Subscriber;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PeerQueuesTest {
    private final NodeId a = node(1);
    private final NodeId b = node(2);

    @Test
    void aRouteTakesAPlaceWithEverySubscriberOrNone() {
        PeerQueues queues = new PeerQueues(2);
        List<Subscriber> both = List.of(subscriber(a), subscriber(b));
        assertThat(queues.reserveAll(List.of(subscriber(b)))).isNull();
        assertThat(queues.reserveAll(List.of(subscriber(b)))).isNull();
        assertThat(queues.reserveAll(both)).isEqualTo(b);
        assertThat(queues.outstanding(a)).as("given back").isZero();
        queues.release(b);
        assertThat(queues.reserveAll(both)).isNull();
        assertThat(queues.outstanding(a)).isEqualTo(1);
        assertThat(queues.outstanding(b)).isEqualTo(2);
    }

    @Test
    void placesGoBackThroughTheCountersTheyWereTakenIn() {
        PeerQueues queues = new PeerQueues(2);
        PeerQueues.Queue[] taken = new PeerQueues.Queue[2];
        assertThat(queues.reserveAll(List.of(subscriber(a), subscriber(b)), taken)).isNull();
        assertThat(taken).doesNotContainNull();
        queues.release(taken[0]);
        assertThat(queues.outstanding(a)).isZero();
        assertThat(queues.outstanding(b)).isEqualTo(1);

        PeerQueues.Queue[] again = new PeerQueues.Queue[1];
        assertThat(queues.reserveAll(List.of(subscriber(a)), again)).isNull();
        assertThat(again[0]).as("a's queue was retired at zero: a new one").isNotSameAs(taken[0]);
        assertThat(queues.outstanding(a)).isEqualTo(1);
        queues.release(again[0]);
        queues.release(taken[1]);
        assertThat(queues.outstanding(a)).isZero();
        assertThat(queues.outstanding(b)).isZero();

        PeerQueues.Queue[] full = new PeerQueues.Queue[2];
        queues.reserveAll(List.of(subscriber(b)));
        queues.reserveAll(List.of(subscriber(b)));
        assertThat(queues.reserveAll(List.of(subscriber(a), subscriber(b)), full)).isEqualTo(b);
        assertThat(queues.outstanding(a)).as("a's place given back when b was full").isZero();
    }

    /**
     * As the router uses it: places taken on a publisher's thread and given back on a transport thread, each side
     * seeing the other's count late. The bound holds, and every place comes back.
     */
    @Test
    void placesTakenOnOneThreadAndGivenBackOnAnotherStayWithinTheBoundAndAddUp() throws Exception {
        PeerQueues queues = new PeerQueues(64);
        List<Subscriber> one = List.of(subscriber(a));
        int messages = 200_000;
        BlockingQueue<PeerQueues.Queue> inFlight = new ArrayBlockingQueue<>(1024);
        AtomicInteger over = new AtomicInteger();
        Thread transport = new Thread(() -> {
            try {
                for (int i = 0; i < messages; i++) {
                    queues.release(inFlight.take());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        transport.start();
        PeerQueues.Queue[] taken = new PeerQueues.Queue[1];
        for (int i = 0; i < messages; i++) {
            while (queues.reserveAll(one, taken) != null) {
                Thread.onSpinWait(); // full: the transport gives places back meanwhile
            }
            if (queues.outstanding(a) > 64) {
                over.incrementAndGet();
            }
            inFlight.put(taken[0]);
        }
        transport.join(30_000);
        assertThat(transport.isAlive()).isFalse();
        assertThat(over.get()).as("never more than maxPerPeer outstanding").isZero();
        assertThat(queues.outstanding(a)).isZero();
        assertThat(queues.reserveAll(one)).isNull();
        assertThat(queues.outstanding(a)).isEqualTo(1);
    }

    /** Queues that drop to zero are retired and replaced while other threads reserve: no place is lost. */
    @Test
    void placesAddUpWhileCountersAreRetiredAndReplacedConcurrently() throws Exception {
        PeerQueues queues = new PeerQueues(3);
        List<Subscriber> one = List.of(subscriber(a));
        int threads = 4;
        int rounds = 50_000;
        AtomicInteger over = new AtomicInteger();
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> {
                try {
                    start.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                for (int i = 0; i < rounds; i++) {
                    if (queues.reserveAll(one) == null) {
                        if (queues.outstanding(a) > 3) {
                            over.incrementAndGet();
                        }
                        queues.release(a);
                    }
                }
            });
            workers.add(w);
            w.start();
        }
        for (Thread w : workers) {
            w.join();
        }
        assertThat(over.get()).as("never more than maxPerPeer outstanding").isZero();
        assertThat(queues.outstanding(a)).isZero();
        assertThat(queues.reserveAll(List.of(subscriber(a), subscriber(b)))).isNull();
        assertThat(queues.outstanding(a)).isEqualTo(1);
    }
}
