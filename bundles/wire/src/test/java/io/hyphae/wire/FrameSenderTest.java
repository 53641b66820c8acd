package io.hyphae.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.hyphae.api.MessageId;
import io.hyphae.api.NodeId;
import io.hyphae.api.Qos;
import io.hyphae.api.Topic;
import io.hyphae.spi.concurrent.VirtualTime;
import io.hyphae.spi.dht.Contact;
import io.hyphae.spi.transport.Endpoint;
import io.hyphae.spi.transport.Frame;
import io.hyphae.spi.transport.TransportClosedException;
import io.hyphae.spi.transport.TransportException;
import io.hyphae.spi.transport.UnreachablePeerException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/** Request and send over a link, without a network: what the link gets and how the stages end. */
class FrameSenderTest {
    private static final NodeId PEER = node(7);
    private static final Endpoint TO = new Endpoint("test", "127.0.0.1", 1, PEER);
    private static final Duration DEADLINE = Duration.ofSeconds(5);

    private final VirtualTime time = new VirtualTime();
    private final FrameCodec codec = new FrameCodec();
    private final PendingRequests pending = new PendingRequests(time, new LongAdder(), new LongAdder());
    private final LongAdder refusedBySize = new LongAdder();
    private final RecordingLink link = new RecordingLink();
    private CompletableFuture<RecordingLink> dial = CompletableFuture.completedFuture(link);
    private boolean closed;
    private final FrameSender<RecordingLink> sender = new FrameSender<>("test", codec, pending, refusedBySize,
            to -> dial, () -> closed);

    @Test
    void requestToAConnectedPeerIsWrittenAtOnceAndAnsweredThroughThePendingTable() {
        CompletableFuture<Frame> answer = sender.request(TO, ping(), DEADLINE).toCompletableFuture();

        assertThat(link.written).hasSize(1);
        Packet written = codec.decode(link.written.get(0).bytes());
        assertThat(written.kind()).isEqualTo(Packet.Kind.REQUEST);
        assertThat(written.frame()).isEqualTo(ping());
        pending.answer(written.requestId(), PEER, new Frames.Stored(3));
        assertThat(answer.join()).isEqualTo(new Frames.Stored(3));
    }

    @Test
    void sendWaitsForTheDialAndCompletesWhenTheLinkSentIt() {
        dial = new CompletableFuture<>();
        CompletableFuture<Void> sent = sender.send(TO, ping()).toCompletableFuture();
        assertThat(link.written).isEmpty();

        dial.complete(link);
        assertThat(sent).isNotDone();
        link.written.get(0).sent();

        assertThat(sent).isCompleted();
        assertThat(codec.decode(link.written.get(0).bytes()).kind()).isEqualTo(Packet.Kind.ONE_WAY);
    }

    @Test
    void failedWriteFailsTheRequestAndAFailedDialTheSend() {
        CompletableFuture<Frame> answer = sender.request(TO, ping(), DEADLINE).toCompletableFuture();
        link.written.get(0).failed(new UnreachablePeerException("lost"));
        dial = CompletableFuture.failedFuture(new IllegalStateException("no route"));
        CompletableFuture<Void> sent = sender.send(TO, ping()).toCompletableFuture();

        assertThat(answer.handle((ok, e) -> e).join()).isInstanceOf(UnreachablePeerException.class)
                .hasMessage("lost");
        assertThat(sent.handle((ok, e) -> e).join()).isInstanceOf(UnreachablePeerException.class)
                .hasMessageContaining("no route");
        assertThat(pending.size()).isZero();
    }

