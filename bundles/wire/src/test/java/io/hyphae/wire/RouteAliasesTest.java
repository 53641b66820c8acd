package io.hyphae.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hyphae.api.Message;
import io.hyphae.api.MessageId;
import io.hyphae.api.NodeId;
import io.hyphae.api.Qos;
import io.hyphae.api.Topic;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Routes by alias on one stream: what the sender writes, what the receiver reads back, and what it refuses. */
class RouteAliasesTest {
    private final FrameCodec codec = new FrameCodec();
    private final SplittableRandom random = new SplittableRandom(12);
    private final NodeId alice = node(1);
    private final NodeId bob = node(2);

    @Test
    void aStreamOfRoutesIsReadBackAsTheSameRoutesWithTheirNamesSentOncePerTriple() {
        RouteAliases.Out out = new RouteAliases.Out();
        RouteAliases.In in = new RouteAliases.In();
        List<Packet> sent = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String topic = "sensors.t" + (i % 3);
            sent.add(Packet.oneWay(route("default", topic, i % 5 == 0 ? bob : alice, 1 + random.nextInt(600))));
        }
        int full = 0;
        int compacted = 0;
        for (Packet packet : sent) {
            byte[] bytes = codec.encode(packet);
            byte[] wire = wire(out, bytes);
            full += bytes.length;
            compacted += wire.length;
            assertThat(codec.decode(wire, 0, wire.length, in)).isEqualTo(packet);
        }
        // 6 triples defined once each; every other route drops realm, topic and publisher (about 58 bytes here)
        assertThat(full - compacted).isGreaterThan(294 * 50);
    }

    @Test
    void aRouteByAliasOf256BytesIsAtLeast50BytesShorterThanInFull() {
        RouteAliases.Out out = new RouteAliases.Out();
        Packet packet = Packet.oneWay(route("default", "bench.pubsub", alice, 256));
        byte[] bytes = codec.encode(packet);
        byte[] defining = wire(out, bytes);
        byte[] byAlias = wire(out, codec.encode(Packet.oneWay(route("default", "bench.pubsub", alice, 256))));

        assertThat(defining.length).isEqualTo(bytes.length + 1); // the alias
        assertThat(bytes.length - byAlias.length).isGreaterThanOrEqualTo(50);
        assertThat(defining[4] & 0xFF).as("frame type").isEqualTo(RouteAliases.DEFINE);
        assertThat(byAlias[4] & 0xFF).isEqualTo(RouteAliases.BY_ALIAS);
    }

    /** A publisher numbers its ids in one stream: each route after the first gives its id and time by distance. */
    @Test
    void routesThatFollowThePreviousOneTravelAsNextAndReadBackTheSame() {
        RouteAliases.Out out = new RouteAliases.Out();
        RouteAliases.In in = new RouteAliases.In();
        long stream = 0x5EED_1234_5678_9ABCL;
        long[] sequences = {100, 101, 103, 103 + RouteAliases.MAX_STEP, 102, 103, Long.MAX_VALUE, Long.MIN_VALUE};
        long[] times = {1_700_000_000_000L, 1_700_000_000_000L, 1_700_000_000_007L, 1_700_000_000_001L,
            1_700_000_000_001L, 1_700_000_000_001L + Integer.MAX_VALUE + 1L, 5, 5};
        int[] types = {RouteAliases.DEFINE, RouteAliases.NEXT, RouteAliases.NEXT, RouteAliases.NEXT,
            RouteAliases.BY_ALIAS, // backwards
            RouteAliases.BY_ALIAS, // published more than 2^31 - 1 ms after the previous one
            RouteAliases.BY_ALIAS, // a step beyond 2^32 - 1
            RouteAliases.NEXT}; // the sequence wraps: still the next one
        for (int i = 0; i < sequences.length; i++) {
            Packet packet = Packet.oneWay(route("default", "a.b", alice, 256,
                    MessageId.ofSequence(stream, sequences[i]), times[i]));
            byte[] wire = wire(out, codec.encode(packet));
            assertThat(wire[4] & 0xFF).as("frame type of route %d", i).isEqualTo(types[i]);
            assertThat(codec.decode(wire, 0, wire.length, in)).isEqualTo(packet);
            if (types[i] == RouteAliases.NEXT && i < 3) {
                assertThat(wire).as("no id and a one-byte time: 22 bytes of envelope and 3 of the payload's head")
                        .hasSize(256 + 13);
            }
        }
        Packet otherStream = Packet.oneWay(route("default", "a.b", alice, 8, MessageId.ofSequence(7, 104), 9));
        byte[] wire = wire(out, codec.encode(otherStream));
        assertThat(wire[4] & 0xFF).as("another stream's id travels whole").isEqualTo(RouteAliases.BY_ALIAS);
        assertThat(codec.decode(wire, 0, wire.length, in)).isEqualTo(otherStream);
    }

    @Test
    void aNextRouteOnAFreshStreamOrWithABrokenStepOrTimeIsRefusedNamingIt() {
        RouteAliases.Out out = new RouteAliases.Out();
        Packet first = Packet.oneWay(route("default", "a.b", alice, 4, MessageId.ofSequence(1, 1), 1000));
        byte[] defining = wire(out, codec.encode(first));
        byte[] next = wire(out, codec.encode(Packet.oneWay(route("default", "a.b", alice, 4,
                MessageId.ofSequence(1, 2), 1001))));
        assertThat(next[4] & 0xFF).isEqualTo(RouteAliases.NEXT);

        assertRefused(new RouteAliases.In(), next, "RouteAlias.alias 0 was never defined on this stream");
        RouteAliases.In in = new RouteAliases.In();
        in.decode(defining, 0, defining.length);
        byte[] stepZero = next.clone();
        stepZero[6] = 0; // the step, after the alias
        assertRefused(in, stepZero, "RouteNext.step is not a number in 1..4294967295");
        byte[] timeTooFar = Arrays.copyOf(next, next.length + 8);
        int timeAt = next.length - 2; // publishedAfter (1), then hops (one byte)
        timeTooFar[timeAt] = 0x1B; // an 8-byte unsigned head: 2^32
        System.arraycopy(new byte[] {0, 0, 0, 1, 0, 0, 0, 0, next[next.length - 1]}, 0, timeTooFar, timeAt + 1, 9);
        assertRefused(in, timeTooFar, "RouteNext.publishedAfter is not an integer in 32 bits");

        RouteAliases.In afterTheDefinition = new RouteAliases.In();
        afterTheDefinition.decode(defining, 0, defining.length);
        assertThat(codec.decode(next, 0, next.length, afterTheDefinition).frame()).as("the intact frame decodes")
                .isInstanceOf(Frames.Route.class);
    }

    @Test
    void aQos1RouteIsARequestAndKeepsItsRequestIdByAlias() {
        RouteAliases.Out out = new RouteAliases.Out();
        RouteAliases.In in = new RouteAliases.In();
        for (long id = 1; id <= 3; id++) {
            Packet request = Packet.request(id * 1_000_003, route("default", "a.b", alice, 3));
            byte[] wire = wire(out, codec.encode(request));
            assertThat(wire[8] & 0xFF).as("frame type, after a 5-byte request id")
                    .isEqualTo(id == 1 ? RouteAliases.DEFINE : RouteAliases.BY_ALIAS);
            assertThat(codec.decode(wire, 0, wire.length, in)).isEqualTo(request);
        }
    }

    @Test
    void aRouteIsWrittenAsEnvelopePayloadAndTailWithThePayloadArrayItselfInTheMiddle() {
        RouteAliases.Out out = new RouteAliases.Out();
        RouteAliases.In in = new RouteAliases.In();
        for (int size : new int[] {100, 0, 100 * 1024, 90}) {
            Frames.Route route = route("default", "a.b", alice, size);
            Packet packet = Packet.oneWay(route);
            int fullLength = codec.encode(packet).length;
            OutboundPacket outbound = new OutboundPacket.Done(packet, fullLength);
            assertThat(outbound.bytes()).as("encoded in full when asked").isEqualTo(codec.encode(packet));

            int length = out.compact(outbound);
            List<byte[]> pieces = new ArrayList<>();
            List<Integer> lengths = new ArrayList<>();
            ByteArrayOutputStream written = new ByteArrayOutputStream();
            out.writeTo((bytes, offset, n) -> {
                pieces.add(bytes);
                lengths.add(n);
                written.write(bytes, offset, n);
            });
            assertThat(written.size()).isEqualTo(length);
            if (size > 0) {
                assertThat(pieces).hasSize(3);
                assertThat(pieces.get(1)).as("not copied on its way").isSameAs(route.payloadArray());
                assertThat(lengths.get(1)).isEqualTo(size);
            } else {
                assertThat(pieces).as("no empty payload piece").hasSize(2);
            }
            assertThat(codec.decode(written.toByteArray(), 0, length, in)).isEqualTo(packet);
        }
    }

    @Test
    void aRouteOfAMessageIsWrittenFromTheMessagesOwnPayloadAndIsTheRouteOfACopy() {
        for (String realm : new String[] {"default", "réalm"}) { // the hand-written encoder, and the general one
            byte[] payload = new byte[300];
            random.nextBytes(payload);
            Message message = new Message(MessageId.ofSequence(5, 1), realm, Topic.of("a.b"), payload,
                    Qos.AT_LEAST_ONCE, alice, Instant.ofEpochMilli(1_700_000_000_000L));
            Frames.Route route = Frames.Route.of(message, 2);
            Frames.Route copy = new Frames.Route(message.id(), realm, message.topic(), payload, message.qos(),
                    alice, message.publishedAt(), 2);

            assertThat(route).isEqualTo(copy).hasSameHashCodeAs(copy);
            assertThat(copy).isEqualTo(route);
            assertThat(route.toMessage()).isSameAs(message);
            assertThat(route.payload()).isEqualTo(payload);
            byte[] encoded = codec.encode(Packet.oneWay(route));
            assertThat(encoded).isEqualTo(codec.encode(Packet.oneWay(copy)));
            assertThat(codec.decode(encoded).frame()).isEqualTo(copy);
        }

        Message message = new Message(MessageId.ofSequence(5, 2), "default", Topic.of("a.b"), new byte[] {1, 2, 3},
                Qos.AT_MOST_ONCE, alice, Instant.ofEpochMilli(1_700_000_000_000L));
        Packet packet = Packet.oneWay(Frames.Route.of(message, 0));
        RouteAliases.Out out = new RouteAliases.Out();
        int length = out.compact(new OutboundPacket.Done(packet, codec.encode(packet).length));
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        List<ByteBuffer> views = new ArrayList<>();
        out.writeTo(new RouteAliases.Sink() {
            @Override
            public void write(byte[] bytes, int offset, int n) {
                written.write(bytes, offset, n);
            }

            @Override
            public void write(ByteBuffer bytes) {
                views.add(bytes);
                while (bytes.hasRemaining()) {
                    written.write(bytes.get());
                }
            }
        });
        assertThat(views).as("the payload as a view of the message's own").singleElement()
                .satisfies(view -> assertThat(view.isReadOnly()).isTrue());
        assertThat(written.size()).isEqualTo(length);
        assertThat(codec.decode(written.toByteArray(), 0, length, new RouteAliases.In())).isEqualTo(packet);
    }

    @Test
    void otherPacketsPassUnchanged() {
        RouteAliases.Out out = new RouteAliases.Out();
        RouteAliases.In in = new RouteAliases.In();
        List<Packet> others = List.of(Packet.oneWay(new Frames.Ack(MessageId.random(random))),
                Packet.response(7, new Frames.Ack(MessageId.random(random))),
                Packet.oneWay(route("réalm", "a.b", alice, 3))); // not ASCII: in full
        for (Packet packet : others) {
            byte[] bytes = codec.encode(packet);
            assertThat(out.carry(bytes)).as("%s", packet).isEqualTo(bytes);
            assertThat(codec.decode(bytes, 0, bytes.length, in)).isEqualTo(packet);
        }
    }

    @Test
    void afterMaxTriplesFurtherRoutesTravelInFullAndStillDecode() {
        RouteAliases.Out out = new RouteAliases.Out();
        RouteAliases.In in = new RouteAliases.In();
        for (int i = 0; i < RouteAliases.MAX + 10; i++) {
            Packet packet = Packet.oneWay(route("default", "t" + i, alice, 4));
            byte[] bytes = codec.encode(packet);
            byte[] wire = wire(out, bytes);
            if (i < RouteAliases.MAX) {
                assertThat(wire[4] & 0xFF).isEqualTo(RouteAliases.DEFINE);
            } else {
                assertThat(wire).as("in full, as the codec encodes it").isEqualTo(bytes);
            }
            assertThat(codec.decode(wire, 0, wire.length, in)).isEqualTo(packet);
        }
        Packet again = Packet.oneWay(route("default", "t3", alice, 4));
        byte[] wire = wire(out, codec.encode(again));
        assertThat(wire[4] & 0xFF).as("an early triple keeps its alias").isEqualTo(RouteAliases.BY_ALIAS);
        assertThat(codec.decode(wire, 0, wire.length, in)).isEqualTo(again);
    }

    @Test
    void aRouteByAnAliasNeverDefinedOnTheStreamIsRefusedNamingIt() {
        RouteAliases.Out out = new RouteAliases.Out();
        wire(out, codec.encode(Packet.oneWay(route("default", "a.b", alice, 4))));
        byte[] byAlias = wire(out, codec.encode(Packet.oneWay(route("default", "a.b", alice, 4))));

        RouteAliases.In fresh = new RouteAliases.In(); // a new stream: what was defined on the old one is gone
        assertThatThrownBy(() -> codec.decode(byAlias, 0, byAlias.length, fresh)).isInstanceOf(WireException.class)
                .hasMessage("RouteAlias.alias 0 was never defined on this stream");
        assertThatThrownBy(() -> codec.decode(byAlias)).as("no stream, no alias").isInstanceOf(WireException.class)
                .hasMessageContaining("unknown frame type 13");
    }

    @Test
    void brokenRoutesByAliasAreRefusedWithTheFieldNamed() {
        RouteAliases.Out out = new RouteAliases.Out();
        byte[] defining = wire(out, codec.encode(Packet.oneWay(route("default", "a.b", alice, 4))));
        RouteAliases.In in = new RouteAliases.In();

        byte[] aliasTooLarge = defining.clone();
        aliasTooLarge[5] = 0x19; // a two-byte head: 0x19 0x01 0x00 would be 256; here it eats the next bytes
        assertRefused(in, aliasTooLarge, "RouteDefine.alias is not a number in 0..255");

        byte[] badTopic = replaceOnce(defining, "a.b".getBytes(), "a..".getBytes());
        assertRefused(in, badTopic, "RouteDefine.topic:");

        byte[] badKind = defining.clone();
        badKind[2] = 3; // kind
        assertRefused(in, badKind, "RouteDefine has kind 3, not 0 (request), 1 (response) or 2 (one way)");

        byte[] trailing = Arrays.copyOf(defining, defining.length + 1);
        assertRefused(in, trailing, "RouteDefine is followed by 1 more bytes");

        byte[] truncated = Arrays.copyOf(defining, defining.length - 3);
        assertThatThrownBy(() -> codec.decode(truncated, 0, truncated.length, in)).isInstanceOf(WireException.class);

        assertThat(codec.decode(defining, 0, defining.length, in).frame()).as("the intact frame still decodes")
                .isInstanceOf(Frames.Route.class);
    }

    @Test
    void randomlyDamagedRoutesByAliasFailOnlyWithWireExceptions() {
        RouteAliases.Out out = new RouteAliases.Out();
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            frames.add(wire(out, codec.encode(Packet.oneWay(route("default", "s.t" + (i % 4), alice, 40)))));
        }
        for (int i = 0; i < 20; i++) { // routes by alias as the next of the one before
            frames.add(wire(out, codec.encode(Packet.oneWay(route("default", "s.t0", alice, 40,
                    MessageId.ofSequence(3, i), 1_700_000_000_000L + i)))));
        }
        for (int i = 0; i < 20_000; i++) {
            RouteAliases.In in = new RouteAliases.In();
            byte[] frame = frames.get(random.nextInt(frames.size())).clone();
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                frame[random.nextInt(Math.min(frame.length, 64))] = (byte) random.nextInt(256);
            }
            try {
                codec.decode(frame, 0, frame.length, in);
            } catch (WireException expected) {
                // refused, as it may be
            }
        }
    }

    /** What {@code out} puts on its stream for {@code bytes}. */
    private static byte[] wire(RouteAliases.Out out, byte[] bytes) {
        return out.carry(bytes);
    }

    private void assertRefused(RouteAliases.In in, byte[] bytes, String message) {
        assertThatThrownBy(() -> codec.decode(bytes, 0, bytes.length, in)).isInstanceOf(WireException.class)
                .hasMessageStartingWith(message);
    }

    private static byte[] replaceOnce(byte[] bytes, byte[] what, byte[] with) {
        for (int i = 0; i + what.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + what.length, what, 0, what.length)) {
                byte[] copy = bytes.clone();
                System.arraycopy(with, 0, copy, i, with.length);
                return copy;
            }
        }
        throw new AssertionError("not found");
    }

    private Frames.Route route(String realm, String topic, NodeId publisher, int payloadBytes) {
        return route(realm, topic, publisher, payloadBytes, MessageId.random(random),
                1_700_000_000_000L + random.nextInt(1000));
    }

    private Frames.Route route(String realm, String topic, NodeId publisher, int payloadBytes, MessageId id,
                               long publishedAtMs) {
        byte[] payload = new byte[payloadBytes];
        random.nextBytes(payload);
        return new Frames.Route(id, realm, Topic.of(topic), payload,
                random.nextBoolean() ? Qos.AT_MOST_ONCE : Qos.AT_LEAST_ONCE, publisher,
                Instant.ofEpochMilli(publishedAtMs), random.nextInt(3));
    }

    private static NodeId node(int n) {
        byte[] id = new byte[NodeId.BYTES];
        id[0] = (byte) n;
        return NodeId.of(id);
    }
}
