package io.hyphae.router;

import io.hyphae.api.MessageId;
import io.hyphae.api.NodeId;
import java.time.Clock;
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
 * What de-duplication costs one inbound route on a transport thread, in the router's default window (100,000 ids),
 * filled before measuring. In this package because {@link DedupeWindow} is the router's own (Netty's microbench does
 * the same). Each operation makes a fresh id and records it:
 * <ul>
 *   <li>{@code sequenced}: one publisher's consecutive numbers, what a subscriber of all its topics sees; the
 *       sequence window answers;</li>
 *   <li>{@code every8}, {@code every32}: every 8th or 32nd number, a subscriber of one topic in 8 or 32; the window
 *       grows to keep eight times as many numbers, so at one in eight it still answers alone, and at one in 32 it
 *       spills into the table what slides out before 100,000 newer ids came;</li>
 *   <li>{@code random}: ids of no stream, so the table answers every one, as it did for all ids before the window.</li>
 * </ul>
 * Run: {@code java -cp bench/target/benchmarks.jar org.openjdk.jmh.Main DedupeBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DedupeBenchmark {
    @Param({"sequenced", "every8", "every32", "random"})
    String ids;

    private final NodeId publisher = NodeId.of(new byte[NodeId.BYTES]);
    private final SplittableRandom random = new SplittableRandom(7);
    private DedupeWindow window;
    private boolean randomIds;
    private long next;
    private long step;

    @Setup
    public void setUp() {
        window = new DedupeWindow(RouterSettings.DEFAULT_DEDUPE_MAX_IDS, RouterSettings.DEFAULT_DEDUPE_WINDOW_MS,
                Clock.systemUTC(), random.nextLong());
        randomIds = ids.equals("random");
        step = ids.startsWith("every") ? Long.parseLong(ids.substring("every".length())) : 1;
        for (int i = 0; i < 2 * RouterSettings.DEFAULT_DEDUPE_MAX_IDS; i++) {
            record();
        }
    }

    @Benchmark
    public boolean record() {
        MessageId id = randomIds ? MessageId.ofSequence(random.nextLong(), random.nextLong())
                : MessageId.ofSequence(42, next += step);
        return window.firstSeen(publisher, id);
    }
}
