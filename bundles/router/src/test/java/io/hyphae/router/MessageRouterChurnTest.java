package io.hyphae.router;

import static io.hyphae.router.Fixtures.endpoint;
import static io.hyphae.router.Fixtures.message;
import static io.hyphae.router.Fixtures.node;
import static io.hyphae.router.Fixtures.subscriber;
import static org.assertj.core.api.Assertions.assertThat;

import io.hyphae.api.NodeId;
import io.hyphae.api.Qos;
import io.hyphae.api.Topic;
import io.hyphae.spi.concurrent.VirtualTime;
import io.hyphae.spi.dht.Record;
import io.hyphae.spi.pubsub.Discovery;
import io.hyphae.spi.pubsub.Router.Delivery;
import io.hyphae.spi.pubsub.Subscriber;
import io.hyphae.spi.transport.Endpoint;
import io.hyphae.wire.Frames;
import io.hyphae.wire.RemoteErrorException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * QoS 1 while the subscriber's transports come and go: a busy subscriber, a refusing endpoint, a transport that
 * leaves mid-flight, an endpoint that stops answering, and a subscriber that moved to endpoints the publisher's
 * cached answer does not list, followed through discovery until the deadline.
 */
class MessageRouterChurnTest {
    private final VirtualTime time = new VirtualTime();
    private final NodeId self = node(1);
    private final NodeId peerId = node(2);
    private final Endpoint quicEndpoint = endpoint("quic", "q", peerId);
    private final Endpoint tcpEndpoint = endpoint("tcp", "t", peerId);
    private final FakeTransport quic = new FakeTransport("quic", time);
    private final FakeTransport tcp = new FakeTransport("tcp", time);
    private final FakeDiscovery discovery = new FakeDiscovery();

    private MessageRouter router() {
        MessageRouter r = new MessageRouter(RouterSettings.defaults().withRetry(200, 2.0, 5_000, 0), time.clock(),
                time, new Random(1), () -> discovery);
        r.addTransport(quic);
        r.addTransport(tcp);
        return r;
    }

    private CompletableFuture<Delivery> routeQos1(MessageRouter router, Endpoint... endpoints) {
        return router.route(message(time, self, Qos.AT_LEAST_ONCE), List.of(subscriber(peerId, endpoints)))
                .toCompletableFuture();
    }

    private static Frames.Ack ackOf(FakeTransport.Sent s) {
        return new Frames.Ack(((Frames.Route) s.frame()).id());
    }

    @Test
    void busySubscriberIsAskedAgainOnTheRetryTimerAndNeverCountedUnreachable() {
        int[] answered = {0};
        quic.refuser = s -> ++answered[0] <= 4
                ? new RemoteErrorException(Frames.Error.Code.UNAVAILABLE, "no message sink is registered") : null;
        quic.responder = MessageRouterChurnTest::ackOf;
        MessageRouter router = router();

        CompletableFuture<Delivery> d = routeQos1(router, quicEndpoint, tcpEndpoint);
        time.advance(Duration.ofSeconds(5));

        assertThat(d).isCompletedWithValue(new Delivery(1, 1, List.of()));
        assertThat(tcp.requests()).as("busy is not a broken endpoint: no fallback").isEmpty();
        assertThat(quic.requests()).extracting(s -> s.at().toEpochMilli() - quic.requests().get(0).at().toEpochMilli())
                .containsExactly(0L, 200L, 600L, 1_400L, 3_000L);
        assertThat(router.stats().get("router.busy")).isEqualTo(4);
        assertThat(router.stats().get("router.unreachable")).isZero();
        assertThat(discovery.asked).as("a busy subscriber is where it was").isEmpty();
    }

    @Test
    void endpointThatRefusesTheRouteFallsBackToTheNextAtOnce() {
        quic.refuser = s -> new RemoteErrorException(Frames.Error.Code.UNSUPPORTED, "no handler takes Route");
        tcp.responder = MessageRouterChurnTest::ackOf;
        MessageRouter router = router();

        CompletableFuture<Delivery> d = routeQos1(router, quicEndpoint, tcpEndpoint);
        time.advance(Duration.ofMillis(5));

        assertThat(d).isCompletedWithValue(new Delivery(1, 1, List.of()));
        assertThat(router.stats().get("router.refused")).isEqualTo(1);
        assertThat(router.stats().get("router.fallbacks")).isEqualTo(1);
    }

