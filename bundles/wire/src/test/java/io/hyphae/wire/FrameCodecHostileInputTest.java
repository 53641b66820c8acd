package io.hyphae.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.hyphae.api.MessageId;
import io.hyphae.api.Topic;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Bytes a hostile or broken peer may send. Every one must be refused with exactly one {@link WireException} naming
 * what was wrong, quickly and without allocating more than the input.
 */
class FrameCodecHostileInputTest {
    private static final byte[] NODE = filled(32, 0x11);
    private static final byte[] OTHER_NODE = filled(32, 0x22);
    private static final String NODE_HEX = "11".repeat(32);
    private static final String ENDPOINT = "quic://[::1]:4433/" + NODE_HEX;
    private static final int ROUTE = 8;
    private static final int NODES = 5;
    private static final int STORE = 2;
    private static final int ONE_WAY = 2;
    private static final int RESPONSE = 1;

    private final FrameCodec codec = new FrameCodec();

    @Test
    void everyTruncationOfAValidPacketIsRefused() {
        RandomPackets random = new RandomPackets(11);
        List<Packet> packets = List.of(random.packet(Frames.Route.class), random.packet(Frames.Values.class),
                random.packet(Frames.Store.class), random.packet(Frames.Error.class),
                random.packet(Frames.Nodes.class), random.packet(Frames.Withdraw.class),
                Packet.request(Long.MIN_VALUE, new Frames.Ping(random.contact())));
        int cuts = 0;
        for (Packet packet : packets) {
            byte[] bytes = codec.encode(packet);
            for (int cut = 0; cut < bytes.length; cut++) {
                assertRefused(Arrays.copyOf(bytes, cut));
                // A slice must not read past its end even when the array goes on with the rest of the packet.
                assertRefused(bytes, 0, cut);
                cuts++;
            }
        }
        assertThat(cuts).isGreaterThan(1_000);
    }

    @Test
    void randomGarbageIsRefused() {
        SplittableRandom random = new SplittableRandom(0xBAD);
        for (int i = 0; i < 5_000; i++) {
            byte[] garbage = new byte[random.nextInt(400)];
            random.nextBytes(garbage);
            assertRefused(garbage);
        }
    }

    @Test
    void garbageAfterAValidRouteHeaderIsRefused() {
        SplittableRandom random = new SplittableRandom(0xBAD2);
        byte[] header = new CborBytes().packet(ONE_WAY, ROUTE, 8).build();
        for (int i = 0; i < 5_000; i++) {
            byte[] tail = new byte[random.nextInt(200)];
            random.nextBytes(tail);
            assertRefused(new CborBytes().raw(header).raw(tail).build());
        }
    }

    @Test
    void corruptedPacketsDecodeOrAreRefusedWithNothingElseEscaping() {
        SplittableRandom random = new SplittableRandom(0xF1);
        RandomPackets packets = new RandomPackets(12);
        Class<?>[] types = WireFrame.class.getPermittedSubclasses();
        int refused = 0;
        int total = 0;
        for (int i = 0; i < 300; i++) {
            byte[] valid = codec.encode(packets.packet(types[i % types.length]));
            for (int j = 0; j < 20; j++, total++) {
                byte[] corrupt = valid.clone();
                int flips = 1 + random.nextInt(3);
                for (int f = 0; f < flips; f++) {
                    corrupt[random.nextInt(corrupt.length)] = (byte) random.nextInt(256);
                }
                Throwable thrown = catchThrowable(() -> codec.decode(corrupt));
                if (thrown != null) {
                    assertThat(thrown).isExactlyInstanceOf(WireException.class);
                    refused++;
                }
            }
        }
        // Payload and id bytes may change without breaking the packet, but most structural hits must be caught.
        assertThat(refused).isBetween(total / 10, total);
    }

    @Test
    void emptyAndOversizedInputIsRefusedBeforeParsing() {
        assertRefused(new byte[0], "empty");
        byte[] huge = new byte[WireLimits.MAX_FRAME_BYTES + 1];
        assertRefused(huge, "more than " + WireLimits.MAX_FRAME_BYTES);
        Throwable direct = catchThrowable(() -> codec.decode(ByteBuffer.allocateDirect(huge.length)));
        assertThat(direct).isExactlyInstanceOf(WireException.class).hasMessageContaining("more than");
        // A valid packet hidden at the start of an oversized input is refused too.
        byte[] valid = codec.encode(Packet.oneWay(new Frames.Ack(MessageId.of(new byte[16]))));
        System.arraycopy(valid, 0, huge, 0, valid.length);
        assertRefused(huge, "more than");
    }

