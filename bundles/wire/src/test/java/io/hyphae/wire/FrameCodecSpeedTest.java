package io.hyphae.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.hyphae.api.MessageId;
import io.hyphae.api.NodeId;
import io.hyphae.api.Qos;
import io.hyphae.api.Topic;
import java.time.Instant;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures encode + decode of a 256-byte route and logs it (target/surefire-reports/*-output.txt). A rough figure for
 * the publish path, not a benchmark: no timing is asserted, only that every round trip is exact.
 */
class FrameCodecSpeedTest {
    private static final Logger LOG = LoggerFactory.getLogger(FrameCodecSpeedTest.class);
    private static final int PACKET_BYTES = 256;

    private final FrameCodec codec = new FrameCodec();

    @Test
    void aRouteOf256BytesRoundTripsExactlyUnderLoad() {
        Packet packet = routeOfEncodedSize(PACKET_BYTES);
        assertThat(codec.encode(packet)).hasSize(PACKET_BYTES);
        long bytes = run(packet, 200_000);
        int rounds = 5;
        int iterations = 100_000;
        long[] nanosPerRoundTrip = new long[rounds];
        for (int round = 0; round < rounds; round++) {
            long start = System.nanoTime();
            bytes += run(packet, iterations);
            nanosPerRoundTrip[round] = (System.nanoTime() - start) / iterations;
        }
        // Best and median of the rounds: other processes on the machine only ever make a round slower.
        Arrays.sort(nanosPerRoundTrip);
        LOG.info("{}-byte Route encode + decode: best {} ns, median {} ns per round trip ({} rounds of {})",
                PACKET_BYTES, nanosPerRoundTrip[0], nanosPerRoundTrip[rounds / 2], rounds, iterations);
        assertThat(bytes).isEqualTo((200_000L + (long) rounds * iterations) * PACKET_BYTES);
    }

    private long run(Packet packet, int iterations) {
        long bytes = 0;
        for (int i = 0; i < iterations; i++) {
            byte[] encoded = codec.encode(packet);
            Packet decoded = codec.decode(encoded);
            if (!decoded.equals(packet)) {
                throw new AssertionError("round trip " + i + " changed the packet: " + decoded);
            }
            bytes += encoded.length;
        }
        return bytes;
    }

    private Packet routeOfEncodedSize(int size) {
        SplittableRandom random = new SplittableRandom(256);
        byte[] nodeId = new byte[NodeId.BYTES];
        random.nextBytes(nodeId);
        int payloadBytes = size;
        while (true) {
            byte[] payload = new byte[payloadBytes];
            random.nextBytes(payload);
            Packet packet = Packet.oneWay(new Frames.Route(MessageId.random(random), "default",
                    Topic.of("sensors.building-7.temperature"), payload, Qos.AT_LEAST_ONCE, NodeId.of(nodeId),
                    Instant.ofEpochMilli(1_790_000_000_000L), 0));
            int encoded = codec.encode(packet).length;
            if (encoded == size) {
                return packet;
            }
            payloadBytes -= encoded - size;
        }
    }
}
