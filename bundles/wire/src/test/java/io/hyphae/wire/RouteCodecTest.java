package io.hyphae.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.hyphae.api.MessageId;
import io.hyphae.api.NodeId;
import io.hyphae.api.Qos;
import io.hyphae.api.Topic;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The route fast path writes what the general writer writes and reads a strict subset of what the general reader reads. */
class RouteCodecTest {
    private final FrameCodec codec = new FrameCodec();
    private final SplittableRandom random = new SplittableRandom(6);

    @Test
    void writesTheBytesOfTheGeneralWriterAndReadsThemBack() throws IOException {
        RandomPackets packets = new RandomPackets(6);
        for (int i = 0; i < 4_000; i++) {
            Packet packet = i % 2 == 0 ? asciiRoute(packets.packet(Frames.Route.class))
                    : packets.packet(i % 3 == 0 ? Frames.Ack.class : Frames.Route.class);
            byte[] general = general(packet);
            byte[] fast = RouteCodec.encode(packet);
            if (fast != null) {
                assertThat(fast).as("fast encoding of %s", packet).isEqualTo(general);
            } else {
                assertThat(packet.frame()).isInstanceOf(Frames.Route.class); // only non-ASCII text goes the long way
            }
            Packet read = RouteCodec.decode(general, 0, general.length);
            if (fast != null) {
                assertThat(read).isEqualTo(packet);
            } else {
                assertThat(read).isNull();
            }
            assertThat(codec.decode(general)).isEqualTo(packet);
        }
    }

    @Test
    void takesNothingTheGeneralReaderRefusesOrReadsOtherwise() throws IOException {
        RandomPackets packets = new RandomPackets(7);
        int taken = 0;
        for (int i = 0; i < 20_000; i++) {
            Packet packet = asciiRoute(packets.packet(i % 4 == 0 ? Frames.Ack.class : Frames.Route.class));
            byte[] bytes = mutate(general(packet));
            Packet fast = RouteCodec.decode(bytes, 0, bytes.length);
            if (fast == null) {
                continue;
            }
            taken++;
            assertThat(codec.decodeGeneral(bytes, 0, bytes.length)).as("bytes %s", Arrays.toString(bytes))
                    .isEqualTo(fast);
        }
        assertThat(taken).isPositive();
    }

    @Test
    void leavesNonShortestHeadsToTheGeneralReader() throws IOException {
        Frames.Route route = new Frames.Route(MessageId.random(random), "default", Topic.of("a.b"), new byte[3],
                Qos.AT_MOST_ONCE, NodeId.of(new byte[32]), Instant.ofEpochMilli(5), 0);
        byte[] bytes = general(Packet.oneWay(route));
        byte[] longHops = Arrays.copyOf(bytes, bytes.length + 1);
        longHops[bytes.length - 1] = 0x18; // hops 0 as a one-byte argument
        longHops[bytes.length] = 0;
        assertThat(RouteCodec.decode(longHops, 0, longHops.length)).isNull();
        assertThat(codec.decode(longHops)).isEqualTo(Packet.oneWay(route));
    }

    @Test
    void aDecodedRouteOwnsItsPayloadApartFromThePacketBytes() throws IOException {
        byte[] payload = {1, 2, 3, 4};
        Frames.Route route = new Frames.Route(MessageId.random(random), "default", Topic.of("a.b"), payload,
                Qos.AT_LEAST_ONCE, NodeId.of(new byte[32]), Instant.ofEpochMilli(5), 0);
        byte[] bytes = general(Packet.request(9, route));
        Frames.Route read = (Frames.Route) RouteCodec.decode(bytes, 0, bytes.length).frame();
        Arrays.fill(bytes, (byte) 0x55); // the transport reuses its buffer for the next packet
        assertThat(read.payload()).containsExactly(1, 2, 3, 4);
        assertThat(read.toMessage().payload()).containsExactly(1, 2, 3, 4);
    }

    @Test
    void anAdoptedPayloadIsSharedWithoutCopiesWhileTheConstructorStillCopies() {
        byte[] payload = {1, 2, 3};
        NodeId from = NodeId.of(new byte[32]);
        MessageId id = MessageId.random(random);
        Frames.Route adopted = Frames.Route.adopting(id, "default", Topic.of("a.b"), payload, Qos.AT_MOST_ONCE,
                from, Instant.ofEpochMilli(5), 0);
        Frames.Route copied = new Frames.Route(id, "default", Topic.of("a.b"), payload, Qos.AT_MOST_ONCE, from,
                Instant.ofEpochMilli(5), 0);
        payload[0] = 9; // breaks the adopter's promise, which shows what was copied and what was not
        assertThat(adopted.payload()).containsExactly(9, 2, 3);
        assertThat(adopted.toMessage().payload()).containsExactly(9, 2, 3);
        assertThat(copied.payload()).containsExactly(1, 2, 3);
        assertThat(adopted.toMessage()).isEqualTo(new io.hyphae.api.Message(id, "default", Topic.of("a.b"),
                new byte[] {9, 2, 3}, Qos.AT_MOST_ONCE, from, Instant.ofEpochMilli(5)));
        assertThat(adopted.payloadBuffer().isReadOnly()).isTrue();
        assertThat(adopted.payloadBuffer().remaining()).isEqualTo(3);
        assertThat(adopted.payloadBuffer().get(0)).isEqualTo((byte) 9);
    }

