package io.hyphae.sim;

/**
 * What one simulation run does. Immutable; {@link #defaults()} plus the {@code with*} methods, or
 * {@link SimulationFlags#parse} from a command line.
 *
 * @param nodes              mesh size: nodes joined before the measured phase, kept constant by churn
 * @param churnPercentPerMin nodes leaving (and as many new ones joining) per virtual minute, in percent of
 *                           {@code nodes}; 0 for none
 * @param minutes            virtual minutes of the measured phase (churn and lookups run during it)
 * @param seed               seeds every random choice: ids, joins, churn, workload, link jitter and loss
 * @param latencyMs          one-way link latency
 * @param jitterMs           largest random extra delay of a frame
 * @param lossRate           probability in [0, 1] that a frame is lost
 * @param lookups            FIND_NODE lookups, spread evenly at random over the measured phase
 * @param valueLookups       FIND_VALUE lookups, spread likewise (after the first stores)
 * @param keys               keys records are stored under
 * @param publishersPerKey   publishers storing one record each under every key
 * @param joinSpacingMs      virtual time between two nodes starting during the build-up; 0: chosen from
 *                           {@code nodes}: at most 100 ms apart, the whole mesh within 100 virtual seconds
 * @param warmUpSeconds      virtual time between the last start and the measured phase
 * @param recordTtlSeconds   lifetime of a stored record; its publisher stores it again every half of it
 */
public record SimulationSettings(int nodes, double churnPercentPerMin, int minutes, long seed, long latencyMs,
                                 long jitterMs, double lossRate, int lookups, int valueLookups, int keys,
                                 int publishersPerKey, long joinSpacingMs, long warmUpSeconds,
                                 long recordTtlSeconds) {
    public static final int DEFAULT_NODES = 1_000;
    public static final int DEFAULT_MINUTES = 5;
    public static final long DEFAULT_SEED = 1;
    public static final long DEFAULT_LATENCY_MS = 25;
    public static final long DEFAULT_JITTER_MS = 10;
    public static final int DEFAULT_LOOKUPS = 2_000;
    public static final int DEFAULT_VALUE_LOOKUPS = 500;
    public static final int DEFAULT_KEYS = 50;
    public static final int DEFAULT_PUBLISHERS_PER_KEY = 5;
    public static final long DEFAULT_WARM_UP_SECONDS = 60;
    public static final long DEFAULT_RECORD_TTL_SECONDS = 300;

    /**
     * @throws IllegalArgumentException naming the setting that is out of range
     */
    public SimulationSettings {
        require(nodes >= 2, "nodes must be at least 2", nodes);
        require(churnPercentPerMin >= 0 && churnPercentPerMin <= 100, "churn-per-min must be 0..100 (percent)",
                churnPercentPerMin);
        require(minutes >= 1, "minutes must be at least 1", minutes);
        require(latencyMs >= 0, "latency-ms must not be negative", latencyMs);
        require(jitterMs >= 0, "jitter-ms must not be negative", jitterMs);
        require(lossRate >= 0 && lossRate <= 1, "loss must be in [0, 1]", lossRate);
        require(lookups >= 0, "lookups must not be negative", lookups);
        require(valueLookups >= 0, "value-lookups must not be negative", valueLookups);
        require(keys >= 1, "keys must be at least 1", keys);
        require(publishersPerKey >= 1, "publishers must be at least 1", publishersPerKey);
        require(joinSpacingMs >= 0, "join-spacing-ms must not be negative", joinSpacingMs);
        require(warmUpSeconds >= 0, "warm-up-s must not be negative", warmUpSeconds);
        require(recordTtlSeconds >= 2, "record-ttl-s must be at least 2", recordTtlSeconds);
    }

    public static SimulationSettings defaults() {
        return new SimulationSettings(DEFAULT_NODES, 0, DEFAULT_MINUTES, DEFAULT_SEED, DEFAULT_LATENCY_MS,
                DEFAULT_JITTER_MS, 0, DEFAULT_LOOKUPS, DEFAULT_VALUE_LOOKUPS, DEFAULT_KEYS, DEFAULT_PUBLISHERS_PER_KEY,
                0, DEFAULT_WARM_UP_SECONDS, DEFAULT_RECORD_TTL_SECONDS);
    }

    public SimulationSettings withNodes(int n) {
        return new SimulationSettings(n, churnPercentPerMin, minutes, seed, latencyMs, jitterMs, lossRate, lookups,
                valueLookups, keys, publishersPerKey, joinSpacingMs, warmUpSeconds, recordTtlSeconds);
    }

    public SimulationSettings withChurn(double percentPerMin) {
        return new SimulationSettings(nodes, percentPerMin, minutes, seed, latencyMs, jitterMs, lossRate, lookups,
                valueLookups, keys, publishersPerKey, joinSpacingMs, warmUpSeconds, recordTtlSeconds);
    }

    public SimulationSettings withMinutes(int m) {
        return new SimulationSettings(nodes, churnPercentPerMin, m, seed, latencyMs, jitterMs, lossRate, lookups,
                valueLookups, keys, publishersPerKey, joinSpacingMs, warmUpSeconds, recordTtlSeconds);
    }

    public SimulationSettings withSeed(long s) {
        return new SimulationSettings(nodes, churnPercentPerMin, minutes, s, latencyMs, jitterMs, lossRate, lookups,
                valueLookups, keys, publishersPerKey, joinSpacingMs, warmUpSeconds, recordTtlSeconds);
    }

    public SimulationSettings withLinks(long latency, long jitter, double loss) {
        return new SimulationSettings(nodes, churnPercentPerMin, minutes, seed, latency, jitter, loss, lookups,
                valueLookups, keys, publishersPerKey, joinSpacingMs, warmUpSeconds, recordTtlSeconds);
    }

    public SimulationSettings withWorkload(int findNode, int findValue, int keyCount, int publishers) {
        return new SimulationSettings(nodes, churnPercentPerMin, minutes, seed, latencyMs, jitterMs, lossRate,
                findNode, findValue, keyCount, publishers, joinSpacingMs, warmUpSeconds, recordTtlSeconds);
    }

    public SimulationSettings withPhases(long spacingMs, long warmUp, long ttlSeconds) {
        return new SimulationSettings(nodes, churnPercentPerMin, minutes, seed, latencyMs, jitterMs, lossRate,
                lookups, valueLookups, keys, publishersPerKey, spacingMs, warmUp, ttlSeconds);
    }

    /** Virtual milliseconds between two nodes starting during the build-up. */
    long effectiveJoinSpacingMs() {
        if (joinSpacingMs > 0) {
            return joinSpacingMs;
        }
        // the whole mesh starts within 100 virtual seconds, and nodes start at most 100 ms apart
        return Math.min(100, Math.max(1, 100_000L / nodes));
    }

    private static void require(boolean ok, String rule, double value) {
        if (!ok) {
            throw new IllegalArgumentException(rule + ": " + value);
        }
    }
}
