package io.hyphae.sim;

import io.hyphae.dht.LookupStats;

/**
 * The figures of one kind of lookup (FIND_NODE or FIND_VALUE), with SPEC's names: hops, rounds, value rounds, RPCs.
 * A lookup whose asker left before it ended is counted as aborted and in nothing else. Not thread safe.
 */
final class LookupTally {
    final Histogram hops = new Histogram();
    final Histogram rounds = new Histogram();
    final Histogram valueRounds = new Histogram();
    final Histogram rpcs = new Histogram();
    final Histogram records = new Histogram();
    long started;
    long succeeded;
    long failed;
    long aborted;
    long errors;

    void started() {
        started++;
    }

    /**
     * A lookup ended with {@code stats} and {@code recordsFound} records (FIND_VALUE); {@code success} as the
     * simulation defines it for this kind.
     */
    void ended(LookupStats stats, int recordsFound, boolean success) {
        hops.add(stats.hops());
        rounds.add(stats.rounds());
        rpcs.add(stats.rpcs());
        if (stats.valueRounds() > 0) {
            valueRounds.add(stats.valueRounds());
        }
        if (stats.value()) {
            records.add(recordsFound);
        }
        if (success) {
            succeeded++;
        } else {
            failed++;
        }
    }

    /** The lookup failed as a whole (its stage completed exceptionally): a failure. */
    void error() {
        errors++;
        failed++;
    }

    void aborted() {
        aborted++;
    }

    /** Lookups judged: succeeded or failed. */
    long judged() {
        return succeeded + failed;
    }

    double successRate() {
        return judged() == 0 ? Double.NaN : (double) succeeded / judged();
    }
}
