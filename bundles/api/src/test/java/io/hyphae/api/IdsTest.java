package io.hyphae.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IdsTest {

    @Test
    void nodeIdRoundTripsThroughHex() {
        NodeId id = NodeId.ofPublicKey("key".getBytes(StandardCharsets.UTF_8));
        assertThat(NodeId.ofHex(id.toHex())).isEqualTo(id);
        assertThat(id.toHex()).hasSize(64).isLowerCase();
        assertThat(id.shortHex()).isEqualTo(id.toHex().substring(0, 8));
        // SHA-256("key")
        assertThat(id.toHex()).isEqualTo("2c70e12b7a0646f92279f427c7b38e7334d8e5389cff167a1dc30e73f826b683");
    }

    @Test
    void nodeIdIsImmutable() {
        byte[] bytes = new byte[32];
        NodeId id = NodeId.of(bytes);
        bytes[0] = 7;
        assertThat(id.byteAt(0)).isZero();
        id.toBytes()[1] = 9;
        assertThat(id.byteAt(1)).isZero();
    }

    @Test
    void nodeIdRefusesWrongLengthAndNonHex() {
        assertThatThrownBy(() -> NodeId.of(new byte[31])).hasMessage("node id must be 32 bytes, was 31");
        assertThatThrownBy(() -> NodeId.ofHex("abc")).hasMessageStartingWith("node id must be 64 hex digits, was 3");
        assertThatThrownBy(() -> NodeId.ofHex("z".repeat(64))).hasMessageStartingWith("node id is not hex");
    }

    @Test
    void nodeIdsOrderAsUnsignedBytes() {
        byte[] low = new byte[32];
        byte[] high = new byte[32];
        high[0] = (byte) 0x80;
        low[0] = 0x7f;
        assertThat(NodeId.of(low).compareTo(NodeId.of(high))).isNegative();
    }

    @Test
    void randomMessageIdsDifferAndRoundTrip() {
        SplittableRandom random = new SplittableRandom(1);
        MessageId a = MessageId.random(random);
        MessageId b = MessageId.random(random);
        assertThat(a).isNotEqualTo(b);
        assertThat(MessageId.of(a.toBytes())).isEqualTo(a).hasSameHashCodeAs(a);
        assertThat(a.toHex()).hasSize(32);
        assertThatThrownBy(() -> MessageId.of(new byte[15])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sequencedIdsRoundTripTheirStreamAndSequence() {
        for (long sequence : new long[] {0, 1, 2, 63, 64, 1L << 40, Long.MAX_VALUE, -1, Long.MIN_VALUE}) {
            MessageId id = MessageId.ofSequence(0x5EED_0000_0000_0001L, sequence);
            assertThat(id.stream()).isEqualTo(0x5EED_0000_0000_0001L);
            assertThat(id.sequence()).as("sequence %d", sequence).isEqualTo(sequence);
            assertThat(MessageId.of(id.toBytes())).isEqualTo(id);
        }
        assertThat(MessageId.ofSequence(7, 1).toHex()).as("the stream comes first, big endian")
                .startsWith("0000000000000007");
    }

    @Test
    void nodeIdIsWrittenInPlace() {
        NodeId id = NodeId.ofPublicKey("key".getBytes(StandardCharsets.UTF_8));
        byte[] buffer = new byte[NodeId.BYTES + 1];
        id.writeTo(buffer, 1);
        assertThat(Arrays.copyOfRange(buffer, 1, buffer.length)).isEqualTo(id.toBytes());
        assertThatThrownBy(() -> id.writeTo(buffer, 2)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    /** Codecs read and write an id inside their own buffers; the bytes are those toBytes and toHex give. */
    @Test
    void messageIdsAreReadAndWrittenInPlace() {
        MessageId id = MessageId.random(new SplittableRandom(5));
        byte[] buffer = new byte[20];
        id.writeTo(buffer, 3);
        assertThat(Arrays.copyOfRange(buffer, 3, 19)).isEqualTo(id.toBytes());
        assertThat(HexFormat.of().formatHex(id.toBytes())).isEqualTo(id.toHex());
        assertThat(MessageId.of(buffer, 3)).isEqualTo(id).hasSameHashCodeAs(id);
        assertThatThrownBy(() -> MessageId.of(buffer, 5)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> id.writeTo(buffer, 5)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    /** The mix is a bijection, so any 16 bytes name exactly one (stream, sequence), and back. */
    @Test
    void everyIdHasTheStreamAndSequenceItIsMadeOf() {
        SplittableRandom random = new SplittableRandom(4);
        for (int i = 0; i < 10_000; i++) {
            MessageId id = MessageId.random(random);
            assertThat(MessageId.ofSequence(id.stream(), id.sequence())).isEqualTo(id);
        }
    }

    /** Hash tables keyed by message id (de-duplication, acknowledgements) need ids that spread under hashCode. */
    @Test
    void consecutiveSequencedIdsHaveDistinctHashCodes() {
        Set<Integer> hashes = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            hashes.add(MessageId.ofSequence(42, i).hashCode());
        }
        assertThat(hashes).hasSizeGreaterThan(99_900);
    }

    @Test
    void messageCopiesItsPayload() {
        byte[] payload = {1, 2, 3};
        Message m = new Message(MessageId.random(new SplittableRandom(2)), "default", Topic.of("t"), payload,
                Qos.AT_LEAST_ONCE, NodeId.of(new byte[32]), Instant.EPOCH);
        payload[0] = 9;
        assertThat(m.payload()).containsExactly(1, 2, 3);
        m.payload()[1] = 9;
        assertThat(m.payload()).containsExactly(1, 2, 3);
        assertThat(m.payloadSize()).isEqualTo(3);
        assertThat(m).isEqualTo(new Message(m.id(), "default", Topic.of("t"), new byte[] {1, 2, 3},
                Qos.AT_LEAST_ONCE, NodeId.of(new byte[32]), Instant.EPOCH));
    }

    @Test
    void qosLevels() {
        assertThat(Qos.ofLevel(0)).isEqualTo(Qos.AT_MOST_ONCE);
        assertThat(Qos.ofLevel(1)).isEqualTo(Qos.AT_LEAST_ONCE);
        assertThatThrownBy(() -> Qos.ofLevel(2)).hasMessage("qos level must be 0 or 1: 2");
    }

    @Test
    void receiptCountsMisses() {
        PublishReceipt r = new PublishReceipt(MessageId.random(new SplittableRandom(3)), Topic.of("t"),
                Qos.AT_LEAST_ONCE, 1, 5, 3);
        assertThat(r.missed()).isEqualTo(2);
    }

    @Test
    void payloadTooLargeNamesSizes() {
        PayloadTooLargeException e = new PayloadTooLargeException(2_000_000, 1_048_576);
        assertThat(e).hasMessage("payload of 2000000 bytes exceeds maxPayloadBytes 1048576");
        assertThat(e.sizeBytes()).isEqualTo(2_000_000);
    }
}
