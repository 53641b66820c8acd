package io.hyphae.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The encoder refuses, before writing a byte, every frame a decoder would refuse for breaking a limit. */
class FrameCodecEncodeLimitsTest {
    private static final NodeId NODE = NodeId.of(new byte[32]);

    private final FrameCodec codec = new FrameCodec();
    private final RandomPackets random = new RandomPackets(9);

    @Test
    void listsLongerThanTheirLimitAreRefused() {
        Contact contact = random.contact();
        List<Contact> tooManyContacts = Collections.nCopies(WireLimits.MAX_CONTACTS + 1, contact);
        List<Endpoint> tooManyEndpoints = new ArrayList<>();
        for (int i = 0; i <= WireLimits.MAX_ENDPOINTS; i++) {
            tooManyEndpoints.add(new Endpoint("quic", "10.0.0." + i, 1, NODE));
        }
        List<Record> tooManyRecords = Collections.nCopies(WireLimits.MAX_RECORDS + 1, random.record());

        assertEncodeRefused(Packet.response(1, new Frames.Nodes(tooManyContacts)), "Nodes.contacts has 33 entries");
        assertEncodeRefused(Packet.request(1, new Frames.Ping(new Contact(NODE, tooManyEndpoints))),
                "Ping.sender.endpoints has 9 entries");
        assertEncodeRefused(Packet.request(1, new Frames.Store(contact, tooManyRecords)),
                "Store.records has 65 entries");
        assertEncodeRefused(Packet.response(1, new Frames.Values(List.of(), tooManyContacts, false)),
                "Values.closer has 33 entries");
        assertEncodeRefused(Packet.response(1, new Frames.Values(tooManyRecords, List.of(), false)),
                "Values.records has 65 entries");
    }

    @Test
    void recordFieldsOverTheirLimitAreRefused() {
        assertEncodeRefused(withdraw(WireLimits.MAX_RECORD_VALUE_BYTES + 1, 44, 64, Instant.EPOCH),
                "Withdraw.withdrawal.value is 4097 bytes, more than 4096");
        assertEncodeRefused(withdraw(1, WireLimits.MAX_PUBLIC_KEY_BYTES + 1, 64, Instant.EPOCH),
                "Withdraw.withdrawal.publicKey is 129 bytes");
        assertEncodeRefused(withdraw(1, 44, WireLimits.MAX_SIGNATURE_BYTES + 1, Instant.EPOCH),
                "Withdraw.withdrawal.signature is 129 bytes");
        assertEncodeRefused(withdraw(1, 44, 64, Instant.MAX), "Withdraw.withdrawal.expiresAt is beyond");
    }

    @Test
    void routeFieldsOverTheirLimitAreRefused() {
        assertEncodeRefused(route("default", new byte[WireLimits.MAX_PAYLOAD_BYTES + 1], Instant.EPOCH, 0),
                "Route.payload is 1048577 bytes, more than 1048576");
        assertEncodeRefused(route("r".repeat(65), new byte[0], Instant.EPOCH, 0), "Route.realm is 65 UTF-8 bytes");
        assertEncodeRefused(route("é".repeat(33), new byte[0], Instant.EPOCH, 0), "Route.realm is 66 UTF-8 bytes");
        assertEncodeRefused(route("bad\uD800", new byte[0], Instant.EPOCH, 0), "Route.realm has an unpaired surrogate");
        assertEncodeRefused(route("default", new byte[0], Instant.MIN, 0), "Route.publishedAt is beyond");
        assertEncodeRefused(route("default", new byte[0], Instant.EPOCH, -1), "Route.hops must be 0..2147483647: -1");
    }

    @Test
    void numbersAndTextOutOfRangeAreRefused() {
        assertEncodeRefused(Packet.response(1, new Frames.Error(Frames.Error.Code.INTERNAL, "é".repeat(257))),
                "Error.message is 514 UTF-8 bytes, more than 512");
        assertEncodeRefused(Packet.response(1, new Frames.Stored(WireLimits.MAX_RECORDS + 1)),
                "Stored.accepted must be 0..64: 65");
        assertEncodeRefused(Packet.response(1, new Frames.Stored(-1)), "Stored.accepted must be 0..64: -1");
        assertEncodeRefused(Packet.request(1, new Frames.FindValue(random.contact(), random.key(), -1)),
                "FindValue.page must be 0..2147483647: -1");
    }

    @Test
    void framesExactlyAtTheirLimitsAreAccepted() {
        Packet route = route("r".repeat(WireLimits.MAX_REALM_BYTES), new byte[WireLimits.MAX_PAYLOAD_BYTES],
                Instant.ofEpochMilli(Long.MAX_VALUE), Integer.MAX_VALUE);
        assertThat(codec.decode(codec.encode(route))).isEqualTo(route);
        Packet withdraw = withdraw(WireLimits.MAX_RECORD_VALUE_BYTES, WireLimits.MAX_PUBLIC_KEY_BYTES,
                WireLimits.MAX_SIGNATURE_BYTES, Instant.ofEpochMilli(Long.MIN_VALUE));
        assertThat(codec.decode(codec.encode(withdraw))).isEqualTo(withdraw);
        Packet error = Packet.response(1, new Frames.Error(Frames.Error.Code.INTERNAL, "é".repeat(256)));
        assertThat(codec.decode(codec.encode(error))).isEqualTo(error);
    }

    private void assertEncodeRefused(Packet packet, String message) {
        Throwable thrown = catchThrowable(() -> codec.encode(packet));
        assertThat(thrown).isExactlyInstanceOf(WireException.class).hasMessageContaining(message);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Throwable streamed = catchThrowable(() -> encodeTo(packet, out));
        assertThat(streamed).isExactlyInstanceOf(WireException.class).hasMessageContaining(message);
        assertThat(out.size()).as("bytes written before refusing").isZero();
    }

    private void encodeTo(Packet packet, ByteArrayOutputStream out) {
        try {
            codec.encode(packet, out);
        } catch (IOException e) {
            throw new AssertionError("a ByteArrayOutputStream does not fail", e);
        }
    }

    private static Packet withdraw(int valueBytes, int publicKeyBytes, int signatureBytes, Instant expiresAt) {
        return Packet.oneWay(new Frames.Withdraw(new Record(Key.of(NODE), NODE, 1, expiresAt, new byte[valueBytes],
                new byte[publicKeyBytes], new byte[signatureBytes])));
    }

    private static Packet route(String realm, byte[] payload, Instant publishedAt, int hops) {
        return Packet.oneWay(new Frames.Route(MessageId.of(new byte[16]), realm, Topic.of("a.b"), payload,
                Qos.AT_MOST_ONCE, NODE, publishedAt, hops));
    }
}
