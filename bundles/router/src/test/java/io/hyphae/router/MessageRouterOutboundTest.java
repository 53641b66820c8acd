package io.hyphae.router;

import static io.hyphae.router.Fixtures.endpoint;
import static io.hyphae.router.Fixtures.message;
import static io.hyphae.router.Fixtures.node;
import static io.hyphae.router.Fixtures.subscriber;
import static org.assertj.core.api.Assertions.assertThat;

import io.hyphae.api.BackpressureException;
import io.hyphae.api.Message;
import io.hyphae.api.NodeClosedException;
import io.hyphae.api.NodeId;
import io.hyphae.api.Qos;
import io.hyphae.spi.concurrent.VirtualTime;
import io.hyphae.spi.pubsub.Router.Delivery;
import io.hyphae.spi.pubsub.Subscriber;
import io.hyphae.spi.transport.Endpoint;
import io.hyphae.wire.Frames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class MessageRouterOutboundTest {
    private final VirtualTime time = new VirtualTime();
    private final NodeId self = node(1);
    private final NodeId peerId = node(2);
    private final Endpoint first = endpoint("mem", "first", peerId);
    private final Endpoint second = endpoint("mem", "second", peerId);
    private final FakeTransport mem = new FakeTransport("mem", time);

    private MessageRouter router(RouterSettings settings) {
        MessageRouter r = new MessageRouter(settings, time.clock(), time, new Random(1), w -> { });
        r.addTransport(mem);
        return r;
    }

    private static RouterSettings noJitter() {
        return RouterSettings.defaults().withRetry(200, 2.0, 5_000, 0);
    }

    private static Frames.Ack ackOf(FakeTransport.Sent s) {
        return new Frames.Ack(((Frames.Route) s.frame()).id());
    }

    @Test
    void qos0IsSentOnceOneWayAndCountsAsDelivered() {
        MessageRouter router = router(noJitter());
        CompletableFuture<Delivery> d = router.route(message(time, self, Qos.AT_MOST_ONCE),
                List.of(subscriber(peerId, first))).toCompletableFuture();
        time.advance(Duration.ofSeconds(60));
        assertThat(d).isCompletedWithValue(new Delivery(1, 1, List.of()));
        assertThat(mem.sent).singleElement().satisfies(s -> {
            assertThat(s.request()).isFalse();
            assertThat(((Frames.Route) s.frame()).hops()).isZero();
        });
    }

    @Test
    void aRouteWithACallbackIsToldItsOutcomeOnceAndARefusalBeforeRouteReturns() {
        MessageRouter router = router(noJitter().withMaxQueuedPerPeer(1));
        List<Object> told = new ArrayList<>();
        router.route(message(time, self, Qos.AT_MOST_ONCE), List.of(subscriber(peerId, first)),
                (delivery, failure) -> told.add(failure != null ? failure : delivery));
        time.advance(Duration.ofMillis(10));
        assertThat(told).containsExactly(new Delivery(1, 1, List.of()));

        router.route(message(time, self, Qos.AT_LEAST_ONCE), List.of(subscriber(peerId, first)),
                (delivery, failure) -> told.add(failure != null ? failure : delivery)); // holds the peer's one place
        router.route(message(time, self, Qos.AT_LEAST_ONCE), List.of(subscriber(peerId, first)),
                (delivery, failure) -> told.add(failure != null ? failure : delivery));
        assertThat(told).hasSize(2).last().isInstanceOf(BackpressureException.class);

        router.close();
        assertThat(told).hasSize(3).last().isInstanceOf(NodeClosedException.class);
        router.route(message(time, self, Qos.AT_MOST_ONCE), List.of(subscriber(peerId, first)),
                (delivery, failure) -> told.add(failure != null ? failure : delivery));
        assertThat(told).hasSize(4).last().isInstanceOf(NodeClosedException.class);
    }

    @Test
    void qos1IsRetriedWithExponentialBackoffUntilAcked() {
        MessageRouter router = router(noJitter());
        long start = time.now().toEpochMilli();
        CompletableFuture<Delivery> d = router.route(message(time, self, Qos.AT_LEAST_ONCE),
                List.of(subscriber(peerId, first))).toCompletableFuture();
        time.advance(Duration.ofMillis(16_100));
        assertThat(mem.requests()).extracting(s -> s.at().toEpochMilli() - start)
                .containsExactly(0L, 200L, 600L, 1_400L, 3_000L, 6_200L, 11_200L);
        assertThat(d).isNotDone();

        mem.responder = MessageRouterOutboundTest::ackOf;
        time.advance(Duration.ofMillis(200)); // the retry at 16,200 ms is answered
        assertThat(d).isCompletedWithValue(new Delivery(1, 1, List.of()));
        assertThat(router.stats().get("router.qos1.retries")).isEqualTo(7);
        assertThat(router.stats().get("router.acked")).isEqualTo(1);
        assertThat(router.outstanding(peerId)).isZero();
        time.advance(Duration.ofSeconds(60));
        assertThat(mem.requests()).hasSize(8);
    }

    @Test
    void acknowledgedQos1DeliveriesScheduleNoTimersOfTheirOwn() {
        CountingScheduler timers = new CountingScheduler(time);
        MessageRouter router = new MessageRouter(RouterSettings.defaults(), time.clock(), timers, new Random(1),
                w -> { });
        router.addTransport(mem);
        mem.responder = MessageRouterOutboundTest::ackOf;
        List<CompletableFuture<Delivery>> routed = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            routed.add(router.route(message(time, self, Qos.AT_LEAST_ONCE), List.of(subscriber(peerId, first)))
                    .toCompletableFuture());
        }
        time.advance(Duration.ofMillis(5));
        assertThat(routed).allSatisfy(d -> assertThat(d).isCompletedWithValue(new Delivery(1, 1, List.of())));
        time.advance(Duration.ofSeconds(60));
        assertThat(timers.scheduled.get()).as("one shared first-retry sweep, no retry or deadline per message")
                .isLessThanOrEqualTo(2);
        assertThat(router.stats().get("router.qos1.retries")).isZero();
    }

    @Test
    void jitterMovesEachDelayWithinItsShareAndNeverPastTheCap() {
        Backoff backoff = new Backoff(RouterSettings.defaults(), new Random(3));
        for (int i = 0; i < 200; i++) {
            assertThat(backoff.delay(0).toMillis()).isBetween(160L, 240L);
            assertThat(backoff.delay(20).toMillis()).isBetween(4_000L, 5_000L);
        }
    }

    @Test
    void qos1PastItsDeadlineIsNotDelivered() {
        MessageRouter router = router(noJitter().withQos1DeadlineMs(2_000));
        CompletableFuture<Delivery> d = router.route(message(time, self, Qos.AT_LEAST_ONCE),
                List.of(subscriber(peerId, first))).toCompletableFuture();
        time.advance(Duration.ofMillis(1_999));
        assertThat(d).isNotDone();
        time.advance(Duration.ofMillis(1));
        assertThat(d).isCompletedWithValue(new Delivery(1, 0, List.of()));
        assertThat(router.stats().get("router.qos1.expired")).isEqualTo(1);
        assertThat(router.outstanding(peerId)).isZero();
    }

    @Test
    void fullPeerQueueRefusesTheRouteWithBackpressureAndFreesWhenDone() {
        MessageRouter router = router(noJitter().withMaxQueuedPerPeer(2).withQos1DeadlineMs(1_000));
        NodeId other = node(3);
        List<Subscriber> both = List.of(subscriber(other, endpoint("mem", "o", other)), subscriber(peerId, first));
        router.route(message(time, self, Qos.AT_LEAST_ONCE), both);
        router.route(message(time, self, Qos.AT_LEAST_ONCE), List.of(subscriber(peerId, first)));

        CompletableFuture<Delivery> refused = router.route(message(time, self, Qos.AT_LEAST_ONCE), both)
                .toCompletableFuture();
        assertThat(refused).isCompletedExceptionally();
        assertThat(refused.handle((v, e) -> e).join()).isInstanceOf(BackpressureException.class)
                .hasMessageContaining(peerId.shortHex()).hasMessageContaining("maxQueuedPerPeer 2");
        assertThat(router.outstanding(other)).as("all or nothing").isEqualTo(1);
        assertThat(router.stats().get("router.backpressure")).isEqualTo(1);

        time.advance(Duration.ofSeconds(2));
        assertThat(router.outstanding(peerId)).isZero();
        assertThat(router.route(message(time, self, Qos.AT_LEAST_ONCE), both).toCompletableFuture()).isNotDone();
    }

    @Test
    void failedEndpointFallsBackToTheNextOne() {
        mem.unreachable.add(first);
        mem.responder = MessageRouterOutboundTest::ackOf;
        MessageRouter router = router(noJitter());
        Endpoint noTransport = endpoint("quic", "q", peerId);
        CompletableFuture<Delivery> d = router.route(message(time, self, Qos.AT_LEAST_ONCE),
                List.of(subscriber(peerId, noTransport, first, second))).toCompletableFuture();
        time.advance(Duration.ofMillis(10));
        assertThat(d).isCompletedWithValue(new Delivery(1, 1, List.of()));
        assertThat(mem.requests()).extracting(FakeTransport.Sent::to).containsExactly(first, second);
        assertThat(router.stats().get("router.fallbacks")).isEqualTo(1);
    }

    @Test
    void qos0ToASubscriberWithNoWorkingEndpointIsUnreachable() {
        mem.unreachable.add(first);
        mem.unreachable.add(second);
        MessageRouter router = router(noJitter());
        CompletableFuture<Delivery> d = router.route(message(time, self, Qos.AT_MOST_ONCE),
                List.of(subscriber(peerId, first, second))).toCompletableFuture();
        assertThat(d).isCompletedWithValue(new Delivery(1, 0, List.of(peerId)));
    }

    /** One route's outcome gathers every subscriber's: the result waits for the last, and names the unreachable. */
    @Test
    void routeToSeveralSubscribersCountsEachOutcome() {
        NodeId gone = node(3);
        NodeId alsoGone = node(4);
        Endpoint nowhere = endpoint("mem", "nowhere", gone);
        Endpoint nowhereElse = endpoint("mem", "nowhere-else", alsoGone);
        mem.unreachable.add(nowhere);
        mem.unreachable.add(nowhereElse);
        MessageRouter router = router(noJitter());
        CompletableFuture<Delivery> d = router.route(message(time, self, Qos.AT_MOST_ONCE), List.of(
                subscriber(gone, nowhere), subscriber(peerId, first), subscriber(alsoGone, nowhereElse)))
                .toCompletableFuture();
        assertThat(d).isCompleted();
        assertThat(d.join().subscribers()).isEqualTo(3);
        assertThat(d.join().delivered()).isEqualTo(1);
        assertThat(d.join().unreachable()).containsExactlyInAnyOrder(gone, alsoGone);
    }

    @Test
    void qos1IsUnreachableAfterThreeFailedRoundsWithoutWaitingForTheDeadline() {
        mem.unreachable.add(first);
        MessageRouter router = router(noJitter());
        CompletableFuture<Delivery> d = router.route(message(time, self, Qos.AT_LEAST_ONCE),
                List.of(subscriber(peerId, first))).toCompletableFuture();
        time.advance(Duration.ofMillis(599));
        assertThat(d).isNotDone();
        time.advance(Duration.ofMillis(1));
        assertThat(d).isCompletedWithValue(new Delivery(1, 0, List.of(peerId)));
        assertThat(router.stats().get("router.unreachable")).isEqualTo(1);
    }

    @Test
    void transportThatLeavesMidFlightHasItsQos1MessagesRetriedOverAnother() {
        FakeTransport tcp = new FakeTransport("tcp", time);
        tcp.responder = MessageRouterOutboundTest::ackOf;
        MessageRouter router = router(noJitter());
        router.addTransport(tcp);
        Endpoint overTcp = endpoint("tcp", "t", peerId);
        CompletableFuture<Delivery> d = router.route(message(time, self, Qos.AT_LEAST_ONCE),
                List.of(subscriber(peerId, first, overTcp))).toCompletableFuture();
        time.advance(Duration.ofMillis(100));
        assertThat(mem.requests()).hasSize(1);
        assertThat(tcp.requests()).isEmpty();

        router.removeTransport(mem);
        assertThat(tcp.requests()).as("sent at once, not at the next retry").hasSize(1);
        assertThat(mem.handlers).as("inbound handler unregistered").isEmpty();
        time.advance(Duration.ofMillis(10));
        assertThat(d).isCompletedWithValue(new Delivery(1, 1, List.of()));
        assertThat(router.stats().get("router.transport.lost")).isEqualTo(1);
    }

    @Test
    void oneWayAckFromTheSubscriberCompletesTheDelivery() {
        MessageRouter router = router(noJitter());
        Message m = message(time, self, Qos.AT_LEAST_ONCE);
        CompletableFuture<Delivery> d = router.route(m, List.of(subscriber(peerId, first))).toCompletableFuture();
        mem.inboundMessage(Fixtures.peer(node(9)), new Frames.Ack(m.id()));
        assertThat(d).as("an ack from another node does not count").isNotDone();
        mem.inboundMessage(Fixtures.peer(peerId), new Frames.Ack(m.id()));
        assertThat(d).isCompletedWithValue(new Delivery(1, 1, List.of()));
        assertThat(router.stats().get("router.stale.acks")).isEqualTo(1);
    }

    @Test
    void subscriberListedTwiceGetsTheMessageOnce() {
        MessageRouter router = router(noJitter());
        CompletableFuture<Delivery> d = router.route(message(time, self, Qos.AT_MOST_ONCE),
                List.of(subscriber(peerId, first), subscriber(peerId, second))).toCompletableFuture();
        assertThat(d).isCompletedWithValue(new Delivery(1, 1, List.of()));
        assertThat(mem.sent).hasSize(1);
    }

    @Test
    void closeEndsWhatIsInFlightWithNodeClosed() {
        MessageRouter router = router(noJitter());
        CompletableFuture<Delivery> d = router.route(message(time, self, Qos.AT_LEAST_ONCE),
                List.of(subscriber(peerId, first))).toCompletableFuture();
        router.close();
        assertThat(d.handle((v, e) -> e).join()).isInstanceOf(NodeClosedException.class);
        assertThat(router.route(message(time, self, Qos.AT_MOST_ONCE), List.of()).toCompletableFuture()
                .isCompletedExceptionally()).isTrue();
        assertThat(mem.handlers).isEmpty();
        time.advance(Duration.ofSeconds(60));
        assertThat(mem.requests()).hasSize(1);
    }
}