    @Test
    void otherSchemeClosedTransportAndOversizedFramesAreRefusedBeforeTheLink() {
        Endpoint elsewhere = new Endpoint("other", "127.0.0.1", 1, PEER);
        Frames.Error huge = new Frames.Error(Frames.Error.Code.INTERNAL, "x".repeat(WireLimits.MAX_FRAME_BYTES));

        assertThat(sender.send(elsewhere, ping()).toCompletableFuture().handle((ok, e) -> e).join())
                .isInstanceOf(TransportException.class).hasMessageContaining("other");
        assertThat(sender.send(TO, huge).toCompletableFuture().handle((ok, e) -> e).join())
                .isInstanceOf(TransportException.class).hasMessageContaining("refused");
        closed = true;
        assertThat(sender.request(TO, ping(), DEADLINE).toCompletableFuture().handle((ok, e) -> e).join())
                .isInstanceOf(TransportClosedException.class);
        assertThat(link.written).isEmpty();
        assertThat(refusedBySize.sum()).isEqualTo(1);
    }

    @Test
    void aRouteGoesToTheLinkUnencodedAndItsOutcomeIsToldOnce() {
        List<Throwable> told = new ArrayList<>();
        Frames.Route route = route("a.b", 256);
        sender.send(TO, route, (ok, failure) -> told.add(failure));

        OutboundPacket packet = link.written.get(0);
        assertThat(packet.route()).as("laid out later, by its stream").isEqualTo(Packet.oneWay(route));
        byte[] encoded = codec.encode(Packet.oneWay(route));
        assertThat(packet.size()).isEqualTo(encoded.length + Integer.BYTES);
        assertThat(packet.bytes()).isEqualTo(encoded);
        assertThat(told).isEmpty();
        packet.sent();
        assertThat(told).containsExactly((Throwable) null);

        sender.send(TO, route("a.b", 3), (ok, failure) -> told.add(failure));
        link.written.get(1).failed(new UnreachablePeerException("lost"));
        assertThat(told).hasSize(2).last().isInstanceOf(UnreachablePeerException.class);
    }

    @Test
    void aRouteOverTheLimitsIsToldItsRefusalAtOnceAndOneWithOtherTextIsEncodedAtOnce() {
        List<Throwable> told = new ArrayList<>();
        sender.send(TO, route("a.b", WireLimits.MAX_PAYLOAD_BYTES + 1), (ok, failure) -> told.add(failure));
        assertThat(told).singleElement().isInstanceOf(TransportException.class)
                .extracting(Throwable::getMessage).asString().contains("refused");
        assertThat(link.written).isEmpty();
        assertThat(refusedBySize.sum()).isEqualTo(1);

        sender.send(TO, route("réalm", "a.b", 3), (ok, failure) -> told.add(failure));
        assertThat(link.written.get(0).route()).as("not ASCII: encoded by the general writer here").isNull();
        assertThat(codec.decode(link.written.get(0).bytes()).frame()).isInstanceOf(Frames.Route.class);
    }

    @Test
    void aCallbackThatThrowsDoesNotThrowIntoTheConnection() {
        sender.send(TO, route("a.b", 3), (ok, failure) -> {
            throw new IllegalStateException("a broken caller");
        });
        link.written.get(0).sent(); // logged, not thrown: the connection goes on with its other packets
    }

    private static Frames.Route route(String topic, int payloadBytes) {
        return route("default", topic, payloadBytes);
    }

    private static Frames.Route route(String realm, String topic, int payloadBytes) {
        return new Frames.Route(MessageId.ofSequence(1, 2), realm, Topic.of(topic), new byte[payloadBytes],
                Qos.AT_MOST_ONCE, node(3), Instant.ofEpochMilli(1_700_000_000_000L), 0);
    }

    private static Frames.Ping ping() {
        return new Frames.Ping(new Contact(node(1), List.of()));
    }

    private static NodeId node(int fill) {
        byte[] bytes = new byte[NodeId.BYTES];
        Arrays.fill(bytes, (byte) fill);
        return NodeId.of(bytes);
    }

    private static final class RecordingLink implements FrameSender.Link {
        final List<OutboundPacket> written = new ArrayList<>();

        @Override
        public void write(OutboundPacket packet) {
            written.add(packet);
        }
    }
}
