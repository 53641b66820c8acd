package io.hyphae.wire;

import io.hyphae.api.InvalidTopicException;
import io.hyphae.api.MessageId;
import io.hyphae.api.NodeId;
import io.hyphae.api.Qos;
import io.hyphae.api.Topic;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * Hand-written CBOR for the two frames of the publish path, {@link Frames.Route} and {@link Frames.Ack}, in the
 * layout {@link FrameCodec} documents: a general-purpose generator and parser per packet cost more than the 256-byte
 * message they carry (bench/, #6).
 *
 * <p>The encoder writes what the general writer would (definite lengths, shortest-form heads) into one array of the
 * exact size; it takes only ASCII realms and topics and leaves anything else to the general writer. The decoder is a
 * strict subset of the general one: it takes only shortest-form heads, ASCII text and values within every limit, and
 * answers {@code null} for anything else, so that the general decoder decides, and words the refusal of, every
 * input that is not plainly valid. Stateless.
 */
final class RouteCodec {
    private static final int ROUTE_FIELDS = 4 + 8;
    private static final int ACK_FIELDS = 4 + 1;
    private static final int MAJOR_UNSIGNED = 0;
    private static final int MAJOR_NEGATIVE = 1;
    private static final int MAJOR_BYTES = 2;
    private static final int MAJOR_TEXT = 3;
    private static final int MAJOR_ARRAY = 4;

    private RouteCodec() {
    }

    /** The packet encoded, or null when it is no Route or Ack this encoder takes. Limits were checked. */
    static byte[] encode(Packet packet) {
        WireFrame frame = packet.frame();
        if (frame instanceof Frames.Route route) {
            return encodeRoute(packet, route);
        }
        if (frame instanceof Frames.Ack ack) {
            CborSizedWriter out = new CborSizedWriter(envelopeSize(packet) + 1 + MessageId.BYTES);
            envelope(out, packet, ACK_FIELDS, FrameType.ACK);
            out.bytes(ack.id());
            return out.done();
        }
        return null;
    }

    private static byte[] encodeRoute(Packet packet, Frames.Route route) {
        int size = routeLength(packet, route);
        if (size < 0) {
            return null;
        }
        String realm = route.realm();
        String topic = route.topic().name();
        long publishedAt = route.publishedAt().toEpochMilli();
        CborSizedWriter out = new CborSizedWriter(size);
        envelope(out, packet, ROUTE_FIELDS, FrameType.ROUTE);
        out.bytes(route.id());
        out.ascii(realm);
        out.ascii(topic);
        out.payload(route);
        out.head(MAJOR_UNSIGNED, route.qos().level());
        out.bytes(route.publisher());
        out.integer(publishedAt);
        out.head(MAJOR_UNSIGNED, route.hops());
        return out.done();
    }

    /** The length of route {@code packet} encoded by this encoder; -1 when its realm or topic is not ASCII. */
    static int routeLength(Packet packet, Frames.Route route) {
        String realm = route.realm();
        String topic = route.topic().name();
        if (!ascii(realm) || !ascii(topic)) {
            return -1;
        }
        int payload = route.payloadSize();
        return envelopeSize(packet)
                + 1 + MessageId.BYTES
                + CborSizedWriter.headSize(realm.length()) + realm.length()
                + CborSizedWriter.headSize(topic.length()) + topic.length()
                + CborSizedWriter.headSize(payload) + payload
                + 1
                + CborSizedWriter.headSize(NodeId.BYTES) + NodeId.BYTES
                + CborSizedWriter.intSize(route.publishedAt().toEpochMilli())
                + CborSizedWriter.headSize(route.hops());
    }

    /**
     * The packet in {@code bytes[offset .. end)}, or null when it is not a plainly valid Route or Ack packet (the
     * general decoder then decides).
     */
    static Packet decode(byte[] bytes, int offset, int end) {
        return decode(bytes, offset, end, null);
    }

    /** As {@link #decode(byte[], int, int)}, reusing the realm, topic and publisher objects {@code recent} holds. */
    static Packet decode(byte[] bytes, int offset, int end, Recent recent) {
        CborStrictReader in = new CborStrictReader(bytes, offset, end);
        long fields = in.head(MAJOR_ARRAY);
        if ((fields != ROUTE_FIELDS && fields != ACK_FIELDS) || in.head(MAJOR_UNSIGNED) != FrameCodec.VERSION) {
            return null;
        }
        long kind = in.head(MAJOR_UNSIGNED);
        if (kind < 0 || kind > 2) {
            return null;
        }
        long requestId = in.integer();
        long type = in.head(MAJOR_UNSIGNED);
        WireFrame frame;
        if (in.failed) {
            return null;
        } else if (type == FrameType.ROUTE.code && fields == ROUTE_FIELDS) {
            frame = route(in, recent);
        } else if (type == FrameType.ACK.code && fields == ACK_FIELDS) {
            MessageId id = in.messageId();
            frame = in.failed ? null : new Frames.Ack(id);
        } else {
            return null;
        }
        if (frame == null || in.failed || in.at != end) {
            return null;
        }
        return new Packet(kind == 0 ? Packet.Kind.REQUEST : kind == 1 ? Packet.Kind.RESPONSE : Packet.Kind.ONE_WAY,
                requestId, frame);
    }

    private static Frames.Route route(CborStrictReader in, Recent recent) {
        MessageId id = in.messageId();
        Recent.Seen<String> realm = recent == null ? null : recent.realm;
        realm = text(in, WireLimits.MAX_REALM_BYTES, realm, String::new);
        Recent.Seen<Topic> topic = recent == null ? null : recent.topic;
        topic = text(in, Topic.MAX_BYTES, topic, RouteCodec::topicOrNull);
        byte[] payload = in.bytes(0, WireLimits.MAX_PAYLOAD_BYTES);
        long qos = in.head(MAJOR_UNSIGNED);
        Recent.Seen<NodeId> publisher = recent == null ? null : recent.publisher;
        publisher = publisher(in, publisher);
        long publishedAt = in.integer();
        long hops = in.head(MAJOR_UNSIGNED);
        if (in.failed || topic.value() == null || qos < 0 || qos > 1 || hops < 0 || hops > Integer.MAX_VALUE) {
            return null; // an invalid topic too: the general decoder words the refusal
        }
        if (recent != null) { // written only when changed, so that event loops sharing the codec read, not bounce
            recent.remember(realm, topic, publisher);
        }
        // The payload was decoded into an array of its own: the route keeps it instead of a copy.
        return Frames.Route.adopting(id, realm.value(), topic.value(), payload, Qos.ofLevel((int) qos),
                publisher.value(), Instant.ofEpochMilli(publishedAt), (int) hops);
    }

    /**
     * The ASCII text item at the reader as {@code make} makes it, or the value {@code seen} holds when it was made of
     * the same bytes; a failed read answers a holder of null (and leaves {@code in.failed} set).
     */
    private static <T> Recent.Seen<T> text(CborStrictReader in, int maxBytes, Recent.Seen<T> seen,
            java.util.function.Function<String, T> make) {
        int length = in.asciiHead(maxBytes);
        if (in.failed) {
            return Recent.Seen.none();
        }
        int at = in.at;
        in.at += length;
        if (seen != null && Arrays.equals(seen.bytes(), 0, seen.bytes().length, in.in, at, at + length)) {
            return seen;
        }
        byte[] bytes = Arrays.copyOfRange(in.in, at, at + length);
        return new Recent.Seen<>(bytes, make.apply(new String(bytes, StandardCharsets.ISO_8859_1)));
    }

    private static Recent.Seen<NodeId> publisher(CborStrictReader in, Recent.Seen<NodeId> seen) {
        byte[] bytes = in.bytes(NodeId.BYTES, NodeId.BYTES);
        if (in.failed) {
            return Recent.Seen.none();
        }
        return seen != null && Arrays.equals(seen.bytes(), bytes) ? seen : new Recent.Seen<>(bytes, NodeId.of(bytes));
    }

    private static Topic topicOrNull(String name) {
        try {
            return new Topic(name);
        } catch (InvalidTopicException e) {
            return null;
        }
    }

    /**
     * The realm, topic and publisher of the last route a codec decoded: a connection carries the same ones again
     * and again, and reusing their objects saves building, validating and hashing them per message (bench/, #6).
     * One slot each, written without locks: every value is immutable, so a reader sees either the old or the new
     * one, never half of one. Any thread.
     */
    static final class Recent {
        Seen<String> realm;
        Seen<Topic> topic;
        Seen<NodeId> publisher;

        void remember(Seen<String> realm, Seen<Topic> topic, Seen<NodeId> publisher) {
            if (this.realm != realm) {
                this.realm = realm;
            }
            if (this.topic != topic) {
                this.topic = topic;
            }
            if (this.publisher != publisher) {
                this.publisher = publisher;
            }
        }

        /** A value and the bytes it was made of (never written to). */
        record Seen<T>(byte[] bytes, T value) {
            private static final Seen<?> NONE = new Seen<>(new byte[0], null);

            @SuppressWarnings("unchecked")
            static <T> Seen<T> none() {
                return (Seen<T>) NONE;
            }
        }
    }

    static int envelopeSize(Packet packet) {
        return 1 + 1 + 1 + CborSizedWriter.intSize(packet.requestId()) + 1;
    }

    static void envelope(CborSizedWriter out, Packet packet, int fields, FrameType type) {
        out.head(MAJOR_ARRAY, fields);
        envelopeHead(out, packet);
        out.head(MAJOR_UNSIGNED, type.code);
    }

    /** The envelope's items between the array's head and the frame type: version, kind, request id. */
    static void envelopeHead(CborSizedWriter out, Packet packet) {
        out.head(MAJOR_UNSIGNED, FrameCodec.VERSION);
        out.head(MAJOR_UNSIGNED, FrameWriter.kindCode(packet.kind()));
        out.integer(packet.requestId());
    }

    private static boolean ascii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