    @Test
    void deeplyNestedArraysMapsAndTagsAreRefused() {
        int depth = 100_000;
        assertRefused(repeat(0x81, depth, 0x01));
        assertRefused(repeat(0x9F, depth, 0xFF));
        assertRefused(repeat(0xA1, depth, 0x01));
        assertRefused(repeat(0xC6, depth, 0x01), "tag");
        // Nesting where a list is expected: Nodes.contacts holding arrays of arrays.
        byte[] header = new CborBytes().packet(RESPONSE, NODES, 1).array(1).build();
        assertRefused(new CborBytes().raw(header).raw(repeat(0x81, depth, 0x01)).build(), "Nodes.contacts");
        assertRefused(new CborBytes().packet(RESPONSE, NODES, 1).raw(repeat(0x9F, depth, 0xFF)).build(),
                "Nodes.contacts");
    }

    @Test
    void lengthPrefixesClaimingBillionsAreRefusedWithoutAllocating() {
        List<byte[]> claims = new ArrayList<>();
        for (long claim : new long[] {1L << 31, 1L << 63, 0xFFFF_FFFFL, Integer.MAX_VALUE, 250_000, 1L << 32}) {
            int width = claim > 0xFFFF_FFFFL || claim < 0 ? 8 : 4;
            claims.add(new CborBytes().head(4, claim, width).uint(1).build());
            claims.add(new CborBytes().packet(RESPONSE, NODES, 1).head(4, claim, width).build());
            claims.add(routeUpTo("Route.payload").head(2, claim, width).raw(1, 2, 3).build());
            claims.add(routeUpTo("Route.realm").head(3, claim, width).raw('a', 'b').build());
            claims.add(new CborBytes().packet(ONE_WAY, 9, 1).head(2, claim, width).build());
        }
        codec.decode(codec.encode(Packet.oneWay(new Frames.Ack(MessageId.of(new byte[16]))))); // warm up
        for (int i = 0; i < claims.size(); i++) {
            byte[] claim = claims.get(i);
            long before = allocatedBytes();
            assertRefused(claim);
            // Refused from the head: far less than the parser's 250,000-byte first chunk, let alone the claim.
            assertThat(allocatedBytes() - before).as("bytes allocated decoding length claim %d", i)
                    .isLessThan(64 * 1024);
        }
    }

    @Test
    void listsLongerThanTheLimitsAreRefusedFromTheirHeader() {
        CborBytes nodes = new CborBytes().packet(RESPONSE, NODES, 1).array(WireLimits.MAX_CONTACTS + 1);
        for (int i = 0; i <= WireLimits.MAX_CONTACTS; i++) {
            nodes.contact(NODE, ENDPOINT);
        }
        assertRefused(nodes.build(), "Nodes.contacts has 33 entries, more than 32");

        String[] endpoints = new String[WireLimits.MAX_ENDPOINTS + 1];
        Arrays.fill(endpoints, ENDPOINT);
        assertRefused(new CborBytes().packet(RESPONSE, NODES, 1).array(1).contact(NODE, endpoints).build(),
                "Nodes.contacts.endpoints has 9 entries, more than 8");

        CborBytes store = new CborBytes().packet(0, STORE, 2).contact(NODE).array(WireLimits.MAX_RECORDS + 1);
        for (int i = 0; i <= WireLimits.MAX_RECORDS; i++) {
            store.record(10, 44, 64);
        }
        assertRefused(store.build(), "Store.records has 65 entries, more than 64");

        assertRefused(new CborBytes().packet(RESPONSE, 7, 3).array(0).array(WireLimits.MAX_CONTACTS + 1).build(),
                "Values.closer has 33 entries");
    }

    @Test
    void recordFieldsOverTheirLimitsAreRefused() {
        assertRefused(store(new CborBytes().record(WireLimits.MAX_RECORD_VALUE_BYTES + 1, 44, 64)),
                "Store.records.value is 4097 bytes, more than 4096");
        assertRefused(store(new CborBytes().record(10, WireLimits.MAX_PUBLIC_KEY_BYTES + 1, 64)),
                "Store.records.publicKey is 129 bytes");
        assertRefused(store(new CborBytes().record(10, 44, WireLimits.MAX_SIGNATURE_BYTES + 1)),
                "Store.records.signature is 129 bytes");
        assertRefused(store(new CborBytes().array(6).bytes(32).bytes(32).uint(1).uint(1).bytes(1).bytes(1)),
                "Store.records has 6 entries, fewer than 7");
        assertRefused(new CborBytes().packet(ONE_WAY, 10, 1).array(7).bytes(32).bytes(32).uint(1).text("soon")
                .bytes(1).bytes(1).bytes(1).build(), "Withdraw.withdrawal.expiresAt must be an integer");
    }

