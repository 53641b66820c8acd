package io.hyphae.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.hyphae.api.MessageId;
import io.hyphae.api.NodeId;
import io.hyphae.api.Qos;
import io.hyphae.api.Topic;
import io.hyphae.spi.dht.Contact;
import io.hyphae.spi.dht.Key;
import io.hyphae.spi.dht.Record;
import io.hyphae.spi.transport.Endpoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class FrameCodecRoundTripTest {
    private static final int CASES_PER_TYPE = 2_000;

    private final FrameCodec codec = new FrameCodec();

    static Stream<Class<?>> frameTypes() {
        return Arrays.stream(WireFrame.class.getPermittedSubclasses());
    }

    @Test
    void everyFrameTypeHasItsOwnWireCode() {
        assertThat(frameTypes()).hasSize(FrameType.values().length);
        RandomPackets packets = new RandomPackets(7);
        assertThat(frameTypes().map(t -> FrameType.of(packets.frame(t)))).doesNotHaveDuplicates()
                .containsExactlyInAnyOrder(FrameType.values());
        for (FrameType type : FrameType.values()) {
            assertThat(FrameType.ofCode(type.code)).isSameAs(type);
        }
    }

    @ParameterizedTest
    @MethodSource("frameTypes")
    void randomPacketsOfEveryFrameTypeRoundTrip(Class<?> frameType) throws IOException {
        RandomPackets packets = new RandomPackets(0x5EED_0000L + frameType.getSimpleName().hashCode());
        for (int i = 0; i < CASES_PER_TYPE; i++) {
            Packet packet = packets.packet(frameType);
            assertRoundTrips(packet);
        }
    }

    @ParameterizedTest
    @EnumSource(Packet.Kind.class)
    void everyKindAndRequestIdExtremeRoundTrips(Packet.Kind kind) {
        long[] ids = {0, -1, 1, 23, 24, 255, 256, 65_535, 65_536, Integer.MAX_VALUE, Integer.MIN_VALUE,
            1L << 31, (1L << 32) - 1, 1L << 32, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1};
        for (long id : ids) {
            Packet packet = new Packet(kind, id, new Frames.Ack(MessageId.random(new SplittableRandom(id))));
            Packet decoded = codec.decode(codec.encode(packet));
            assertThat(decoded.kind()).isEqualTo(kind);
            assertThat(decoded.requestId()).isEqualTo(id);
            assertThat(decoded).isEqualTo(packet);
        }
    }

    @ParameterizedTest
    @EnumSource(Frames.Error.Code.class)
    void everyErrorCodeRoundTrips(Frames.Error.Code code) {
        Packet packet = Packet.response(42, new Frames.Error(code, "peer said: " + code));
        Frames.Error decoded = (Frames.Error) codec.decode(codec.encode(packet)).frame();
        assertThat(decoded.code()).isEqualTo(code);
        assertThat(decoded.message()).isEqualTo("peer said: " + code);
    }

    @Test
    void emptyListsAndEmptyStringsRoundTrip() {
        RandomPackets random = new RandomPackets(1);
        Contact bare = new Contact(random.nodeId(), List.of());
        assertRoundTrips(Packet.request(1, new Frames.Store(bare, List.of())));
        assertRoundTrips(Packet.response(1, new Frames.Nodes(List.of())));
        assertRoundTrips(Packet.response(1, new Frames.Values(List.of(), List.of(), false)));
        assertRoundTrips(Packet.oneWay(new Frames.Error(Frames.Error.Code.INTERNAL, "")));
        Record empty = new Record(random.key(), random.nodeId(), 0, Instant.EPOCH, new byte[0], new byte[0],
                new byte[0]);
        assertRoundTrips(Packet.oneWay(new Frames.Withdraw(empty)));
        assertRoundTrips(Packet.oneWay(new Frames.Route(MessageId.random(new SplittableRandom(1)), "",
                Topic.of("t"), new byte[0], Qos.AT_MOST_ONCE, random.nodeId(), Instant.EPOCH, 0)));
    }

    @Test
    void fullestFramesRoundTripWithinTheFrameSize() {
        RandomPackets random = new RandomPackets(2);
        List<Record> records = new ArrayList<>();
        for (int i = 0; i < WireLimits.MAX_RECORDS; i++) {
            records.add(fullRecord(random));
        }
        List<Contact> contacts = new ArrayList<>();
        for (int i = 0; i < WireLimits.MAX_CONTACTS; i++) {
            contacts.add(fullContact(random));
        }
        Frames.Route route = new Frames.Route(MessageId.random(new SplittableRandom(2)), "r".repeat(64),
                Topic.of("日".repeat(85)), random.bytes(WireLimits.MAX_PAYLOAD_BYTES), Qos.AT_LEAST_ONCE,
                random.nodeId(), Instant.ofEpochMilli(Long.MIN_VALUE), Integer.MAX_VALUE);
        for (Packet packet : List.of(Packet.request(Long.MIN_VALUE, new Frames.Store(fullContact(random), records)),
                Packet.response(Long.MAX_VALUE, new Frames.Values(records, contacts, true)),
                Packet.response(-1, new Frames.Nodes(contacts)), Packet.oneWay(route))) {
            byte[] bytes = codec.encode(packet);
            assertThat(bytes.length).isLessThanOrEqualTo(WireLimits.MAX_FRAME_BYTES);
            assertThat(codec.decode(bytes)).isEqualTo(packet);
        }
    }

    @Test
    void unicodeTopicsRealmsAndIpv6EndpointsKeepEveryCharacter() {
        NodeId node = NodeId.ofHex("00ff".repeat(16));
        Endpoint v6 = Endpoint.parse("quic://[fe80::1%eth0]:4433/" + node.toHex());
        Contact contact = new Contact(node, List.of(v6, Endpoint.parse("tcp://[::]:0/" + node.toHex())));
        Frames.Ping ping = (Frames.Ping) codec.decode(codec.encode(Packet.request(3, new Frames.Ping(contact))))
                .frame();
        assertThat(ping.sender().endpoints()).containsExactly(v6, new Endpoint("tcp", "::", 0, node));
        assertThat(ping.sender().endpoints().get(0).host()).isEqualTo("fe80::1%eth0");

        Topic topic = Topic.of("sensors.温度.\uD83C\uDF21.über");
        Frames.Route route = new Frames.Route(MessageId.random(new SplittableRandom(3)), "réalm-日本", topic,
                "héllo".getBytes(java.nio.charset.StandardCharsets.UTF_8), Qos.AT_LEAST_ONCE, node,
                Instant.parse("2026-09-21T14:13:20.123Z"), 2);
        Frames.Route decoded = (Frames.Route) codec.decode(codec.encode(Packet.oneWay(route))).frame();
        assertThat(decoded.topic().name()).isEqualTo("sensors.温度.\uD83C\uDF21.über");
        assertThat(decoded.realm()).isEqualTo("réalm-日本");
        assertThat(decoded.publishedAt().toEpochMilli()).isEqualTo(1_790_000_000_123L);
        assertThat(decoded).isEqualTo(route);
    }

    @Test
    void instantsAreTruncatedToMilliseconds() {
        Record record = new Record(Key.of(new byte[32]), NodeId.of(new byte[32]), 1,
                Instant.parse("2030-01-01T00:00:00.123456789Z"), new byte[] {1}, new byte[] {2}, new byte[] {3});
        Record decoded = ((Frames.Withdraw) codec.decode(codec.encode(Packet.oneWay(new Frames.Withdraw(record))))
                .frame()).withdrawal();
        assertThat(decoded.expiresAt()).isEqualTo(Instant.parse("2030-01-01T00:00:00.123Z"));
    }

    @Test
    void aSmallRouteHasACompactLayout() {
        Frames.Route route = new Frames.Route(MessageId.of(new byte[16]), "default", Topic.of("a.b"),
                new byte[10], Qos.AT_MOST_ONCE, NodeId.of(new byte[32]), Instant.ofEpochMilli(1), 0);
        byte[] bytes = codec.encode(Packet.oneWay(route));
        // array(12), version 1, kind 2, requestId 0, type 8, then the fields.
        assertThat(Arrays.copyOf(bytes, 5)).containsExactly(0x8C, 0x01, 0x02, 0x00, 0x08);
        assertThat(bytes).hasSize(5 + 17 + 8 + 4 + 11 + 1 + 34 + 1 + 1);
    }

    @Test
    void oneCodecServesManyThreads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                long seed = t;
                results.add(pool.submit(() -> {
                    RandomPackets packets = new RandomPackets(seed);
                    for (int i = 0; i < 500; i++) {
                        Packet packet = packets.packet(i % 2 == 0 ? Frames.Values.class : Frames.Ack.class);
                        assertThat(codec.decode(codec.encode(packet))).isEqualTo(packet);
                    }
                    return 500;
                }));
            }
            for (Future<Integer> result : results) {
                assertThat(result.get()).isEqualTo(500);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void assertRoundTrips(Packet packet) {
        byte[] bytes = codec.encode(packet);
        Packet decoded = codec.decode(bytes);
        assertThat(decoded).isEqualTo(packet);
        assertThat(decoded.frame()).isEqualTo(packet.frame());
        // One encoding per packet: re-encoding what was decoded gives the same bytes.
        assertThat(codec.encode(decoded)).isEqualTo(bytes);
        // The stream, slice and buffer entry points agree with the array ones.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            codec.encode(packet, out);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertThat(out.toByteArray()).isEqualTo(bytes);
        byte[] framed = new byte[bytes.length + 7];
        System.arraycopy(bytes, 0, framed, 3, bytes.length);
        assertThat(codec.decode(framed, 3, bytes.length)).isEqualTo(packet);
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        assertThat(codec.decode(direct)).isEqualTo(packet);
        assertThat(direct.position()).isZero();
        assertThat(codec.decode(ByteBuffer.wrap(framed, 3, bytes.length))).isEqualTo(packet);
    }

    private static Record fullRecord(RandomPackets random) {
        return new Record(random.key(), random.nodeId(), Long.MAX_VALUE, Instant.ofEpochMilli(Long.MAX_VALUE),
                random.bytes(WireLimits.MAX_RECORD_VALUE_BYTES), random.bytes(WireLimits.MAX_PUBLIC_KEY_BYTES),
                random.bytes(WireLimits.MAX_SIGNATURE_BYTES));
    }

    private static Contact fullContact(RandomPackets random) {
        NodeId node = random.nodeId();
        List<Endpoint> endpoints = new ArrayList<>();
        for (int i = 0; i < WireLimits.MAX_ENDPOINTS; i++) {
            endpoints.add(new Endpoint("scheme-" + i + ".long", "h".repeat(253), 65535, node));
        }
        return new Contact(node, endpoints);
    }
}