    @Test
    void transportLeavingMidFlightSendsAgainAtOnceAndItsLateTimeoutChangesNothing() {
        tcp.responder = MessageRouterChurnTest::ackOf;
        MessageRouter router = router();
        CompletableFuture<Delivery> d = routeQos1(router, quicEndpoint, tcpEndpoint);
        time.advance(Duration.ofMillis(50));
        assertThat(quic.requests()).hasSize(1);

        router.removeTransport(quic); // its request stays unanswered until it times out at 200 ms

        assertThat(tcp.requests()).as("at once, not at the retry 150 ms later").hasSize(1);
        time.advance(Duration.ofMillis(2));
        assertThat(d).isCompletedWithValue(new Delivery(1, 1, List.of()));
        time.advance(Duration.ofSeconds(40));
        assertThat(quic.requests()).hasSize(1);
        assertThat(tcp.requests()).hasSize(1);
    }

    @Test
    void endpointThatTimedOutIsTriedLastInTheNextRound() {
        tcp.responder = MessageRouterChurnTest::ackOf; // quic never answers: a peer whose quic port went silent
        MessageRouter router = router();

        CompletableFuture<Delivery> d = routeQos1(router, quicEndpoint, tcpEndpoint);
        time.advance(Duration.ofMillis(199));
        assertThat(d).isNotDone();
        time.advance(Duration.ofMillis(10));

        assertThat(d).isCompletedWithValue(new Delivery(1, 1, List.of()));
        assertThat(quic.requests()).hasSize(1);
        assertThat(tcp.requests()).singleElement().satisfies(s -> assertThat(s.at()).isEqualTo(
                quic.requests().get(0).at().plusMillis(200)));
    }

    @Test
    void subscriberThatMovedIsFollowedToTheEndpointsDiscoveryNamesNow() {
        // The cached answer lists only tcp, which stopped there; quic started there on a new port.
        Endpoint newQuic = new Endpoint("quic", "q", 7001, peerId);
        tcp.unreachable.add(tcpEndpoint);
        quic.responder = MessageRouterChurnTest::ackOf;
        discovery.answer = topic -> List.of(subscriber(peerId, newQuic));
        MessageRouter router = router();

        CompletableFuture<Delivery> d = routeQos1(router, tcpEndpoint);
        time.advance(Duration.ofMillis(5));

        assertThat(d).isCompletedWithValue(new Delivery(1, 1, List.of()));
        assertThat(quic.requests()).extracting(FakeTransport.Sent::to).containsExactly(newQuic);
        assertThat(discovery.asked).containsExactly(Fixtures.message(time, self, Qos.AT_LEAST_ONCE).topic());
        assertThat(router.stats().get("router.moved")).isEqualTo(1);
        assertThat(router.stats().get("router.unreachable")).isZero();
    }

    @Test
    void endpointThatNeverAnswersHasDiscoveryAskedWhereTheSubscriberListensNow() {
        // quic restarted there on another port: the old one swallows every dial until its connect timeout.
        Endpoint newQuic = new Endpoint("quic", "q", 7001, peerId);
        quic.responder = s -> s.to().equals(newQuic) ? ackOf(s) : null;
        discovery.answer = topic -> List.of(subscriber(peerId, newQuic, tcpEndpoint));
        MessageRouter router = router();
        router.removeTransport(tcp); // and tcp stopped here

        CompletableFuture<Delivery> d = routeQos1(router, quicEndpoint);
        time.advance(Duration.ofMillis(199));
        assertThat(d).isNotDone();
        time.advance(Duration.ofMillis(10));

        assertThat(d).isCompletedWithValue(new Delivery(1, 1, List.of()));
        assertThat(quic.requests()).extracting(FakeTransport.Sent::to).containsExactly(quicEndpoint, quicEndpoint,
                newQuic);
        assertThat(router.stats().get("router.moved")).isEqualTo(1);
    }

    @Test
    void slowSubscriberStillListedWhereItWasIsNotMoved() {
        int[] asked = {0};
        quic.responder = s -> ++asked[0] >= 3 ? ackOf(s) : null;
        discovery.answer = topic -> List.of(subscriber(peerId, quicEndpoint));
        MessageRouter router = router();

        CompletableFuture<Delivery> d = routeQos1(router, quicEndpoint);
        time.advance(Duration.ofMillis(700));

        assertThat(d).isCompletedWithValue(new Delivery(1, 1, List.of()));
        assertThat(quic.requests()).hasSize(3);
        assertThat(router.stats().get("router.moved")).isZero();
        assertThat(router.stats().get("router.unreachable")).isZero();
    }

