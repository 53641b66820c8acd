package io.hyphae.bench;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/** Latency samples in nanoseconds, recorded from any thread up to a fixed capacity; percentiles after. */
final class Latencies {
    private final long[] samples;
    private final AtomicInteger count = new AtomicInteger();

    Latencies(int capacity) {
        samples = new long[capacity];
    }

    void record(long nanos) {
        int i = count.getAndIncrement();
        if (i < samples.length) {
            samples[i] = nanos;
        }
    }

    /** Every sample of {@code parts} in one set. */
    static Latencies merged(java.util.List<Latencies> parts) {
        Latencies all = new Latencies(parts.stream().mapToInt(Latencies::count).sum());
        for (Latencies part : parts) {
            for (int i = 0; i < part.count(); i++) {
                all.record(part.samples[i]);
            }
        }
        return all;
    }

    int count() {
        return Math.min(count.get(), samples.length);
    }

    /** The {@code p}-th percentile (0..100) in microseconds; NaN without samples. */
    double percentileUs(double p) {
        int n = count();
        if (n == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(samples, n);
        Arrays.sort(sorted);
        int index = (int) Math.min(n - 1, Math.max(0, Math.ceil(p / 100.0 * n) - 1));
        return sorted[index] / 1_000.0;
    }
}
