package io.hyphae.router;

import static io.hyphae.router.Fixtures.endpoint;
import static io.hyphae.router.Fixtures.message;
import static io.hyphae.router.Fixtures.node;
import static io.hyphae.router.Fixtures.subscriber;
import static org.assertj.core.api.Assertions.assertThat;

import io.hyphae.api.NodeId;
import io.hyphae.api.Qos;
import io.hyphae.spi.concurrent.VirtualTime;
import io.hyphae.spi.pubsub.Router.Delivery;
import io.hyphae.spi.transport.Endpoint;
import io.hyphae.spi.transport.UnreachablePeerException;
import io.hyphae.wire.Frames;
import io.hyphae.wire.OvertakenDials;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A QoS 0 send that waits for a dial races the subscriber's next endpoint after the connection attempt delay (250
 * ms), as where UDP is blocked and a QUIC dial never answers; a send over a live connection never does. A dial that
 * lost a race (to a QoS 0 race or a QoS 1 retry) is tried last by the deliveries after it, for a while.
 */
class DialRaceTest {
    private final VirtualTime time = new VirtualTime();
    private final NodeId self = node(1);
    private final NodeId peerId = node(2);
    private final Endpoint quicEndpoint = endpoint("quic", "q", peerId);
    private final Endpoint tcpEndpoint = endpoint("tcp", "t", peerId);
    private final FakeTransport quic = new FakeTransport("quic", time);
    private final FakeTransport tcp = new FakeTransport("tcp", time);
    private final CountingScheduler timers = new CountingScheduler(time);
    private final MessageRouter router = new MessageRouter(RouterSettings.defaults(), time.clock(), timers,
            new Random(1), w -> { });

    DialRaceTest() {
        router.addTransport(quic);
        router.addTransport(tcp);
    }

    private CompletableFuture<Delivery> publish(Endpoint... endpoints) {
        return router.route(message(time, self, Qos.AT_MOST_ONCE), List.of(subscriber(peerId, endpoints)))
                .toCompletableFuture();
    }

    private long counter(String name) {
        return router.stats().get(name);
    }

    @Test
    void aSendWaitingForADialGoesOverTheNextEndpointTooAfterTheAttemptDelay() {
        quic.dialling.add(quicEndpoint);
        CompletableFuture<Delivery> d = publish(quicEndpoint, tcpEndpoint);

        time.advance(Duration.ofMillis(249));
        assertThat(d).isNotDone();
        assertThat(tcp.sent).isEmpty();

        time.advance(Duration.ofMillis(1));
        assertThat(tcp.sent).singleElement().satisfies(s -> assertThat(s.frame()).isEqualTo(quic.sent.get(0).frame()));
        assertThat(d).isCompletedWithValue(new Delivery(1, 1, List.of()));
        assertThat(counter("router.raced")).isOne();

        quic.held.get(0).completeExceptionally(new UnreachablePeerException("connect timeout"));
        time.advance(Duration.ofSeconds(10));
        assertThat(counter("router.delivered")).isOne();
        assertThat(counter("router.unreachable")).isZero();
    }

    @Test
    void whileADialThatLostARaceIsInFlightNewDeliveriesTryItsEndpointLast() {
        quic.dialling.add(quicEndpoint);
        publish(quicEndpoint, tcpEndpoint);
        time.advance(Duration.ofMillis(250));
        assertThat(tcp.sent).hasSize(1);

        CompletableFuture<Delivery> second = publish(quicEndpoint, tcpEndpoint);
        assertThat(second).as("over TCP at once").isCompletedWithValue(new Delivery(1, 1, List.of()));
        assertThat(tcp.sent).hasSize(2);
        assertThat(quic.sent).as("nothing more queued behind the dial").hasSize(1);

        time.advance(Duration.ofMillis(OvertakenDials.FOR_MS - 1));
        publish(quicEndpoint, tcpEndpoint);
        assertThat(quic.sent).as("still last just before it expires").hasSize(1);
        time.advance(Duration.ofMillis(1));
        CompletableFuture<Delivery> later = publish(quicEndpoint, tcpEndpoint);
        assertThat(quic.sent).as("first again: the dial may have come up, or failed and be held down").hasSize(2);
        assertThat(tcp.sent).hasSize(3);
        time.advance(Duration.ofMillis(250));
        assertThat(tcp.sent).as("raced again").hasSize(4);
        assertThat(later).isCompletedWithValue(new Delivery(1, 1, List.of()));
        assertThat(counter("router.raced")).isEqualTo(2);
    }

    @Test
    void aDialThatComesUpAfterLosingARaceIsFirstAgainAtOnce() {
        quic.dialling.add(quicEndpoint);
        publish(quicEndpoint, tcpEndpoint);
        time.advance(Duration.ofMillis(250));
        assertThat(tcp.sent).hasSize(1);

        quic.dialling.remove(quicEndpoint);
        quic.held.get(0).complete(null); // the dial came up late
        CompletableFuture<Delivery> next = publish(quicEndpoint, tcpEndpoint);
        assertThat(next).isCompletedWithValue(new Delivery(1, 1, List.of()));
        assertThat(quic.sent).hasSize(2);
        assertThat(tcp.sent).hasSize(1);
    }