    @Test
    void qos1KeepsGoingPastTheUnreachableRoundsUntilTheSubscriberReadvertises() {
        // No transport serves the cached endpoint any more, and the DHT still holds the old record for 5 s.
        Endpoint newQuic = new Endpoint("quic", "q", 7001, peerId);
        quic.responder = MessageRouterChurnTest::ackOf;
        long start = time.now().toEpochMilli();
        discovery.answer = topic -> time.now().toEpochMilli() - start < 5_000
                ? List.of(subscriber(peerId, tcpEndpoint)) : List.of(subscriber(peerId, newQuic));
        MessageRouter router = router();
        router.removeTransport(tcp);

        CompletableFuture<Delivery> d = routeQos1(router, tcpEndpoint);
        time.advance(Duration.ofMillis(4_999));
        assertThat(d).as("well past three failed rounds (1.4 s)").isNotDone();
        time.advance(Duration.ofMillis(1_500)); // the round at 6.2 s asks again and finds the new endpoint

        assertThat(d).isCompletedWithValue(new Delivery(1, 1, List.of()));
        assertThat(quic.requests()).extracting(FakeTransport.Sent::to).containsExactly(newQuic);
        assertThat(router.stats().get("router.unreachable")).isZero();
    }

    @Test
    void subscriberThatStillFailsIsUnreachableOnlyAtTheDeadline() {
        tcp.unreachable.add(tcpEndpoint);
        discovery.answer = topic -> List.of(subscriber(peerId, tcpEndpoint));
        MessageRouter router = router();

        CompletableFuture<Delivery> d = routeQos1(router, tcpEndpoint);
        time.advance(Duration.ofMillis(29_999));
        assertThat(d).isNotDone();
        time.advance(Duration.ofMillis(1));

        assertThat(d).isCompletedWithValue(new Delivery(1, 0, List.of(peerId)));
    }

    @Test
    void subscriberDiscoveryNoLongerNamesIsUnreachableAtOnce() {
        tcp.unreachable.add(tcpEndpoint);
        discovery.answer = topic -> List.of(); // it withdrew
        MessageRouter router = router();

        CompletableFuture<Delivery> d = routeQos1(router, tcpEndpoint);
        time.advance(Duration.ofMillis(2));

        assertThat(d).isCompletedWithValue(new Delivery(1, 0, List.of(peerId)));
        assertThat(router.stats().get("router.unreachable")).isEqualTo(1);
    }

    @Test
    void deliveriesThatFailTogetherAskDiscoveryOnce() {
        Endpoint newQuic = new Endpoint("quic", "q", 7001, peerId);
        tcp.unreachable.add(tcpEndpoint);
        quic.responder = MessageRouterChurnTest::ackOf;
        discovery.answer = topic -> List.of(subscriber(peerId, newQuic));
        discovery.answerAfter = Duration.ofMillis(20);
        MessageRouter router = router();

        List<CompletableFuture<Delivery>> all = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            all.add(routeQos1(router, tcpEndpoint));
        }
        time.advance(Duration.ofMillis(30));

        assertThat(all).allSatisfy(d -> assertThat(d).isCompletedWithValue(new Delivery(1, 1, List.of())));
        assertThat(discovery.asked).hasSize(1);
        assertThat(router.stats().get("router.rediscoveries")).isEqualTo(1);
        assertThat(router.stats().get("router.moved")).isEqualTo(10);
    }

    /** Answers rediscoveries from a function of the topic, after {@code answerAfter} on virtual time. */
    private final class FakeDiscovery implements Discovery {
        final List<Topic> asked = new ArrayList<>();
        Function<Topic, List<Subscriber>> answer = topic -> List.of();
        Duration answerAfter = Duration.ofMillis(1);

        @Override
        public Discovered discover(Topic topic, Waiter waiter) {
            throw new AssertionError("the router only rediscovers");
        }

        @Override
        public Discovered rediscover(Topic topic, Waiter waiter) {
            asked.add(topic);
            time.schedule(answerAfter, () -> waiter.onSubscribers(answer.apply(topic)));
            return new Discovered.QuerySent(asked.size(), 1, false);
        }

        @Override
        public void evict(Topic topic, NodeId subscriber) {
        }

        @Override
        public boolean withdrawn(Record withdrawal) {
            return false;
        }
    }
}