    @Test
    void routeFieldsBreakingTheirRulesAreRefused() {
        assertRefused(route("default", "a..b", 0, 1, 0), "Route.topic: topic segment 2 is empty");
        assertRefused(route("default", "", 0, 1, 0), "Route.topic: topic is empty");
        assertRefused(route("default", "a.b.", 0, 1, 0), "Route.topic");
        assertRefused(route("default", "a\u0007b", 0, 1, 0), "control character");
        assertRefused(route("default", "t".repeat(Topic.MAX_BYTES + 1), 0, 1, 0),
                "Route.topic is 257 UTF-8 bytes, more than 256");
        assertRefused(route("r".repeat(WireLimits.MAX_REALM_BYTES + 1), "a", 0, 1, 0),
                "Route.realm is 65 UTF-8 bytes, more than 64");
        assertRefused(route("default", "a", WireLimits.MAX_PAYLOAD_BYTES + 1, 1, 0),
                "Route.payload is 1048577 bytes, more than 1048576");
        assertRefused(route("default", "a", 0, 2, 0), "Route.qos must be 0..1: 2");
        assertRefused(route("default", "a", 0, 1, -1), "Route.hops must be 0..2147483647: -1");
        // A text that is too long for any field is stopped by the parser's own string limit.
        assertRefused(route("default", "t".repeat(4_000), 0, 1, 0), "Route.topic");
    }

    @Test
    void badEndpointsAndContactsAreRefused() {
        assertRefused(ping("quic://host/" + NODE_HEX), "Ping.sender.endpoints: endpoint has no port");
        assertRefused(ping("nonsense"), "Ping.sender.endpoints: endpoint has no scheme");
        assertRefused(ping("quic://[::1]:99999/" + NODE_HEX), "endpoint port must be 0..65535");
        assertRefused(ping("quic://::1:4433/" + NODE_HEX), "IPv6 endpoint host must be in brackets");
        assertRefused(ping("quic://[::1]:4433/" + "zz".repeat(32)), "node id is not 64 hex digits");
        assertRefused(ping("quic://" + "h".repeat(600) + ":1/" + NODE_HEX), "Ping.sender.endpoints");
        assertRefused(ping("QUIC://[::1]:4433/" + NODE_HEX), "endpoint scheme");
        assertRefused(ping("quic://[::1]:4433/" + "22".repeat(32)),
                "Ping.sender.endpoints: endpoint names node 22222222, not the contact's node 11111111");
        assertRefused(new CborBytes().packet(RESPONSE, NODES, 1).array(2).contact(NODE, ENDPOINT)
                .contact(OTHER_NODE, ENDPOINT).build(),
                "Nodes.contacts.endpoints: endpoint names node 11111111, not the contact's node 22222222");
        assertRefused(new CborBytes().packet(0, 0, 1).array(3).bytes(NODE).array(0).uint(1).build(),
                "Ping.sender has 3 entries, more than 2");
    }

    @Test
    void idsOfTheWrongLengthAreRefused() {
        for (int length : new int[] {0, 1, 31, 33, 64}) {
            assertRefused(new CborBytes().packet(0, 0, 1).array(2).bytes(length).array(0).build(),
                    "Ping.sender.nodeId must be 32 bytes, was " + length);
            assertRefused(new CborBytes().packet(0, 4, 2).contact(NODE).bytes(length).build(),
                    "FindNode.target must be 32 bytes, was " + length);
        }
        assertRefused(new CborBytes().packet(ONE_WAY, 9, 1).bytes(15).build(), "Ack.id must be 16 bytes, was 15");
        assertRefused(new CborBytes().packet(ONE_WAY, 9, 1).bytes(17).build(), "Ack.id must be 16 bytes, was 17");
    }