    @Test
    void aQos1RetryPastADialMakesLaterQos1DeliveriesTryItsEndpointLast() {
        quic.dialling.add(quicEndpoint);
        tcp.responder = s -> new Frames.Ack(((Frames.Route) s.frame()).id());
        CompletableFuture<Delivery> first = router.route(message(time, self, Qos.AT_LEAST_ONCE),
                List.of(subscriber(peerId, quicEndpoint, tcpEndpoint))).toCompletableFuture();
        assertThat(quic.sent).hasSize(1);
        time.advance(Duration.ofMillis(250)); // past the first retry (200 ms, jittered)
        assertThat(first).isCompletedWithValue(new Delivery(1, 1, List.of()));

        CompletableFuture<Delivery> second = router.route(message(time, self, Qos.AT_LEAST_ONCE),
                List.of(subscriber(peerId, quicEndpoint, tcpEndpoint))).toCompletableFuture();
        time.advance(Duration.ofMillis(5));
        assertThat(second).isCompletedWithValue(new Delivery(1, 1, List.of()));
        assertThat(quic.sent).as("the second went over TCP first").hasSize(1);
        assertThat(counter("router.qos1.retries")).isOne();
    }

    @Test
    void aSendOverALiveConnectionIsNeverRacedAndArmsNoTimer() {
        quic.stalled.add(quicEndpoint);
        int before = timers.scheduled.get();
        CompletableFuture<Delivery> d = publish(quicEndpoint, tcpEndpoint);

        time.advance(Duration.ofSeconds(10));
        assertThat(tcp.sent).isEmpty();
        assertThat(d).isNotDone();
        assertThat(timers.scheduled.get()).isEqualTo(before);

        quic.held.get(0).complete(null);
        assertThat(d).isCompletedWithValue(new Delivery(1, 1, List.of()));
        assertThat(counter("router.raced")).isZero();
    }

    @Test
    void aDialThatComesUpWithinTheDelayIsNotRaced() {
        quic.dialling.add(quicEndpoint);
        CompletableFuture<Delivery> d = publish(quicEndpoint, tcpEndpoint);

        time.advance(Duration.ofMillis(100));
        quic.held.get(0).complete(null);
        time.advance(Duration.ofSeconds(1));
        assertThat(d).isCompletedWithValue(new Delivery(1, 1, List.of()));
        assertThat(tcp.sent).isEmpty();
        assertThat(counter("router.raced")).isZero();
    }

    @Test
    void anEndpointThatFailsAtOnceFallsBackAtOnceWithoutATimer() {
        quic.dialling.add(quicEndpoint); // held down: no connection, and a use fails at once
        quic.unreachable.add(quicEndpoint);
        int before = timers.scheduled.get();
        CompletableFuture<Delivery> d = publish(quicEndpoint, tcpEndpoint);

        assertThat(d).isCompletedWithValue(new Delivery(1, 1, List.of()));
        assertThat(tcp.sent).hasSize(1);
        assertThat(counter("router.fallbacks")).isOne();
        assertThat(counter("router.raced")).isZero();
        assertThat(timers.scheduled.get()).isEqualTo(before);
    }

    @Test
    void theLastEndpointIsNotRaced() {
        quic.dialling.add(quicEndpoint);
        CompletableFuture<Delivery> d = publish(quicEndpoint);

        time.advance(Duration.ofSeconds(10));
        assertThat(d).isNotDone();
        assertThat(quic.sent).hasSize(1);
        assertThat(counter("router.raced")).isZero();

        quic.held.get(0).complete(null);
        assertThat(d).isCompletedWithValue(new Delivery(1, 1, List.of()));
    }

    @Test
    void theRoundFailsOnlyOnceTheRacedSendFailedToo() {
        quic.dialling.add(quicEndpoint);
        tcp.unreachable.add(tcpEndpoint);
        CompletableFuture<Delivery> d = publish(quicEndpoint, tcpEndpoint);

        time.advance(Duration.ofMillis(250));
        assertThat(tcp.sent).hasSize(1);
        assertThat(d).as("the QUIC dial may still get through").isNotDone();

        quic.held.get(0).completeExceptionally(new UnreachablePeerException("connect timeout"));
        assertThat(d).isCompletedWithValue(new Delivery(1, 0, List.of(peerId)));
        assertThat(counter("router.unreachable")).isOne();
    }

    @Test
    void aRacedSendThatGetsThroughAfterTheOtherFailedDelivers() {
        quic.dialling.add(quicEndpoint);
        tcp.unreachable.add(tcpEndpoint);
        CompletableFuture<Delivery> d = publish(quicEndpoint, tcpEndpoint);

        time.advance(Duration.ofSeconds(2));
        assertThat(d).isNotDone();
        quic.held.get(0).complete(null);
        assertThat(d).isCompletedWithValue(new Delivery(1, 1, List.of()));
        assertThat(counter("router.unreachable")).isZero();
    }

    @Test
    void aRaceOverAnotherDiallingEndpointRacesTheOneAfterItInTurn() {
        Endpoint tcpElsewhere = endpoint("tcp", "t2", peerId);
        quic.dialling.add(quicEndpoint);
        tcp.dialling.add(tcpEndpoint);
        CompletableFuture<Delivery> d = publish(quicEndpoint, tcpEndpoint, tcpElsewhere);

        time.advance(Duration.ofMillis(250));
        assertThat(tcp.sent).extracting(FakeTransport.Sent::to).containsExactly(tcpEndpoint);
        time.advance(Duration.ofMillis(250));
        assertThat(tcp.sent).extracting(FakeTransport.Sent::to).containsExactly(tcpEndpoint, tcpElsewhere);
        assertThat(d).isCompletedWithValue(new Delivery(1, 1, List.of()));
        assertThat(counter("router.raced")).isEqualTo(2);
    }
}
