package io.hyphae.bench;

import io.hyphae.api.MessageId;
import io.hyphae.api.NodeId;
import io.hyphae.api.Qos;
import io.hyphae.api.Topic;
import io.hyphae.wire.FrameCodec;
import io.hyphae.wire.Frames;
import io.hyphae.wire.Packet;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the wire codec costs a route on each side, the CPU a transport spends per message before QUIC or TCP sees it.
 * Run: {@code java -cp bench/target/benchmarks.jar org.openjdk.jmh.Main FrameCodecBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FrameCodecBenchmark {
    @Param({"256", "16384"})
    int payloadBytes;

    private final FrameCodec codec = new FrameCodec();
    private Packet packet;
    private byte[] encoded;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(7);
        byte[] node = new byte[NodeId.BYTES];
        random.nextBytes(node);
        packet = Packet.request(42, new Frames.Route(MessageId.random(random), "default", Topic.of("bench.codec"),
                new byte[payloadBytes], Qos.AT_LEAST_ONCE, NodeId.of(node), Instant.now(), 0));
        encoded = codec.encode(packet);
    }

    @Benchmark
    public byte[] encodeRoute() {
        return codec.encode(packet);
    }

    @Benchmark
    public Packet decodeRoute() {
        return codec.decode(encoded);
    }
}
