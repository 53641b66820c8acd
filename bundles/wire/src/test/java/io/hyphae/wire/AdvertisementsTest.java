package io.hyphae.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import io.hyphae.api.NodeId;
import io.hyphae.api.Topic;
import io.hyphae.spi.transport.Endpoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AdvertisementsTest {
    private static final NodeId NODE = NodeId.of(filled(32, 7));
    private static final NodeId OTHER = NodeId.of(filled(32, 9));
    private static final Topic TOPIC = Topic.of("sensors.kitchen.temperature");
    private static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("quic", "10.0.0.1", 4433, NODE),
            new Endpoint("tcp", "fe80::1", 4434, NODE),
            new Endpoint("mem", "node-7", 0, NODE));

    @Test
    void advertisementRoundTrips() {
        Advertisements.Value value = Advertisements.Value.advertisement(NODE, ENDPOINTS, TOPIC, "default");
        assertThat(Advertisements.decode(Advertisements.encode(value))).isEqualTo(value);
    }

    @Test
    void withdrawalRoundTrips() {
        Advertisements.Value value = Advertisements.Value.withdrawal(NODE, Topic.of("a"), "realm-ü");
        Advertisements.Value decoded = Advertisements.decode(Advertisements.encode(value));
        assertThat(decoded).isEqualTo(value);
        assertThat(decoded.withdrawn()).isTrue();
        assertThat(decoded.endpoints()).isEmpty();
    }

    @Test
    void largestValueRoundTripsWithinTheRecordLimit() {
        List<Endpoint> endpoints = new ArrayList<>();
        for (int i = 0; i < WireLimits.MAX_ENDPOINTS; i++) {
            endpoints.add(new Endpoint("quic", "h".repeat(200) + i, 65535, NODE));
        }
        Topic longest = Topic.of("t".repeat(Topic.MAX_BYTES));
        Advertisements.Value value = Advertisements.Value.advertisement(NODE, endpoints, longest,
                "r".repeat(WireLimits.MAX_REALM_BYTES));
        byte[] bytes = Advertisements.encode(value);
        assertThat(bytes.length).isLessThanOrEqualTo(WireLimits.MAX_RECORD_VALUE_BYTES);
        assertThat(Advertisements.decode(bytes)).isEqualTo(value);
    }

    @Test
    void encoderRefusesWhatADecoderWouldRefuse() {
        List<Endpoint> nine = new ArrayList<>();
        for (int i = 0; i <= WireLimits.MAX_ENDPOINTS; i++) {
            nine.add(new Endpoint("mem", "n" + i, i, NODE));
        }
        assertThatThrownBy(() -> Advertisements.encode(Advertisements.Value.advertisement(NODE, nine, TOPIC, "d")))
                .isInstanceOf(WireException.class).hasMessageContaining("advertisement.endpoints has 9 entries");
        List<Endpoint> foreign = List.of(new Endpoint("mem", "x", 1, OTHER));
        assertThatThrownBy(() -> Advertisements.encode(Advertisements.Value.advertisement(NODE, foreign, TOPIC,
                "d"))).isInstanceOf(WireException.class).hasMessageContaining("names another node");
        assertThatThrownBy(() -> Advertisements.encode(Advertisements.Value.withdrawal(NODE, TOPIC,
                "r".repeat(WireLimits.MAX_REALM_BYTES + 1)))).isInstanceOf(WireException.class)
                .hasMessageContaining("advertisement.realm is 65 UTF-8 bytes");
        assertThatThrownBy(() -> Advertisements.encode(Advertisements.Value.withdrawal(NODE, TOPIC, "")))
                .isInstanceOf(WireException.class).hasMessageContaining("realm is empty");
    }

    @Test
    void refusesEmptyOversizedAndTrailingInput() {
        assertRefused(new byte[0], "empty");
        assertRefused(new byte[WireLimits.MAX_RECORD_VALUE_BYTES + 1], "more than 4096");
        byte[] good = Advertisements.encode(Advertisements.Value.withdrawal(NODE, TOPIC, "default"));
        byte[] trailing = Arrays.copyOf(good, good.length + 1);
        assertRefused(trailing, "trailing bytes");
    }

    @Test
    void refusesEveryTruncation() {
        byte[] good = Advertisements.encode(Advertisements.Value.advertisement(NODE, ENDPOINTS, TOPIC, "default"));
        for (int length = 0; length < good.length; length++) {
            byte[] cut = Arrays.copyOf(good, length);
            assertThatThrownBy(() -> Advertisements.decode(cut)).as("first %d bytes", length)
                    .isInstanceOf(WireException.class);
        }
    }

    @Test
    void refusesAnotherVersionOrFieldCount() throws IOException {
        assertRefused(cbor(g -> {
            g.writeStartArray(null, 5);
            g.writeNumber(2);
            contact(g, NODE, List.of());
            g.writeString("t");
            g.writeString("d");
            g.writeBoolean(false);
            g.writeEndArray();
        }), "advertisement.version must be 1: 2");
        assertRefused(cbor(g -> {
            g.writeStartArray(null, 6);
            g.writeNumber(1);
            contact(g, NODE, List.of());
            g.writeString("t");
            g.writeString("d");
            g.writeBoolean(false);
            g.writeBoolean(false);
            g.writeEndArray();
        }), "advertisement has 6 entries");
    }

    @Test
    void refusesWrongTypesAndMaps() throws IOException {
        assertRefused(cbor(g -> {
            g.writeStartArray(null, 5);
            g.writeNumber(1);
            contact(g, NODE, List.of());
            g.writeString("t");
            g.writeString("d");
            g.writeNumber(1); // withdrawn must be a boolean
            g.writeEndArray();
        }), "advertisement.withdrawn must be a boolean");
        assertRefused(cbor(g -> {
            g.writeStartObject();
            g.writeFieldName("v");
            g.writeNumber(1);
            g.writeEndObject();
        }), "must be an array");
    }

    @Test
    void refusesEndpointsOfAnotherNodeOrTooMany() throws IOException {
        assertRefused(encodeRaw(NODE, List.of("mem://x:1/" + OTHER.toHex()), "t", "d"), "not the contact's node");
        List<String> nine = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            nine.add("mem://x:" + i + "/" + NODE.toHex());
        }
        assertRefused(encodeRaw(NODE, nine, "t", "d"), "more than 8");
        assertRefused(encodeRaw(NODE, List.of("not an endpoint"), "t", "d"), "advertisement.contact.endpoints");
    }

    @Test
    void refusesInvalidTopicRealmAndNodeId() throws IOException {
        assertRefused(encodeRaw(NODE, List.of(), "a..b", "d"), "advertisement.topic");
        assertRefused(encodeRaw(NODE, List.of(), "t", ""), "advertisement.realm is empty");
        assertRefused(encodeRaw(NODE, List.of(), "t", "r".repeat(65)), "advertisement.realm is 65 UTF-8 bytes");
        assertRefused(cbor(g -> {
            g.writeStartArray(null, 5);
            g.writeNumber(1);
            g.writeStartArray(null, 2);
            g.writeBinary(new byte[31]);
            g.writeStartArray(null, 0);
            g.writeEndArray();
            g.writeEndArray();
            g.writeString("t");
            g.writeString("d");
            g.writeBoolean(true);
            g.writeEndArray();
        }), "must be 32 bytes");
    }

    @Test
    void refusesTagsAndIndefiniteArrays() {
        byte[] good = Advertisements.encode(Advertisements.Value.withdrawal(NODE, TOPIC, "default"));
        byte[] tagged = new byte[good.length + 1];
        tagged[0] = (byte) 0xC1; // tag 1 (epoch time) in front of the value
        System.arraycopy(good, 0, tagged, 1, good.length);
        assertRefused(tagged, "tag");
        byte[] indefinite = good.clone();
        indefinite[0] = (byte) 0x9F; // array of indefinite length
        assertThatThrownBy(() -> Advertisements.decode(indefinite)).isInstanceOf(WireException.class);
    }

    @Test
    void randomAndMutatedBytesFailOnlyWithWireException() {
        Random random = new Random(42);
        byte[] good = Advertisements.encode(Advertisements.Value.advertisement(NODE, ENDPOINTS, TOPIC, "default"));
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes;
            if (i % 2 == 0) {
                bytes = new byte[random.nextInt(64)];
                random.nextBytes(bytes);
            } else {
                bytes = good.clone();
                for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                    bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                }
            }
            try {
                Advertisements.decode(bytes);
            } catch (WireException expected) {
                // the only failure allowed
            }
        }
    }

    private static void assertRefused(byte[] bytes, String message) {
        assertThatThrownBy(() -> Advertisements.decode(bytes)).isInstanceOf(WireException.class)
                .hasMessageContaining(message);
    }

    private static byte[] encodeRaw(NodeId node, List<String> endpoints, String topic, String realm)
            throws IOException {
        return cbor(g -> {
            g.writeStartArray(null, 5);
            g.writeNumber(1);
            g.writeStartArray(null, 2);
            g.writeBinary(node.toBytes());
            g.writeStartArray(null, endpoints.size());
            for (String e : endpoints) {
                g.writeString(e);
            }
            g.writeEndArray();
            g.writeEndArray();
            g.writeString(topic);
            g.writeString(realm);
            g.writeBoolean(false);
            g.writeEndArray();
        });
    }

    private static void contact(CBORGenerator g, NodeId node, List<String> endpoints) throws IOException {
        g.writeStartArray(null, 2);
        g.writeBinary(node.toBytes());
        g.writeStartArray(null, endpoints.size());
        for (String e : endpoints) {
            g.writeString(e);
        }
        g.writeEndArray();
        g.writeEndArray();
    }

    private static byte[] cbor(Writer writer) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CBORGenerator g = new CBORFactory().createGenerator(out)) {
            writer.write(g);
        }
        return out.toByteArray();
    }

    private static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    @FunctionalInterface
    private interface Writer {
        void write(CBORGenerator generator) throws IOException;
    }
}
