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
     * {@link #toMessage()} hand it over without a copy, {@link #payloadBuffer()} reads it without one.
     */
    public record Route(MessageId id, String realm, Topic topic, byte[] payload, Qos qos, NodeId publisher,
                        Instant publishedAt, int hops) implements WireFrame {
        /** The array {@link #adopting} hands to the constructor on this thread, which then keeps it uncopied. */
        // A slot per thread, written plainly: ThreadLocal.set probes and sweeps the thread's map on every call, and
        // this runs for every message on both sides (#6).
        private static final ThreadLocal<byte[][]> ADOPTED = ThreadLocal.withInitial(() -> new byte[1][]);

        public Route {
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
         * The message this route carries, sharing the payload array with this route instead of copying it: neither
         * lets it out or writes to it.
         *
         * @since 1.1
         */
        public Message toMessage() {
            return Message.adopting(id, realm, topic, payload, qos, publisher, publishedAt);
        }

        /**
         * The payload as a read-only view, without copying: position 0, limit the payload's length; a new view on
         * each call.
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

        /** Payload length, without copying. */
        public int payloadSize() {
            return payload.length;
        }

        /** The payload itself, not a copy, for the encoders of this package; never modified. */
        byte[] payloadArray() {
            return payload;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Route r && id.equals(r.id) && realm.equals(r.realm) && topic.equals(r.topic)
                    && Arrays.equals(payload, r.payload) && qos == r.qos && publisher.equals(r.publisher)
                    && publishedAt.equals(r.publishedAt) && hops == r.hops;
        }

        @Override
        public int hashCode() {
            return id.hashCode();
        }

        @Override
        public String toString() {
            return "Route[" + id + " " + realm + "/" + topic + " " + payload.length + "B " + qos + "]";
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
