package io.hyphae.api;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A message as a subscriber's handler receives it. Immutable: the constructor copies the payload in and
 * {@link #payload()} copies it out. Without copies: {@link #payloadBuffer()} reads it through a read-only view, and
 * {@link #adopting} makes a message of an array its caller hands over (the library's own decoded arrays).
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
    /** The array {@link #adopting} hands to the constructor on this thread, which then keeps it uncopied. */
    // A slot per thread, written plainly: ThreadLocal.set probes and sweeps the thread's map on every call, and
    // this runs for every message on both sides (#6).
    private static final ThreadLocal<byte[][]> ADOPTED = ThreadLocal.withInitial(() -> new byte[1][]);

    public Message {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(realm, "realm");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(qos, "qos");
        Objects.requireNonNull(publisher, "publisher");
        Objects.requireNonNull(publishedAt, "publishedAt");
        Objects.requireNonNull(payload, "payload");
        byte[][] adopted = ADOPTED.get();
        if (adopted[0] == payload) {
            adopted[0] = null;
        } else {
            payload = payload.clone();
        }
    }

    /**
     * A message that keeps {@code payload} itself instead of a copy: the caller hands the array over and must not
     * write to it afterwards, nor let anyone else. For arrays nobody else holds, such as bytes just decoded from the
     * network; the constructor is the safe way for any other array. Any thread.
     *
     * @throws NullPointerException when an argument is null
     * @since 1.1
     */
    public static Message adopting(MessageId id, String realm, Topic topic, byte[] payload, Qos qos, NodeId publisher,
                                   Instant publishedAt) {
        byte[][] adopted = ADOPTED.get();
        adopted[0] = Objects.requireNonNull(payload, "payload");
        try {
            return new Message(id, realm, topic, payload, qos, publisher, publishedAt);
        } finally {
            adopted[0] = null; // the constructor failed on another argument
        }
    }

    /**
     * The payload as a read-only view, without copying: position 0, limit and capacity the payload's length. Each
     * call returns a new view, so callers need not share its position.
     *
     * @since 1.1
     */
    public ByteBuffer payloadBuffer() {
        return ByteBuffer.wrap(payload).asReadOnlyBuffer();
    }

    /** A copy of the payload; {@link #payloadBuffer()} reads it without one. */
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
