package io.hyphae.api;

import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A node of the mesh: publish to topics and subscribe to them. Thread safe. Registered as an OSGi service by the node
 * bundle; also built by the plain-Java embedding.
 */
@ProviderType
public interface PubSub {
    /** This node's id. */
    NodeId nodeId();

    /** The realm this node publishes and subscribes in. */
    String realm();

    /**
     * Publishes {@code payload} to every subscriber of {@code topic}: local handlers at once, remote subscribers
     * directly over the network. Never blocks on the network.
     *
     * @return completes when the message has been handed to every known subscriber (QoS 0) or acknowledged by each of
     *     them or its deadline passed (QoS 1); exceptionally with {@link BackpressureException} when a bounded queue
     *     is full, or {@link NodeClosedException} when the node closes first
     * @throws PayloadTooLargeException when the payload exceeds {@code maxPayloadBytes}; nothing is sent
     */
    CompletionStage<PublishReceipt> publish(Topic topic, byte[] payload, Qos qos);

    /**
     * @throws InvalidTopicException when {@code topic} is not a valid topic; nothing is sent
     */
    default CompletionStage<PublishReceipt> publish(String topic, byte[] payload, Qos qos) {
        return publish(Topic.of(topic), payload, qos);
    }

    /**
     * Subscribes {@code handler} to {@code topic}. The first subscription of a topic advertises this node in the
     * DHT; the call returns without waiting for that.
     */
    Subscription subscribe(Topic topic, MessageHandler handler);

    /**
     * @throws InvalidTopicException when {@code topic} is not a valid topic
     */
    default Subscription subscribe(String topic, MessageHandler handler) {
        return subscribe(Topic.of(topic), handler);
    }
}