    @Test
    void unknownVersionKindAndFrameTypeAreRefused() {
        assertRefused(new CborBytes().array(5).uint(2).uint(0).uint(0).uint(9).bytes(16).build(),
                "unknown packet version 2");
        assertRefused(new CborBytes().array(5).uint(0).uint(0).uint(0).uint(9).bytes(16).build(),
                "unknown packet version 0");
        assertRefused(new CborBytes().array(5).uint(1).uint(3).uint(0).uint(9).bytes(16).build(),
                "packet kind must be 0..2: 3");
        for (long type : new long[] {12, 255, 1L << 40}) {
            assertRefused(new CborBytes().array(5).uint(1).uint(0).uint(0).uint(type).bytes(16).build(),
                    "frame type");
        }
        assertRefused(new CborBytes().array(5).uint(1).uint(0).uint(0).integer(-1).bytes(16).build(), "frame type");
        assertRefused(new CborBytes().packet(ONE_WAY, 9, 2).bytes(16).bytes(16).build(),
                "ACK frame has 2 fields, expected 1");
        assertRefused(new CborBytes().array(3).uint(1).uint(0).uint(0).build(), "packet has 3 entries, fewer than 4");
        assertRefused(new CborBytes().array(13).build(), "packet has 13 entries, more than 12");
    }

    @Test
    void trailingBytesAfterAPacketAreRefused() {
        byte[] valid = codec.encode(Packet.oneWay(new Frames.Ack(MessageId.of(new byte[16]))));
        assertRefused(new CborBytes().raw(valid).raw(0x00).build(), "trailing bytes");
        assertRefused(new CborBytes().raw(valid).raw(valid).build(), "trailing bytes");
        assertRefused(new CborBytes().raw(valid).raw(0xFF).build());
        assertRefused(new CborBytes().raw(valid).raw(0x5A).build());
        assertRefused(new CborBytes().raw(valid).raw(0x18).build());
    }

    @Test
    void wrongCborTypesAreRefused() {
        assertRefused(new CborBytes().raw(0xA0).build(), "packet must be an array, found a map");
        assertRefused(new CborBytes().uint(1).build(), "packet must be an array, found an integer");
        assertRefused(new CborBytes().array(5).text("1").uint(0).uint(0).uint(9).bytes(16).build(),
                "packet version must be an integer, found a text string");
        assertRefused(new CborBytes().array(5).raw(0xF9, 0x3C, 0x00).uint(0).uint(0).uint(9).bytes(16).build(),
                "packet version must be an integer, found a float");
        for (int simple : new int[] {0xF4, 0xF5, 0xF6, 0xF7, 0xF0}) {
            assertRefused(new CborBytes().array(5).uint(1).uint(0).raw(simple).uint(9).bytes(16).build(),
                    "packet requestId must be an integer");
        }
        // 2^64 - 1 and -2^64 are CBOR integers but not longs.
        assertRefused(new CborBytes().array(5).uint(1).uint(0).head(0, -1L, 8).uint(9).bytes(16).build(),
                "packet requestId is beyond the 64-bit integer range");
        assertRefused(new CborBytes().array(5).uint(1).uint(0).head(1, -1L, 8).uint(9).bytes(16).build(),
                "packet requestId is beyond the 64-bit integer range");
        assertRefused(new CborBytes().array(5).uint(1).uint(0).raw(0xC2).bytes(9).uint(9).bytes(16).build(),
                "tag");
        assertRefused(new CborBytes().packet(ONE_WAY, 9, 1).text("AAAAAAAAAAAAAAAAAAAAAA==").build(),
                "Ack.id must be a byte string, found a text string");
        assertRefused(new CborBytes().raw(0x9F).uint(1).uint(2).uint(0).uint(9).bytes(16).raw(0xFF).build(),
                "packet is an indefinite-length array");
        assertRefused(new CborBytes().packet(RESPONSE, 7, 3).array(0).array(0).uint(1).build(),
                "Values.more must be a boolean, found an integer");
        assertRefused(new CborBytes().packet(RESPONSE, 3, 1).uint(WireLimits.MAX_RECORDS + 1).build(),
                "Stored.accepted must be 0..64: 65");
        assertRefused(new CborBytes().packet(0, 6, 3).contact(NODE).bytes(32).integer(-1).build(),
                "FindValue.page must be 0..2147483647: -1");
        assertRefused(new CborBytes().packet(RESPONSE, 11, 2).uint(4).text("x").build(), "Error.code must be 0..3: 4");
        assertRefused(new CborBytes().packet(RESPONSE, 11, 2).uint(0).text("x".repeat(513)).build(),
                "Error.message");
        assertRefused(new CborBytes().packet(RESPONSE, 11, 2).uint(0).raw(0x62, 0xED, 0xA0).build());
    }

