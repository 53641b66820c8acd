package io.hyphae.wire;

import io.hyphae.api.Message;
import io.hyphae.api.MessageId;
import io.hyphae.api.NodeId;
import io.hyphae.api.Qos;
import io.hyphae.api.Topic;
import io.hyphae.spi.dht.Contact;
import io.hyphae.spi.dht.Key;
import io.hyphae.spi.dht.Record;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The frame types. DHT requests carry their sender's {@link Contact} so the receiver can add it to its routing
 * table (the transport authenticates that the sender is {@code sender.nodeId()}). Lists are copied and immutable;
 * byte arrays are copied in and out (a {@link Route}'s payload may also be handed over and read without copies).
 * Construction does not check {@link WireLimits}: the codec does, on both sides.
 */
public final class Frames {
    private Frames() {
    }

    /** DHT liveness check; answered by {@link Pong}. */
    public record Ping(Contact sender) implements WireFrame {
        public Ping {
            Objects.requireNonNull(sender, "sender");
        }
    }

    /** Answer to {@link Ping}. */
    public record Pong(Contact sender) implements WireFrame {
        public Pong {
            Objects.requireNonNull(sender, "sender");
        }
    }

    /** Asks the receiver to hold {@code records}; answered by {@link Stored}. */
    public record Store(Contact sender, List<Record> records) implements WireFrame {
        public Store {
            Objects.requireNonNull(sender, "sender");
            records = List.copyOf(records);
        }
    }

    /** Answer to {@link Store}: how many of the records the receiver accepted (verified, newer, not expired). */
    public record Stored(int accepted) implements WireFrame {
    }

    /** Asks for the receiver's closest contacts to {@code target}; answered by {@link Nodes}. */
    public record FindNode(Contact sender, Key target) implements WireFrame {
        public FindNode {
            Objects.requireNonNull(sender, "sender");
            Objects.requireNonNull(target, "target");
        }
    }

    /** Answer to {@link FindNode}: closest contacts first, at most k. */
    public record Nodes(List<Contact> contacts) implements WireFrame {
        public Nodes {
            contacts = List.copyOf(contacts);
        }
    }

    /**
     * Asks for the records under {@code key}, page {@code page} (0 first); answered by {@link Values}.
     */
    public record FindValue(Contact sender, Key key, int page) implements WireFrame {
        public FindValue {
            Objects.requireNonNull(sender, "sender");
            Objects.requireNonNull(key, "key");
        }
    }

    /**
     * Answer to {@link FindValue}: one page of the live records under the key, the receiver's closest contacts to
     * the key, and whether another page follows.
     */
    public record Values(List<Record> records, List<Contact> closer, boolean more) implements WireFrame {
        public Values {
            records = List.copyOf(records);
            closer = List.copyOf(closer);
        }
    }

    /**
     * One published message on its way to one subscriber (one-way). QoS 1 is acknowledged by {@link Ack}. The
     * constructor copies the payload in and {@link #payload()} copies it out; {@link #adopting} and
     * {@link #toMessage()} hand it over without a copy, {@link #payloadBuffer()} reads it without one, and
     * {@link #of(Message, int)} carries a message's payload without copying it at all. Immutable; equal when every
     * field and the payload's bytes are.
     */
    public static final class Route implements WireFrame {
        /** The array {@link #adopting} hands to the constructor on this thread, which then keeps it uncopied. */
        // A slot per thread, written plainly: ThreadLocal.set probes and sweeps the thread's map on every call, and
        // this runs for every message on both sides (#6).
        private static final ThreadLocal<byte[][]> ADOPTED = ThreadLocal.withInitial(() -> new byte[1][]);
        private final MessageId id;
        private final String realm;
        private final Topic topic;
        private final byte[] payload; // null when the payload is read through message
        private final Message message; // the message this route was made of, or null
        private final Qos qos;
        private final NodeId publisher;
        private final Instant publishedAt;
        private final int hops;

        /**
         * @param id          the message's id
         * @param realm       its realm
         * @param topic       its topic
         * @param payload     its payload, copied
         * @param qos         its QoS
         * @param publisher   the node that published it
         * @param publishedAt the publisher's clock when it was published
         * @param hops        how many nodes it passed through (0 from the publisher)
         */
        public Route(MessageId id, String realm, Topic topic, byte[] payload, Qos qos, NodeId publisher,
                     Instant publishedAt, int hops) {
            Objects.requireNonNull(payload, "payload");
            byte[][] adopted = ADOPTED.get();
            if (adopted[0] == payload) {
                adopted[0] = null;
            } else {
                payload = payload.clone();
            }
            this.id = Objects.requireNonNull(id, "id");
            this.realm = Objects.requireNonNull(realm, "realm");
            this.topic = Objects.requireNonNull(topic, "topic");
            this.payload = payload;
            this.message = null;
            this.qos = Objects.requireNonNull(qos, "qos");
            this.publisher = Objects.requireNonNull(publisher, "publisher");
            this.publishedAt = Objects.requireNonNull(publishedAt, "publishedAt");
            this.hops = hops;
        }

        private Route(Message message, int hops) {
            this.id = message.id();
            this.realm = message.realm();
            this.topic = message.topic();
            this.payload = null;
            this.message = message;
            this.qos = message.qos();
            this.publisher = message.publisher();
            this.publishedAt = message.publishedAt();
            this.hops = hops;
        }

        /**
         * A route that keeps {@code payload} itself instead of a copy: the caller hands the array over and must not
         * write to it afterwards, nor let anyone else (a fresh copy, or bytes just decoded). Any thread.
         *
         * @since 1.1
         */
        public static Route adopting(MessageId id, String realm, Topic topic, byte[] payload, Qos qos,
                                     NodeId publisher, Instant publishedAt, int hops) {
            byte[][] adopted = ADOPTED.get();
            adopted[0] = Objects.requireNonNull(payload, "payload");
            try {
                return new Route(id, realm, topic, payload, qos, publisher, publishedAt, hops);
            } finally {
                adopted[0] = null; // the constructor failed on another argument
            }
        }

        /**
         * A route of {@code message}, {@code hops} nodes from its publisher, whose payload is read from the message
         * itself whenever the route is encoded: not copied here, and copied once, into the network's buffer, by a
         * transport that lays the route out on its stream.
         *
         * @since 2.0
         */
        public static Route of(Message message, int hops) {
            return new Route(Objects.requireNonNull(message, "message"), hops);
        }

        public MessageId id() {
            return id;
        }

        public String realm() {
            return realm;
        }

        public Topic topic() {
            return topic;
        }

        /** A copy of the payload; {@link #payloadBuffer()} reads it without one. */
        public byte[] payload() {
            return payload != null ? payload.clone() : message.payload();
        }

        public Qos qos() {
            return qos;
        }

        public NodeId publisher() {
            return publisher;
        }

        public Instant publishedAt() {
            return publishedAt;
        }

        public int hops() {
            return hops;
        }

        /**
         * The message this route carries, sharing the payload array with this route instead of copying it: neither
         * lets it out or writes to it.
         *
         * @since 1.1
         */
        public Message toMessage() {
            return message != null ? message
                    : Message.adopting(id, realm, topic, payload, qos, publisher, publishedAt);
        }

        /**
         * The payload as a read-only view, without copying: position 0, limit the payload's length; a new view on
         * each call.
         *
         * @since 1.1
         */
        public ByteBuffer payloadBuffer() {
            return payload != null ? ByteBuffer.wrap(payload).asReadOnlyBuffer() : message.payloadBuffer();
        }

        /** Payload length, without copying. */
        public int payloadSize() {
            return payload != null ? payload.length : message.payloadSize();
        }

        /**
         * The payload array itself, not a copy, for the encoders of this package (never modified); null when the
         * route reads it through its message ({@link #payloadBuffer()}).
         */
        byte[] payloadArray() {
            return payload;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Route r && id.equals(r.id) && realm.equals(r.realm) && topic.equals(r.topic)
                    && qos == r.qos && publisher.equals(r.publisher) && publishedAt.equals(r.publishedAt)
                    && hops == r.hops && (payload != null && r.payload != null ? Arrays.equals(payload, r.payload)
                            : payloadBuffer().equals(r.payloadBuffer()));
        }

        @Override
        public int hashCode() {
            return id.hashCode();
        }

        @Override
        public String toString() {
            return "Route[" + id + " " + realm + "/" + topic + " " + payloadSize() + "B " + qos + "]";
        }
    }

    /** A subscriber acknowledges a QoS 1 {@link Route} (one-way). */
    public record Ack(MessageId id) implements WireFrame {
        public Ack {
            Objects.requireNonNull(id, "id");
        }
    }

    /**
     * A subscriber tells a publisher it no longer takes a topic (one-way): the signed withdrawal record it stored in
     * the DHT, so the publisher can verify it and evict the subscriber at once.
     */
    public record Withdraw(Record withdrawal) implements WireFrame {
        public Withdraw {
            Objects.requireNonNull(withdrawal, "withdrawal");
        }
    }

    /** A request could not be answered: {@code code} says why, {@code message} for logs. */
    public record Error(Code code, String message) implements WireFrame {
        public Error {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
        }

        /** Why a request failed. */
        public enum Code {
            /** No handler takes this frame type. */
            UNSUPPORTED,
            /** The request broke a rule (limits, signature, key). */
            BAD_REQUEST,
            /** The receiver is overloaded or closing; retry elsewhere or later. */
            UNAVAILABLE,
            /** The handler failed. */
            INTERNAL
        }
    }
}