    @Test
    void reusesTheRealmTopicAndPublisherObjectsOfTheLastRouteWhileTheBytesMatch() throws IOException {
        RouteCodec.Recent recent = new RouteCodec.Recent();
        NodeId alice = NodeId.of(new byte[32]);
        byte[] bobBytes = new byte[32];
        bobBytes[31] = 1;
        NodeId bob = NodeId.of(bobBytes);
        Frames.Route first = decoded(recent, route("default", "a.b", alice));
        Frames.Route second = decoded(recent, route("default", "a.b", alice));
        assertThat(second.topic()).isSameAs(first.topic());
        assertThat(second.realm()).isSameAs(first.realm());
        assertThat(second.publisher()).isSameAs(first.publisher());

        // Same lengths, other bytes; a prefix; a longer name: each read as it is, never as the one remembered.
        Frames.Route other = decoded(recent, route("defaulu", "a.c", bob));
        assertThat(other.realm()).isEqualTo("defaulu");
        assertThat(other.topic()).isEqualTo(Topic.of("a.c"));
        assertThat(other.publisher()).isEqualTo(bob);
        assertThat(decoded(recent, route("default", "a", alice)).topic()).isEqualTo(Topic.of("a"));
        assertThat(decoded(recent, route("default", "a.bc", alice)).topic()).isEqualTo(Topic.of("a.bc"));
        assertThat(decoded(recent, route("default", "a.bc", alice)).publisher()).isEqualTo(alice);
    }

    @Test
    void anInvalidTopicIsLeftToTheGeneralReaderAndNotRemembered() throws IOException {
        RouteCodec.Recent recent = new RouteCodec.Recent();
        Frames.Route valid = decoded(recent, route("default", "a.b", NodeId.of(new byte[32])));
        byte[] bytes = general(Packet.oneWay(route("default", "a.b", NodeId.of(new byte[32]))));
        int dot = indexOf(bytes, new byte[] {0x63, 'a', '.', 'b'}) + 2; // the topic's text head, then "a.b"
        bytes[dot] = 'b'; // "abb": still valid, same length
        bytes[dot - 1] = '.'; // ".bb": an empty first segment
        assertThat(RouteCodec.decode(bytes, 0, bytes.length, recent)).isNull();
        assertThat(recent.topic.value()).isSameAs(valid.topic());
        assertThatInvalid(bytes);
    }

    private void assertThatInvalid(byte[] bytes) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> codec.decode(bytes))
                .isInstanceOf(WireException.class);
    }

    private static int indexOf(byte[] bytes, byte[] part) {
        for (int i = 0; i + part.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + part.length, part, 0, part.length)) {
                return i;
            }
        }
        throw new AssertionError("not found: " + Arrays.toString(part));
    }

    private Frames.Route route(String realm, String topic, NodeId publisher) {
        return new Frames.Route(MessageId.random(random), realm, Topic.of(topic), new byte[] {7}, Qos.AT_MOST_ONCE,
                publisher, Instant.ofEpochMilli(5), 0);
    }

    private Frames.Route decoded(RouteCodec.Recent recent, Frames.Route route) throws IOException {
        byte[] bytes = general(Packet.oneWay(route));
        Packet read = RouteCodec.decode(bytes, 0, bytes.length, recent);
        assertThat(read).isEqualTo(Packet.oneWay(route));
        return (Frames.Route) read.frame();
    }

    private byte[] mutate(byte[] bytes) {
        byte[] copy = bytes.clone();
        switch (random.nextInt(4)) {
            case 0 -> copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
            case 1 -> copy[random.nextInt(Math.min(copy.length, 80))] ^= (byte) (1 << random.nextInt(8));
            case 2 -> copy = Arrays.copyOf(copy, random.nextInt(copy.length));
            default -> {
                copy = Arrays.copyOf(copy, copy.length + 1);
                copy[copy.length - 1] = (byte) random.nextInt(256);
            }
        }
        return copy;
    }

    private Packet asciiRoute(Packet packet) {
        if (!(packet.frame() instanceof Frames.Route r)) {
            return packet;
        }
        String realm = r.realm().replaceAll("[^\\x20-\\x7e]", "r");
        String topic = r.topic().name().replaceAll("[^\\x21-\\x7e]", "t");
        return new Packet(packet.kind(), packet.requestId(), new Frames.Route(r.id(), realm, Topic.of(topic),
                r.payload(), r.qos(), r.publisher(), r.publishedAt(), r.hops()));
    }

    private byte[] general(Packet packet) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        codec.encode(packet, out);
        return out.toByteArray();
    }
}
