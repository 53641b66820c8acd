package io.hyphae.sim;

import java.util.Locale;

/**
 * The figures of one simulation run. {@link #table()} formats them as the simulator prints them.
 *
 * @param settings        what was run
 * @param liveAtEnd       nodes live at the end
 * @param started         nodes started in all (the first {@code nodes} and those churn brought)
 * @param left            nodes that left (churn)
 * @param findNode        FIND_NODE figures
 * @param findValue       FIND_VALUE figures
 * @param storesAccepted  stores at least one node accepted
 * @param storesRetried   stores that failed (their node left while storing) and were made again through another
 * @param storesFailed    stores no node accepted, after every attempt
 * @param heapAfterBuild  used heap after GC with the whole mesh built and warmed up, bytes
 * @param heapAtEnd       used heap after GC at the end, bytes
 * @param eventsBuilt     simulation tasks run by the end of the warm-up
 * @param events          simulation tasks run in all
 * @param wallBuildMs     wall time of build-up and warm-up
 * @param wallTotalMs     wall time of the whole run (without the final heap measurement)
 * @param framesSent      frames the network accepted
 * @param framesLost      frames the links lost
 * @param framesToNowhere frames to departed nodes (refused, or arriving after the node left)
 * @param replication     where the workload's records lie at the end
 * @param machine         where it ran
 */
public record SimulationResult(SimulationSettings settings, int liveAtEnd, int started, int left,
                               LookupTally findNode, LookupTally findValue, long storesAccepted, long storesRetried,
                               long storesFailed, long heapAfterBuild, long heapAtEnd, long eventsBuilt, long events,
                               long wallBuildMs,
                               long wallTotalMs, long framesSent, long framesLost, long framesToNowhere,
                               Replication replication, Machine machine) {

    public double findNodeSuccess() {
        return findNode.successRate();
    }

    public double findValueSuccess() {
        return findValue.successRate();
    }

    public double meanHops() {
        return findNode.hops.mean();
    }

    public int p99Hops() {
        return findNode.hops.percentile(0.99);
    }

    public long heapPerNode() {
        return heapAfterBuild / settings.nodes();
    }

    public double eventsPerWallSecond() {
        return wallTotalMs == 0 ? Double.NaN : events * 1_000.0 / wallTotalMs;
    }

    /** The figures as a two-column Markdown table, headed by what was run. */
    public String table() {
        SimulationSettings s = settings;
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "DHT simulation: %,d nodes, churn %.1f %%/virtual min, %d virtual min, "
                + "seed %d, links %d ms + up to %d ms jitter, loss %.3f%n%n", s.nodes(), s.churnPercentPerMin(),
                s.minutes(), s.seed(), s.latencyMs(), s.jitterMs(), s.lossRate()));
        out.append("| figure | value |\n|---|---|\n");
        row(out, "nodes (live at end; started, left)", "%,d (%,d started, %,d left)", liveAtEnd, started, left);
        row(out, "churn", "%.1f %% per virtual minute", s.churnPercentPerMin());
        row(out, "FIND_NODE lookups judged (aborted: asker left)", "%,d (%,d)", findNode.judged(),
                findNode.aborted);
        row(out, "FIND_NODE success (nearest live node found)", "%.2f %% (%,d failed, %,d errors)",
                100 * findNode.successRate(), findNode.failed, findNode.errors);
        row(out, "hops mean / p50 / p99 / max", "%.2f / %d / %d / %d", findNode.hops.mean(),
                findNode.hops.percentile(0.5), findNode.hops.percentile(0.99), findNode.hops.max());
        row(out, "FIND_NODE rounds mean / p99", "%.2f / %d", findNode.rounds.mean(), findNode.rounds.percentile(0.99));
        row(out, "RPCs per FIND_NODE mean / p99", "%.1f / %d", findNode.rpcs.mean(), findNode.rpcs.percentile(0.99));
        row(out, "FIND_VALUE lookups judged (aborted)", "%,d (%,d)", findValue.judged(), findValue.aborted);
        row(out, "FIND_VALUE success (every publisher's record found)", "%.2f %% (%,d failed, %,d errors)",
                100 * findValue.successRate(), findValue.failed, findValue.errors);
        row(out, "value rounds mean / p99", "%.2f / %d", findValue.valueRounds.mean(),
                findValue.valueRounds.percentile(0.99));
        row(out, "RPCs per FIND_VALUE mean / p99", "%.1f / %d", findValue.rpcs.mean(),
                findValue.rpcs.percentile(0.99));
        row(out, "records found per FIND_VALUE (publishers per key)", "%.2f (%d)", findValue.records.mean(),
                s.publishersPerKey());
        row(out, "live holders per key mean / max (of the k nearest: complete mean / min)",
                "%.1f / %d (%.1f / %d)", replication.holdersMean(), replication.holdersMax(),
                replication.nearestCompleteMean(), replication.nearestCompleteMin());
        row(out, "records accepted / pushed by live nodes", "%,d / %,d", replication.recordsAccepted(),
                replication.recordsPushed());
        row(out, "stores accepted / retried / failed", "%,d / %,d / %,d", storesAccepted, storesRetried,
                storesFailed);
        row(out, "frames sent / lost / to departed nodes", "%,d / %,d / %,d", framesSent, framesLost,
                framesToNowhere);
        row(out, "heap per node (used after GC / nodes)", "%.1f KiB (%.2f GiB after build-up, %.2f GiB at end)",
                heapPerNode() / 1024.0, heapAfterBuild / (double) (1L << 30), heapAtEnd / (double) (1L << 30));
        row(out, "simulation events (tasks run)", "%,d (%,d in build-up and warm-up)", events, eventsBuilt);
        row(out, "events per wall second", "%,.0f", eventsPerWallSecond());
        row(out, "wall time (build-up and warm-up / total)", "%.1f s / %.1f s", wallBuildMs / 1e3, wallTotalMs / 1e3);
        row(out, "machine", "%s", machine);
        return out.toString();
    }

    private static void row(StringBuilder out, String figure, String format, Object... args) {
        out.append("| ").append(figure).append(" | ").append(String.format(Locale.ROOT, format, args)).append(" |\n");
    }
}
