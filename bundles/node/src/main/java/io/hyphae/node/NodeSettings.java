package io.hyphae.node;

import io.hyphae.router.RouterSettings;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Settings of a node (PID {@code io.hyphae.node}). The realm, payload limit and QoS 1 deadline are shared with the
 * router, which reads the same PID; their defaults are the router's constants so each is written once.
 *
 * @param realm                 the mesh this node publishes and subscribes in
 * @param maxPayloadBytes       largest payload published or taken, at most 1 MiB
 * @param qos1DeadlineMs        how long a QoS 1 message is retried until acknowledged
 * @param handlerThreads        threads that run the message handlers; 0 runs each handler (and each receipt
 *                              continuation) on the thread that delivers it, a network thread: for handlers
 *                              that never block
 * @param handlerQueueCapacity  messages waiting for a handler thread before new ones are dropped (and counted)
 * @param badHandlerLogWindowMs a throwing handler is logged at most once per this window (always counted)
 */
public record NodeSettings(String realm, int maxPayloadBytes, long qos1DeadlineMs, int handlerThreads,
                           int handlerQueueCapacity, long badHandlerLogWindowMs) {
    public static final String DEFAULT_REALM = RouterSettings.DEFAULT_REALM;
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = RouterSettings.DEFAULT_MAX_PAYLOAD_BYTES;
    public static final long DEFAULT_QOS1_DEADLINE_MS = RouterSettings.DEFAULT_QOS1_DEADLINE_MS;
    public static final int DEFAULT_HANDLER_THREADS = 4;
    public static final int DEFAULT_HANDLER_QUEUE_CAPACITY = 10_000;
    public static final long DEFAULT_BAD_HANDLER_LOG_WINDOW_MS = 60_000;

    /**
     * @throws IllegalArgumentException naming the setting that is out of range
     */
    public NodeSettings {
        Objects.requireNonNull(realm, "realm");
        int realmBytes = realm.getBytes(StandardCharsets.UTF_8).length;
        require(realmBytes >= 1 && realmBytes <= 64, "realm must be 1..64 UTF-8 bytes: \"" + realm + "\"");
        require(maxPayloadBytes >= 0 && maxPayloadBytes <= DEFAULT_MAX_PAYLOAD_BYTES,
                "maxPayloadBytes must be 0.." + DEFAULT_MAX_PAYLOAD_BYTES + ": " + maxPayloadBytes);
        require(qos1DeadlineMs > 0, "qos1DeadlineMs must be positive: " + qos1DeadlineMs);
        require(handlerThreads >= 0, "handlerThreads must be 0 or more: " + handlerThreads);
        require(handlerQueueCapacity >= 1, "handlerQueueCapacity must be positive: " + handlerQueueCapacity);
        require(badHandlerLogWindowMs > 0, "badHandlerLogWindowMs must be positive: " + badHandlerLogWindowMs);
    }

    public static NodeSettings defaults() {
        return new NodeSettings(DEFAULT_REALM, DEFAULT_MAX_PAYLOAD_BYTES, DEFAULT_QOS1_DEADLINE_MS,
                DEFAULT_HANDLER_THREADS, DEFAULT_HANDLER_QUEUE_CAPACITY, DEFAULT_BAD_HANDLER_LOG_WINDOW_MS);
    }

    public NodeSettings withRealm(String newRealm) {
        return new NodeSettings(newRealm, maxPayloadBytes, qos1DeadlineMs, handlerThreads, handlerQueueCapacity,
                badHandlerLogWindowMs);
    }

    public NodeSettings withMaxPayloadBytes(int bytes) {
        return new NodeSettings(realm, bytes, qos1DeadlineMs, handlerThreads, handlerQueueCapacity,
                badHandlerLogWindowMs);
    }

    public NodeSettings withQos1DeadlineMs(long ms) {
        return new NodeSettings(realm, maxPayloadBytes, ms, handlerThreads, handlerQueueCapacity,
                badHandlerLogWindowMs);
    }

    public NodeSettings withHandlerThreads(int threads) {
        return new NodeSettings(realm, maxPayloadBytes, qos1DeadlineMs, threads, handlerQueueCapacity,
                badHandlerLogWindowMs);
    }

    static NodeSettings from(NodeComponent.Config config) {
        return new NodeSettings(config.realm(), config.maxPayloadBytes(), config.qos1DeadlineMs(),
                config.handlerThreads(), config.handlerQueueCapacity(), config.badHandlerLogWindowMs());
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
