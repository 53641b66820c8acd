package io.hyphae.dht;

import static org.assertj.core.api.Assertions.assertThat;

import io.hyphae.api.NodeId;
import io.hyphae.spi.concurrent.VirtualTime;
import io.hyphae.spi.dht.Contact;
import io.hyphae.spi.transport.Endpoint;
import io.hyphae.spi.transport.Frame;
import io.hyphae.spi.transport.InboundHandler;
import io.hyphae.spi.transport.Transport;
import io.hyphae.spi.transport.UnreachablePeerException;
import io.hyphae.wire.Frames;
import io.hyphae.wire.OvertakenDials;
import io.hyphae.wire.WireFrame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * A DHT request to a contact whose first endpoint is still being dialled (a QUIC dial where UDP is blocked) asks the
 * next endpoint too after the connection attempt delay; over a live connection it waits for its answer.
 */
class RpcRaceTest {
    private final VirtualTime time = new VirtualTime();
    private final DhtStats stats = new DhtStats();
    private final Rpc rpc = new Rpc(time.clock(), time, stats, () -> Duration.ofSeconds(5));
    private final NodeId peer = Ids.random(new Random(3));
    private final Endpoint quicEndpoint = new Endpoint("quic", "127.0.0.1", 4433, peer);
    private final Endpoint tcpEndpoint = new Endpoint("tcp", "127.0.0.1", 4433, peer);
    private final Contact contact = new Contact(peer, List.of(quicEndpoint, tcpEndpoint));
    private final Held quic = new Held("quic");
    private final Held tcp = new Held("tcp");
    private final WireFrame ping = new Frames.Ping(Ids.contact(Ids.random(new Random(4))));
    private final WireFrame pong = new Frames.Pong(contact);

    RpcRaceTest() {
        rpc.add("quic", quic);
        rpc.add("tcp", tcp);
    }

    @Test
    void aRequestWaitingForADialAsksTheNextEndpointTooAfterTheAttemptDelay() {
        quic.dialling.add(quicEndpoint);
        CompletableFuture<WireFrame> answer = rpc.call(contact, ping);

        time.advance(Duration.ofMillis(249));
        assertThat(tcp.asked).isEmpty();
        time.advance(Duration.ofMillis(1));
        assertThat(tcp.asked).hasSize(1);
        assertThat(answer).isNotDone();

        tcp.asked.get(0).complete(pong);
        assertThat(answer).isCompletedWithValue(pong);
        assertThat(stats.snapshot()).containsEntry("dht.rpc.raced", 1L);
        quic.asked.get(0).completeExceptionally(new UnreachablePeerException("connect timeout"));
        assertThat(answer).isCompletedWithValue(pong);
    }

    @Test
    void whileADialThatLostARaceIsInFlightTheNextRequestsAskTheOtherEndpointFirst() {
        quic.dialling.add(quicEndpoint);
        rpc.call(contact, ping);
        time.advance(Duration.ofMillis(250));
        assertThat(tcp.asked).hasSize(1);

        CompletableFuture<WireFrame> second = rpc.call(contact, ping);
        assertThat(tcp.asked).as("TCP at once").hasSize(2);
        assertThat(quic.asked).hasSize(1);
        tcp.asked.get(1).complete(pong);
        assertThat(second).isCompletedWithValue(pong);

        time.advance(Duration.ofMillis(OvertakenDials.FOR_MS));
        rpc.call(contact, ping);
        assertThat(quic.asked).as("QUIC first again once the race is old").hasSize(2);
    }

    @Test
    void aRequestOverALiveConnectionWaitsForItsAnswer() {
        CompletableFuture<WireFrame> answer = rpc.call(contact, ping);

        time.advance(Duration.ofSeconds(2));
        assertThat(tcp.asked).isEmpty();
        quic.asked.get(0).complete(pong);
        assertThat(answer).isCompletedWithValue(pong);
        assertThat(stats.snapshot()).containsEntry("dht.rpc.raced", 0L);
    }

    @Test
    void aFailedEndpointIsFollowedByTheNextAtOnce() {
        quic.dialling.add(quicEndpoint);
        CompletableFuture<WireFrame> answer = rpc.call(contact, ping);

        quic.asked.get(0).completeExceptionally(new UnreachablePeerException("held down"));
        assertThat(tcp.asked).hasSize(1);
        tcp.asked.get(0).complete(pong);
        assertThat(answer).isCompletedWithValue(pong);
        time.advance(Duration.ofSeconds(1));
        assertThat(tcp.asked).as("the race timer finds the endpoint asked already").hasSize(1);
        assertThat(stats.snapshot()).containsEntry("dht.rpc.raced", 0L);
    }

    @Test
    void theRequestFailsOnlyOnceEveryRacedEndpointFailed() {
        quic.dialling.add(quicEndpoint);
        CompletableFuture<WireFrame> answer = rpc.call(contact, ping);
        time.advance(Duration.ofMillis(250));

        tcp.asked.get(0).completeExceptionally(new UnreachablePeerException("refused"));
        assertThat(answer).as("the QUIC dial may still get through").isNotDone();
        quic.asked.get(0).completeExceptionally(new UnreachablePeerException("connect timeout"));
        assertThat(answer).isCompletedExceptionally();
    }

    @Test
    void aRacedEndpointThatAnswersAfterTheOtherFailedIsTheAnswer() {
        quic.dialling.add(quicEndpoint);
        CompletableFuture<WireFrame> answer = rpc.call(contact, ping);
        time.advance(Duration.ofMillis(250));

        tcp.asked.get(0).completeExceptionally(new UnreachablePeerException("refused"));
        quic.asked.get(0).complete(pong);
        assertThat(answer).isCompletedWithValue(pong);
    }

    /** A transport whose requests wait for the test to answer them; endpoints in {@link #dialling} are not connected. */
    private static final class Held implements Transport {
        final String scheme;
        final Set<Endpoint> dialling = new HashSet<>();
        final List<CompletableFuture<Frame>> asked = new ArrayList<>();

        Held(String scheme) {
            this.scheme = scheme;
        }

        @Override
        public String scheme() {
            return scheme;
        }

        @Override
        public List<Endpoint> localEndpoints() {
            return List.of();
        }

        @Override
        public boolean connectedTo(Endpoint to) {
            return !dialling.contains(to);
        }

        @Override
        public int maxFrameBytes() {
            return 1 << 20;
        }

        @Override
        public CompletionStage<Frame> request(Endpoint to, Frame request, Duration timeout) {
            CompletableFuture<Frame> answer = new CompletableFuture<>();
            asked.add(answer);
            return answer;
        }

        @Override
        public CompletionStage<Void> send(Endpoint to, Frame message) {
            throw new UnsupportedOperationException("the DHT only asks");
        }

        @Override
        public Registration register(InboundHandler handler) {
            return () -> { };
        }
    }
}
