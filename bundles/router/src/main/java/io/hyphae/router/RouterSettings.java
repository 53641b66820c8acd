package io.hyphae.router;

import io.hyphae.wire.WireLimits;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Settings of the router. The realm, the payload limit and the QoS 1 deadline are the node's (PID
 * {@code io.hyphae.node}); the rest is router tuning (PID {@code io.hyphae.router}).
 *
 * @param realm                   the realm whose messages this node takes; routes of another realm are refused
 * @param maxPayloadBytes         largest inbound payload taken, at most {@link WireLimits#MAX_PAYLOAD_BYTES}
 * @param qos1DeadlineMs          how long a QoS 1 message is retried until its subscriber acknowledges it
 * @param retryInitialMs          first QoS 1 retry delay
 * @param retryMultiplier         growth of the delay from one retry to the next
 * @param retryMaxMs              longest retry delay
 * @param retryJitter             fraction of each delay added or taken at random (0 = none, 0.2 = plus or minus 20 %)
 * @param unreachableAfterRounds  consecutive QoS 1 rounds in which every endpoint of a subscriber failed before it is
 *                                reported unreachable (without waiting for the deadline), counted only while
 *                                discovery cannot say where the subscriber is: one it still names is followed to
 *                                the endpoints it advertises until the deadline
 * @param maxQueuedPerPeer        messages accepted for one peer and not yet finished (sent for QoS 0, acknowledged
 *                                or expired for QoS 1); a route that would exceed it fails with backpressure
 * @param dedupeMaxIds            most message ids the de-duplication window remembers
 * @param dedupeWindowMs          how long the de-duplication window remembers an id
 * @param badPeerLogWindowMs      trouble from one peer is logged at most once per this window (always counted)
 */
public record RouterSettings(String realm, int maxPayloadBytes, long qos1DeadlineMs, long retryInitialMs,
                             double retryMultiplier, long retryMaxMs, double retryJitter, int unreachableAfterRounds,
                             int maxQueuedPerPeer, int dedupeMaxIds, long dedupeWindowMs, long badPeerLogWindowMs) {
    public static final String DEFAULT_REALM = "default";
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = WireLimits.MAX_PAYLOAD_BYTES;
    public static final long DEFAULT_QOS1_DEADLINE_MS = 30_000;
    public static final long DEFAULT_RETRY_INITIAL_MS = 200;
    public static final double DEFAULT_RETRY_MULTIPLIER = 2.0;
    public static final long DEFAULT_RETRY_MAX_MS = 5_000;
    public static final double DEFAULT_RETRY_JITTER = 0.2;
    public static final int DEFAULT_UNREACHABLE_AFTER_ROUNDS = 3;
    public static final int DEFAULT_MAX_QUEUED_PER_PEER = 1_024;
    public static final int DEFAULT_DEDUPE_MAX_IDS = 100_000;
    public static final long DEFAULT_DEDUPE_WINDOW_MS = 600_000;
    public static final long DEFAULT_BAD_PEER_LOG_WINDOW_MS = 60_000;

    /**
     * @throws IllegalArgumentException naming the setting that is out of range
     */
    public RouterSettings {
        Objects.requireNonNull(realm, "realm");
        int realmBytes = realm.getBytes(StandardCharsets.UTF_8).length;
        require(realmBytes >= 1 && realmBytes <= WireLimits.MAX_REALM_BYTES,
                "realm must be 1.." + WireLimits.MAX_REALM_BYTES + " UTF-8 bytes: \"" + realm + "\"");
        require(maxPayloadBytes >= 0 && maxPayloadBytes <= WireLimits.MAX_PAYLOAD_BYTES,
                "maxPayloadBytes must be 0.." + WireLimits.MAX_PAYLOAD_BYTES + ": " + maxPayloadBytes);
        require(qos1DeadlineMs > 0, "qos1DeadlineMs must be positive: " + qos1DeadlineMs);
        require(retryInitialMs > 0, "retryInitialMs must be positive: " + retryInitialMs);
        require(retryMultiplier >= 1.0, "retryMultiplier must be at least 1: " + retryMultiplier);
        require(retryMaxMs >= retryInitialMs, "retryMaxMs must be at least retryInitialMs: " + retryMaxMs);
        require(retryJitter >= 0 && retryJitter < 1, "retryJitter must be in [0, 1): " + retryJitter);
        require(unreachableAfterRounds >= 1, "unreachableAfterRounds must be positive: " + unreachableAfterRounds);
        require(maxQueuedPerPeer >= 1, "maxQueuedPerPeer must be positive: " + maxQueuedPerPeer);
        require(dedupeMaxIds >= 1, "dedupeMaxIds must be positive: " + dedupeMaxIds);
        require(dedupeWindowMs > 0, "dedupeWindowMs must be positive: " + dedupeWindowMs);
        require(badPeerLogWindowMs > 0, "badPeerLogWindowMs must be positive: " + badPeerLogWindowMs);
    }

    /** Every setting at its default. */
    public static RouterSettings defaults() {
        return new RouterSettings(DEFAULT_REALM, DEFAULT_MAX_PAYLOAD_BYTES, DEFAULT_QOS1_DEADLINE_MS,
                DEFAULT_RETRY_INITIAL_MS, DEFAULT_RETRY_MULTIPLIER, DEFAULT_RETRY_MAX_MS, DEFAULT_RETRY_JITTER,
                DEFAULT_UNREACHABLE_AFTER_ROUNDS, DEFAULT_MAX_QUEUED_PER_PEER, DEFAULT_DEDUPE_MAX_IDS,
                DEFAULT_DEDUPE_WINDOW_MS, DEFAULT_BAD_PEER_LOG_WINDOW_MS);
    }

    public RouterSettings withRealm(String newRealm) {
        return new RouterSettings(newRealm, maxPayloadBytes, qos1DeadlineMs, retryInitialMs, retryMultiplier,
                retryMaxMs, retryJitter, unreachableAfterRounds, maxQueuedPerPeer, dedupeMaxIds, dedupeWindowMs,
                badPeerLogWindowMs);
    }

    public RouterSettings withMaxPayloadBytes(int bytes) {
        return new RouterSettings(realm, bytes, qos1DeadlineMs, retryInitialMs, retryMultiplier, retryMaxMs,
                retryJitter, unreachableAfterRounds, maxQueuedPerPeer, dedupeMaxIds, dedupeWindowMs,
                badPeerLogWindowMs);
    }

    public RouterSettings withQos1DeadlineMs(long ms) {
        return new RouterSettings(realm, maxPayloadBytes, ms, retryInitialMs, retryMultiplier, retryMaxMs,
                retryJitter, unreachableAfterRounds, maxQueuedPerPeer, dedupeMaxIds, dedupeWindowMs,
                badPeerLogWindowMs);
    }

    public RouterSettings withRetry(long initialMs, double multiplier, long maxMs, double jitter) {
        return new RouterSettings(realm, maxPayloadBytes, qos1DeadlineMs, initialMs, multiplier, maxMs, jitter,
                unreachableAfterRounds, maxQueuedPerPeer, dedupeMaxIds, dedupeWindowMs, badPeerLogWindowMs);
    }

    public RouterSettings withMaxQueuedPerPeer(int max) {
        return new RouterSettings(realm, maxPayloadBytes, qos1DeadlineMs, retryInitialMs, retryMultiplier,
                retryMaxMs, retryJitter, unreachableAfterRounds, max, dedupeMaxIds, dedupeWindowMs,
                badPeerLogWindowMs);
    }

    public RouterSettings withDedupe(int maxIds, long windowMs) {
        return new RouterSettings(realm, maxPayloadBytes, qos1DeadlineMs, retryInitialMs, retryMultiplier,
                retryMaxMs, retryJitter, unreachableAfterRounds, maxQueuedPerPeer, maxIds, windowMs,
                badPeerLogWindowMs);
    }

    static RouterSettings from(RouterComponent.NodeConfig node, RouterComponent.Config router) {
        return new RouterSettings(node.realm(), node.maxPayloadBytes(), node.qos1DeadlineMs(),
                router.retryInitialMs(), router.retryMultiplier(), router.retryMaxMs(), router.retryJitter(),
                router.unreachableAfterRounds(), router.maxQueuedPerPeer(), router.dedupeMaxIds(),
                router.dedupeWindowMs(), router.badPeerLogWindowMs());
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
