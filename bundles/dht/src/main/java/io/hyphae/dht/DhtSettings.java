package io.hyphae.dht;

import io.hyphae.wire.WireLimits;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Settings of a {@link KademliaDht}. The {@code DEFAULT_*} constants are the defaults, also of the metatype
 * ({@link DhtComponent.Config}). Immutable.
 *
 * @param k                   bucket size and replication factor (SPEC: 20); at most {@link WireLimits#MAX_CONTACTS}
 * @param alpha               parallel RPCs of one lookup (SPEC: 3)
 * @param rpcTimeoutMs        deadline of one RPC to one endpoint
 * @param maxRecordTtlMs      records expiring later than now + this are refused
 * @param refreshIntervalMs   a bucket with no lookup for this long is refreshed (SPEC: one hour)
 * @param republishIntervalMs held records are pushed to the current k closest this often
 * @param bootstrap           endpoints ({@code scheme://host:port/nodeId}) to join through; empty: first node
 * @param maxRecordsPerKey    most records (publishers) held under one key
 * @param maxRecords          most records held in all
 * @param joinRetryMinMs      first delay before retrying a join no bootstrap node answered
 * @param joinRetryMaxMs      longest delay between join attempts (the delay doubles up to it)
 * @param valueQuorum         a value lookup stops once this many holders answered with records and as many of the
 *                            nearest peers it knows answered (far holders may hold only some publishers' records)
 * @param maxLookupRpcs       most requests one lookup sends (bounds a lookup fed endless fake contacts)
 * @param badPeerLogWindowMs  trouble from one peer is logged at most once per this window (and counted always)
 * @param maxContactFailures  a routing-table contact is evicted once it failed this many requests in a row; any
 *                            answer or request from it starts the count again (Kademlia paper 4.1: a few, not one,
 *                            so that a lost frame does not evict a live node)
 * @param lookupAttempts      requests one lookup sends to a peer whose answer does not come in time before it counts
 *                            that peer unreachable (1: never asked again); a refused request is not repeated
 */
public record DhtSettings(int k, int alpha, long rpcTimeoutMs, long maxRecordTtlMs, long refreshIntervalMs,
                          long republishIntervalMs, List<String> bootstrap, int maxRecordsPerKey, int maxRecords,
                          long joinRetryMinMs, long joinRetryMaxMs, int valueQuorum, int maxLookupRpcs,
                          long badPeerLogWindowMs, int maxContactFailures, int lookupAttempts) {
    public static final int DEFAULT_K = 20;
    public static final int DEFAULT_ALPHA = 3;
    public static final long DEFAULT_RPC_TIMEOUT_MS = 2_000;
    public static final long DEFAULT_MAX_RECORD_TTL_MS = 24 * 3_600_000L;
    public static final long DEFAULT_REFRESH_INTERVAL_MS = 3_600_000;
    public static final long DEFAULT_REPUBLISH_INTERVAL_MS = 3_600_000;
    public static final int DEFAULT_MAX_RECORDS_PER_KEY = 1_024;
    public static final int DEFAULT_MAX_RECORDS = 100_000;
    public static final long DEFAULT_JOIN_RETRY_MIN_MS = 1_000;
    public static final long DEFAULT_JOIN_RETRY_MAX_MS = 60_000;
    public static final int DEFAULT_VALUE_QUORUM = 3;
    public static final int DEFAULT_MAX_LOOKUP_RPCS = 200;
    public static final long DEFAULT_BAD_PEER_LOG_WINDOW_MS = 60_000;
    public static final int DEFAULT_MAX_CONTACT_FAILURES = 3;
    public static final int DEFAULT_LOOKUP_ATTEMPTS = 3;

    /**
     * @throws IllegalArgumentException naming the setting that is out of range
     */
    public DhtSettings {
        bootstrap = List.copyOf(Objects.requireNonNull(bootstrap, "bootstrap")).stream()
                .map(String::strip).filter(s -> !s.isEmpty()).toList();
        require(k >= 1 && k <= WireLimits.MAX_CONTACTS, "k must be 1.." + WireLimits.MAX_CONTACTS, k);
        require(alpha >= 1 && alpha <= k, "alpha must be 1..k", alpha);
        require(rpcTimeoutMs > 0, "rpcTimeoutMs must be positive", rpcTimeoutMs);
        require(maxRecordTtlMs > 0, "maxRecordTtlMs must be positive", maxRecordTtlMs);
        require(refreshIntervalMs > 0, "refreshIntervalMs must be positive", refreshIntervalMs);
        require(republishIntervalMs > 0, "republishIntervalMs must be positive", republishIntervalMs);
        require(maxRecordsPerKey >= 1, "maxRecordsPerKey must be positive", maxRecordsPerKey);
        require(maxRecords >= maxRecordsPerKey, "maxRecords must be at least maxRecordsPerKey", maxRecords);
        require(joinRetryMinMs > 0 && joinRetryMaxMs >= joinRetryMinMs,
                "joinRetryMinMs must be positive and at most joinRetryMaxMs", joinRetryMinMs);
        require(valueQuorum >= 1, "valueQuorum must be positive", valueQuorum);
        require(maxLookupRpcs >= alpha, "maxLookupRpcs must be at least alpha", maxLookupRpcs);
        require(badPeerLogWindowMs >= 0, "badPeerLogWindowMs must not be negative", badPeerLogWindowMs);
        require(maxContactFailures >= 1, "maxContactFailures must be positive", maxContactFailures);
        require(lookupAttempts >= 1, "lookupAttempts must be positive", lookupAttempts);
    }

    /** Settings with the default failure tolerance ({@link #maxContactFailures}, {@link #lookupAttempts}). */
    public DhtSettings(int k, int alpha, long rpcTimeoutMs, long maxRecordTtlMs, long refreshIntervalMs,
                       long republishIntervalMs, List<String> bootstrap, int maxRecordsPerKey, int maxRecords,
                       long joinRetryMinMs, long joinRetryMaxMs, int valueQuorum, int maxLookupRpcs,
                       long badPeerLogWindowMs) {
        this(k, alpha, rpcTimeoutMs, maxRecordTtlMs, refreshIntervalMs, republishIntervalMs, bootstrap,
                maxRecordsPerKey, maxRecords, joinRetryMinMs, joinRetryMaxMs, valueQuorum, maxLookupRpcs,
                badPeerLogWindowMs, DEFAULT_MAX_CONTACT_FAILURES, DEFAULT_LOOKUP_ATTEMPTS);
    }

    /** Every default, no bootstrap (the first node of a mesh). */
    public static DhtSettings defaults() {
        return new DhtSettings(DEFAULT_K, DEFAULT_ALPHA, DEFAULT_RPC_TIMEOUT_MS, DEFAULT_MAX_RECORD_TTL_MS,
                DEFAULT_REFRESH_INTERVAL_MS, DEFAULT_REPUBLISH_INTERVAL_MS, List.of(), DEFAULT_MAX_RECORDS_PER_KEY,
                DEFAULT_MAX_RECORDS, DEFAULT_JOIN_RETRY_MIN_MS, DEFAULT_JOIN_RETRY_MAX_MS, DEFAULT_VALUE_QUORUM,
                DEFAULT_MAX_LOOKUP_RPCS, DEFAULT_BAD_PEER_LOG_WINDOW_MS, DEFAULT_MAX_CONTACT_FAILURES,
                DEFAULT_LOOKUP_ATTEMPTS);
    }

    static DhtSettings from(DhtComponent.Config c) {
        return new DhtSettings(c.k(), c.alpha(), c.rpcTimeoutMs(), c.maxRecordTtlMs(), c.refreshIntervalMs(),
                c.republishIntervalMs(), bootstrapList(c.bootstrap()), c.maxRecordsPerKey(), c.maxRecords(),
                c.joinRetryMinMs(), c.joinRetryMaxMs(), c.valueQuorum(), c.maxLookupRpcs(),
                DEFAULT_BAD_PEER_LOG_WINDOW_MS, c.maxContactFailures(), c.lookupAttempts());
    }

    /**
     * The bootstrap endpoints of a configuration: a {@code .cfg} file (Karaf, fileinstall) gives one string, so each
     * value may itself hold several endpoints separated by commas or white space.
     */
    static List<String> bootstrapList(String[] values) {
        return Arrays.stream(values)
                .flatMap(value -> Arrays.stream(value.split("[,\\s]+")))
                .filter(endpoint -> !endpoint.isEmpty())
                .toList();
    }

    public DhtSettings withBootstrap(List<String> endpoints) {
        return new DhtSettings(k, alpha, rpcTimeoutMs, maxRecordTtlMs, refreshIntervalMs, republishIntervalMs,
                endpoints, maxRecordsPerKey, maxRecords, joinRetryMinMs, joinRetryMaxMs, valueQuorum, maxLookupRpcs,
                badPeerLogWindowMs, maxContactFailures, lookupAttempts);
    }

    public DhtSettings withK(int newK) {
        return new DhtSettings(newK, Math.min(alpha, newK), rpcTimeoutMs, maxRecordTtlMs, refreshIntervalMs,
                republishIntervalMs, bootstrap, maxRecordsPerKey, maxRecords, joinRetryMinMs, joinRetryMaxMs,
                valueQuorum, maxLookupRpcs, badPeerLogWindowMs, maxContactFailures, lookupAttempts);
    }

    public DhtSettings withRecordLimits(int perKey, int total) {
        return new DhtSettings(k, alpha, rpcTimeoutMs, maxRecordTtlMs, refreshIntervalMs, republishIntervalMs,
                bootstrap, perKey, total, joinRetryMinMs, joinRetryMaxMs, valueQuorum, maxLookupRpcs,
                badPeerLogWindowMs, maxContactFailures, lookupAttempts);
    }

    public DhtSettings withRpcTimeoutMs(long ms) {
        return new DhtSettings(k, alpha, ms, maxRecordTtlMs, refreshIntervalMs, republishIntervalMs, bootstrap,
                maxRecordsPerKey, maxRecords, joinRetryMinMs, joinRetryMaxMs, valueQuorum, maxLookupRpcs,
                badPeerLogWindowMs, maxContactFailures, lookupAttempts);
    }

    public DhtSettings withIntervals(long refreshMs, long republishMs) {
        return new DhtSettings(k, alpha, rpcTimeoutMs, maxRecordTtlMs, refreshMs, republishMs, bootstrap,
                maxRecordsPerKey, maxRecords, joinRetryMinMs, joinRetryMaxMs, valueQuorum, maxLookupRpcs,
                badPeerLogWindowMs, maxContactFailures, lookupAttempts);
    }

    /**
     * These settings with another tolerance of failed requests: evict a contact after {@code maxFailures} in a row,
     * ask a peer that does not answer in time at most {@code attempts} times in one lookup.
     */
    public DhtSettings withFailureTolerance(int maxFailures, int attempts) {
        return new DhtSettings(k, alpha, rpcTimeoutMs, maxRecordTtlMs, refreshIntervalMs, republishIntervalMs,
                bootstrap, maxRecordsPerKey, maxRecords, joinRetryMinMs, joinRetryMaxMs, valueQuorum, maxLookupRpcs,
                badPeerLogWindowMs, maxFailures, attempts);
    }

    Duration rpcTimeout() {
        return Duration.ofMillis(rpcTimeoutMs);
    }

    private static void require(boolean ok, String rule, long value) {
        if (!ok) {
            throw new IllegalArgumentException(rule + ": " + value);
        }
    }
}
