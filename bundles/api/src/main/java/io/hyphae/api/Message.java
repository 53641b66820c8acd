package io.hyphae.api;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A message as a subscriber's handler receives it. Immutable: the payload is copied in and out.
 *
 * @param id          unique id, the key of de-duplication
 * @param realm       the realm the message was published in
 * @param topic       the topic it was published on
 * @param payload     the application bytes (a copy on each call)
 * @param qos         the delivery guarantee it was published with
 * @param publisher   the node that published it
 * @param publishedAt the publisher's clock when it was published
 */
public record Message(MessageId id, String realm, Topic topic, byte[] payload, Qos qos, NodeId publisher,
                      Instant publishedAt) {

    public Message {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(realm, "realm");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(qos, "qos");
        Objects.requireNonNull(publisher, "publisher");
        Objects.requireNonNull(publishedAt, "publishedAt");
        payload = Objects.requireNonNull(payload, "payload").clone();
    }

    /** A copy of the payload. */
    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /** Payload length in bytes, without copying. */
    public int payloadSize() {
        return payload.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Message m && id.equals(m.id) && realm.equals(m.realm) && topic.equals(m.topic)
                && Arrays.equals(payload, m.payload) && qos == m.qos && publisher.equals(m.publisher)
                && publishedAt.equals(m.publishedAt);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return "Message[" + id + " " + realm + "/" + topic + " " + payload.length + "B " + qos + " from "
                + publisher.shortHex() + "]";
    }
}
