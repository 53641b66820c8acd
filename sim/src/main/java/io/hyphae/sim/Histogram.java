package io.hyphae.sim;

/** Counts of small non-negative integers (hops, rounds, RPCs): mean and percentiles. Not thread safe. */
final class Histogram {
    private static final int MAX = 1_023;
    private final long[] counts = new long[MAX + 1];
    private long n;
    private long sum;

    void add(int value) {
        int v = Math.max(0, Math.min(MAX, value));
        counts[v]++;
        n++;
        sum += v;
    }

    long count() {
        return n;
    }

    double mean() {
        return n == 0 ? Double.NaN : (double) sum / n;
    }

    /** The smallest value at or above which lie no more than {@code 1 - p} of the values; 0 when empty. */
    int percentile(double p) {
        long rank = (long) Math.ceil(p * n);
        long seen = 0;
        for (int v = 0; v <= MAX; v++) {
            seen += counts[v];
            if (seen >= rank && seen > 0) {
                return v;
            }
        }
        return 0;
    }

    int max() {
        for (int v = MAX; v >= 0; v--) {
            if (counts[v] > 0) {
                return v;
            }
        }
        return 0;
    }
}
