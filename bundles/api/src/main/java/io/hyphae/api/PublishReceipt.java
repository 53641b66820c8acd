package io.hyphae.api;

import java.util.Objects;

/**
 * What became of a published message when its publish stage completed.
 *
 * @param id          the message id
 * @param topic       the topic
 * @param qos         the delivery guarantee
 * @param local       handlers on this node the message was handed to
 * @param subscribers remote subscriber nodes known when it was published
 * @param delivered   remote subscribers reached: for QoS 1 those that acknowledged, for QoS 0 those it was sent to
 */
public record PublishReceipt(MessageId id, Topic topic, Qos qos, int local, int subscribers, int delivered) {
    public PublishReceipt {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(qos, "qos");
    }

    /** Remote subscribers that were known but not reached (QoS 1: not acknowledged before the deadline). */
    public int missed() {
        return subscribers - delivered;
    }
}