    @Test
    void malformedTextAndIndefiniteStringsAreRefused() {
        int[][] badUtf8 = {{0xC0, 0x80}, {0xE0, 0x80, 0xAF}, {0xED, 0xA0, 0x80}, {0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80},
            {0xC3, 0x28}, {0xFF}, {0x80}, {0xF0, 0x9F, 0x98}, {0xF8, 0x88, 0x80, 0x80, 0x80}};
        for (int[] bad : badUtf8) {
            assertRefused(new CborBytes().packet(ONE_WAY, ROUTE, 8).bytes(16).head(3, bad.length).raw(bad).text("a")
                    .bytes(0).uint(0).bytes(NODE).uint(0).uint(0).build(), "Route.realm");
        }
        // Indefinite-length (chunked) byte and text strings: "ab" in two chunks.
        assertRefused(new CborBytes().packet(ONE_WAY, ROUTE, 8).bytes(16).raw(0x7F, 0x61, 'a', 0x61, 'b', 0xFF)
                .text("a").bytes(0).uint(0).bytes(NODE).uint(0).uint(0).build(),
                "Route.realm is an indefinite-length string");
        assertRefused(new CborBytes().packet(ONE_WAY, 9, 1).raw(0x5F, 0x48).bytes(8).raw(0x48).bytes(8).raw(0xFF)
                .build(), "Ack.id is an indefinite-length string");
        // Reserved length encodings 28..30 and a length cut off by the end of the input.
        assertRefused(new CborBytes().packet(ONE_WAY, 9, 1).raw(0x5C).build(), "reserved length encoding");
        assertRefused(new CborBytes().packet(ONE_WAY, 9, 1).raw(0x5A, 0x00, 0x00).build(),
                "input ends inside the length");
    }

    @Test
    void everyMessageIsShortAndNeverQuotesTheInput() {
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 2_000; i++) {
            byte[] garbage = new byte[random.nextInt(2_000)];
            random.nextBytes(garbage);
            Throwable thrown = catchThrowable(() -> codec.decode(garbage));
            assertThat(thrown).isExactlyInstanceOf(WireException.class);
            assertThat(thrown.getMessage()).isNotBlank().hasSizeLessThan(700);
        }
        String secret = "S3cr3t".repeat(100);
        Throwable thrown = catchThrowable(() -> codec.decode(route(secret, "a", 0, 1, 0)));
        assertThat(thrown).isExactlyInstanceOf(WireException.class);
        assertThat(thrown.getMessage()).doesNotContain("S3cr3tS3cr3t");
    }

    private void assertRefused(byte[] bytes, String... messageParts) {
        assertRefused(bytes, 0, bytes.length, messageParts);
    }

    private void assertRefused(byte[] bytes, int offset, int length, String... messageParts) {
        Throwable thrown = catchThrowable(() -> codec.decode(bytes, offset, length));
        assertThat(thrown).as("decoding %d bytes", length).isExactlyInstanceOf(WireException.class);
        for (String part : messageParts) {
            assertThat(thrown.getMessage()).contains(part);
        }
    }

    /** A one-way route packet with everything valid up to {@code upTo}; the caller writes that field. */
    private static CborBytes routeUpTo(String upTo) {
        CborBytes route = new CborBytes().packet(ONE_WAY, ROUTE, 8).bytes(16);
        if (upTo.equals("Route.realm")) {
            return route;
        }
        return route.text("default").text("a.b");
    }

    private static byte[] route(String realm, String topic, int payloadBytes, int qos, long hops) {
        return new CborBytes().packet(ONE_WAY, ROUTE, 8).bytes(16).text(realm).text(topic).bytes(payloadBytes)
                .uint(qos).bytes(NODE).uint(1_000).integer(hops).build();
    }

    private static byte[] ping(String endpoint) {
        return new CborBytes().packet(0, 0, 1).contact(NODE, endpoint).build();
    }

    private static byte[] store(CborBytes record) {
        return new CborBytes().packet(0, STORE, 2).contact(NODE, ENDPOINT).array(1).raw(record.build()).build();
    }

    private static byte[] repeat(int b, int count, int last) {
        byte[] bytes = new byte[count + 1];
        Arrays.fill(bytes, (byte) b);
        bytes[count] = (byte) last;
        return bytes;
    }

    private static byte[] filled(int length, int b) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) b);
        return bytes;
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}
