package io.hyphae.wire;

import io.hyphae.api.InvalidTopicException;
import io.hyphae.api.MessageId;
import io.hyphae.api.NodeId;
import io.hyphae.api.Qos;
import io.hyphae.api.Topic;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Route frames on one ordered stream, with their realm, topic and publisher named once and then by a number: the
 * header compression of MQTT 5's topic aliases and HTTP/2's HPACK, for the publish path. A 256-byte message's route
 * frame is 347 bytes in full, 91 of them envelope; by alias it is 293, as the next of a publisher's routes 269 (and a
 * 16-byte message's 51 instead of 105).
 * Every field of the route still travels: a frame by alias carries its realm, topic and publisher as the definition
 * earlier on the same stream named them, and decodes to the very same {@link Frames.Route}.
 *
 * <pre>
 * 12 RouteDefine [alias: 0..255, realm: tstr, topic: tstr, publisher: bstr32, id: bstr16, payload: bstr, qos,
 *                 publishedAt: int, hops: uint]     a route, and alias = (realm, topic, publisher) from here on
 * 13 RouteAlias  [alias: 0..255, id: bstr16, payload: bstr, qos, publishedAt: int, hops: uint]
 * 14 RouteNext   [alias: 0..255, step: 1..2^32-1, payload: bstr, qos, publishedAfter: int, hops: uint]
 *                a route by alias whose id is the previous route's (on this stream, by alias) with the sequence
 *                number step further in the same stream, published publishedAfter ms after it
 * </pre>
 * (frame type codes of {@link FrameCodec}'s layout; the envelope {@code [1, kind, requestId, type, ...]} is the same.)
 *
 * <p>The sender decides on the stream's own thread, in the order frames enter the stream ({@link Out#compact}), so a
 * definition always precedes its uses whatever thread sent the frames; it lays the route out there from its fields
 * (nothing was encoded before) and the payload goes from the route's array into the stream's buffer in one copy. A
 * new stream starts with no aliases on either side. A stream defines at most {@value #MAX} aliases; routes of further (realm, topic, publisher) triples
 * travel in full. Only ASCII realms and topics are aliased (the others travel in full too). The receiver
 * ({@link In}) refuses, with a {@link WireException} naming the field, an alias out of range or never defined, and
 * anything a full route would be refused for; its table is bounded by {@value #MAX} entries.
 */
public final class RouteAliases {
    /** Aliases one stream defines at most (numbered 0..255). */
    public static final int MAX = 256;
    static final int DEFINE = 12;
    static final int BY_ALIAS = 13;
    static final int NEXT = 14;
    /** The largest sequence step a RouteNext takes; further ids travel whole. */
    static final long MAX_STEP = 0xFFFF_FFFFL;
    private static final int ROUTE_FIELDS = 4 + FrameType.ROUTE.fields; // version, kind, request id, type, fields
    private static final int DEFINE_FIELDS = 13;
    private static final int BY_ALIAS_FIELDS = 10;

    private RouteAliases() {
    }

    /**
     * The sending side of one stream: lays each route out as the stream carries it, straight from the route's
     * fields, and writes it in three pieces (envelope, the payload itself, the fields after it) so that the payload
     * is copied once, into the stream's buffer. Confined to the thread that puts frames into the stream, in their
     * order.
     */
    public static final class Out {
        /** The largest envelope before or after a payload: a full route with the longest realm and topic. */
        private static final int SCRATCH_BYTES = 128 + WireLimits.MAX_REALM_BYTES + Topic.MAX_BYTES;
        private final CborSizedWriter scratch = new CborSizedWriter(new byte[SCRATCH_BYTES]);
        private Map<Named, Integer> aliases; // made at the first route
        private Named last; // the names of the last route by alias
        private int lastAlias = -1;
        private final Previous previous = new Previous(); // the last route by alias this stream carried
        // The answer of the last compact: a packet as it is, or a route as scratch[0, prefixEnd), the route's
        // payload, and scratch[prefixEnd, suffixEnd).
        private byte[] whole;
        private Frames.Route route;
        private int prefixEnd;
        private int suffixEnd;

        /**
         * Lays {@code packet} out as this stream carries it and answers its length; {@link #writeTo} writes it. A
         * route made to be laid out here ({@link FrameSender} makes them) goes by alias (or with the definition
         * of its alias, the first time); any other packet goes unchanged.
         */
        public int compact(OutboundPacket packet) {
            Packet route = packet.route();
            if (route == null) {
                whole = packet.bytes();
                return whole.length;
            }
            whole = null;
            return layOut(route, (Frames.Route) route.frame());
        }

        /**
         * Writes what the last {@link #compact} laid out, in up to three pieces, to {@code sink}, once: the packet is
         * not kept afterwards (an idle stream holds no message).
         */
        public void writeTo(Sink sink) {
            if (whole != null) {
                byte[] packet = whole;
                whole = null;
                sink.write(packet, 0, packet.length);
                return;
            }
            Frames.Route route = this.route;
            this.route = null;
            byte[] envelope = scratch.array();
            sink.write(envelope, 0, prefixEnd);
            byte[] payload = route.payloadArray();
            if (payload != null) {
                if (payload.length > 0) {
                    sink.write(payload, 0, payload.length);
                }
            } else if (route.payloadSize() > 0) {
                sink.write(route.payloadBuffer()); // a message's own payload, read through a view of it
            }
            sink.write(envelope, prefixEnd, suffixEnd - prefixEnd);
        }

        /**
         * The encoded {@code packet} as this stream carries it, in an array of its own: for tests and raw peers
         * that speak to a transport over a stream of their own.
         */
        public byte[] carry(byte[] packet) {
            Packet decoded = RouteCodec.decode(packet, 0, packet.length); // null unless a plainly valid ASCII route
            OutboundPacket outbound = decoded != null && decoded.frame() instanceof Frames.Route
                    ? new OutboundPacket.Done(decoded, packet.length) : new OutboundPacket.Done(packet);
            byte[] carried = new byte[compact(outbound)];
            int[] at = {0};
            writeTo((bytes, offset, length) -> {
                System.arraycopy(bytes, offset, carried, at[0], length);
                at[0] += length;
            });
            return carried;
        }

        private int layOut(Packet packet, Frames.Route route) {
            int alias;
            boolean define = false;
            if (lastAlias >= 0 && last.names(route)) {
                alias = lastAlias;
            } else {
                Named key = new Named(route.realm(), route.topic(), route.publisher());
                if (aliases == null) {
                    aliases = new HashMap<>();
                }
                Integer known = aliases.get(key);
                if (known == null && aliases.size() < MAX) {
                    known = aliases.size();
                    aliases.put(key, known);
                    define = true;
                }
                if (known == null) {
                    return inFull(packet, route); // every alias is taken
                }
                alias = known;
                lastAlias = alias;
                last = key;
            }
            MessageId id = route.id();
            long sequence = id.sequence(); // unmixed once: the step and the next route both count from it
            long publishedAt = route.publishedAt().toEpochMilli();
            long step = define ? 0 : previous.stepTo(id.stream(), sequence);
            long after = publishedAt - previous.publishedAt;
            previous.set(id.stream(), sequence, publishedAt);
            boolean next = step > 0 && after == (int) after;
            CborSizedWriter out = scratch.rewind();
            out.head(CborSizedWriter.MAJOR_ARRAY, define ? DEFINE_FIELDS : BY_ALIAS_FIELDS);
            RouteCodec.envelopeHead(out, packet);
            out.head(CborSizedWriter.MAJOR_UNSIGNED, next ? NEXT : define ? DEFINE : BY_ALIAS);
            out.head(CborSizedWriter.MAJOR_UNSIGNED, alias);
            if (define) {
                out.ascii(route.realm());
                out.ascii(route.topic().name());
                out.bytes(route.publisher());
            }
            if (next) {
                out.head(CborSizedWriter.MAJOR_UNSIGNED, step);
            } else {
                out.bytes(id);
            }
            payloadHead(out, route);
            out.head(CborSizedWriter.MAJOR_UNSIGNED, route.qos().level());
            out.integer(next ? after : publishedAt);
            out.head(CborSizedWriter.MAJOR_UNSIGNED, route.hops());
            return done(out);
        }

        /** The route as a full Route frame (no alias left for its names), in the layout of {@link RouteCodec}. */
        private int inFull(Packet packet, Frames.Route route) {
            CborSizedWriter out = scratch.rewind();
            out.head(CborSizedWriter.MAJOR_ARRAY, ROUTE_FIELDS);
            RouteCodec.envelopeHead(out, packet);
            out.head(CborSizedWriter.MAJOR_UNSIGNED, FrameType.ROUTE.code);
            out.bytes(route.id());
            out.ascii(route.realm());
            out.ascii(route.topic().name());
            payloadHead(out, route);
            out.head(CborSizedWriter.MAJOR_UNSIGNED, route.qos().level());
            out.bytes(route.publisher());
            out.integer(route.publishedAt().toEpochMilli());
            out.head(CborSizedWriter.MAJOR_UNSIGNED, route.hops());
            return done(out);
        }

        /** Ends the envelope before the payload; what the writer writes next follows the payload. */
        private void payloadHead(CborSizedWriter out, Frames.Route route) {
            this.route = route;
            out.head(CborSizedWriter.MAJOR_BYTES, route.payloadSize());
            prefixEnd = out.written();
        }

        private int done(CborSizedWriter out) {
            suffixEnd = out.written();
            return suffixEnd + route.payloadSize();
        }
    }

    /** Where {@link Out#writeTo} writes, such as a connection's outgoing buffer. */
    @FunctionalInterface
    public interface Sink {
        /** Writes {@code bytes[offset .. offset + length)}, which the caller may reuse afterwards. */
        void write(byte[] bytes, int offset, int length);

        /**
         * Writes the remaining bytes of {@code bytes}, a view of a message's payload that only this call reads.
         * This default copies them into an array first; a sink that can take a buffer (Netty's) should.
         */
        default void write(ByteBuffer bytes) {
            byte[] copy = new byte[bytes.remaining()];
            bytes.get(copy);
            write(copy, 0, copy.length);
        }
    }

    /** The receiving side of one stream: the aliases its peer defined. Confined to the stream's reading thread. */
    public static final class In {
        private Named[] named; // made at the first definition
        private final Previous previous = new Previous(); // the last route by alias this stream carried

        /**
         * The packet in {@code bytes[offset .. end)} when it is a route by alias; null when it is not one (a full
         * route, any other frame: {@link FrameCodec} decodes it).
         *
         * @throws WireException when it is one and breaks the layout, a limit, or names an alias never defined
         */
        Packet decode(byte[] bytes, int offset, int end) {
            CborStrictReader in = new CborStrictReader(bytes, offset, end);
            long fields = in.head(CborSizedWriter.MAJOR_ARRAY);
            if (fields != DEFINE_FIELDS && fields != BY_ALIAS_FIELDS) {
                return null;
            }
            long version = in.head(CborSizedWriter.MAJOR_UNSIGNED);
            long kind = in.head(CborSizedWriter.MAJOR_UNSIGNED);
            long requestId = in.integer();
            long type = in.head(CborSizedWriter.MAJOR_UNSIGNED);
            if (in.failed || version != FrameCodec.VERSION || (type != DEFINE && type != BY_ALIAS && type != NEXT)) {
                return null;
            }
            String frame = type == DEFINE ? "RouteDefine" : type == BY_ALIAS ? "RouteAlias" : "RouteNext";
            if (fields != (type == DEFINE ? DEFINE_FIELDS : BY_ALIAS_FIELDS)) {
                throw new WireException(frame + " has " + fields + " items, not "
                        + (type == DEFINE ? DEFINE_FIELDS : BY_ALIAS_FIELDS));
            }
            if (kind < 0 || kind > 2) {
                throw new WireException(frame + " has kind " + kind + ", not 0 (request), 1 (response) or 2 (one way)");
            }
            int alias = in.head(CborSizedWriter.MAJOR_UNSIGNED, 0, MAX - 1);
            check(in, frame + ".alias is not a number in 0.." + (MAX - 1));
            Named names = type == DEFINE ? define(in, alias) : defined(alias);
            MessageId id;
            long sequence;
            if (type == NEXT) { // its alias was defined, so a route by alias came before it: previous is set
                long step = in.head(CborSizedWriter.MAJOR_UNSIGNED);
                if (in.failed || step < 1 || step > MAX_STEP) {
                    throw new WireException("RouteNext.step is not a number in 1.." + MAX_STEP);
                }
                sequence = previous.sequence + step;
                id = MessageId.ofSequence(previous.stream, sequence);
            } else {
                id = in.messageId();
                check(in, frame + ".id is not " + MessageId.BYTES + " bytes");
                sequence = id.sequence();
            }
            byte[] payload = in.bytes(0, WireLimits.MAX_PAYLOAD_BYTES);
            check(in, frame + ".payload is not a byte string of at most " + WireLimits.MAX_PAYLOAD_BYTES + " bytes");
            int qos = in.head(CborSizedWriter.MAJOR_UNSIGNED, 0, 1);
            check(in, frame + ".qos is not 0 or 1");
            long publishedAt;
            if (type == NEXT) {
                long after = in.integer();
                if (in.failed || after != (int) after) {
                    throw new WireException("RouteNext.publishedAfter is not an integer in 32 bits");
                }
                publishedAt = previous.publishedAt + after;
            } else {
                publishedAt = in.integer();
                check(in, frame + ".publishedAt is not an integer");
            }
            int hops = in.head(CborSizedWriter.MAJOR_UNSIGNED, 0, Integer.MAX_VALUE);
            check(in, frame + ".hops is not a number in 0.." + Integer.MAX_VALUE);
            if (in.at != end) {
                throw new WireException(frame + " is followed by " + (end - in.at) + " more bytes");
            }
            previous.set(id.stream(), sequence, publishedAt);
            Packet.Kind packetKind = kind == 0 ? Packet.Kind.REQUEST : kind == 1 ? Packet.Kind.RESPONSE
                    : Packet.Kind.ONE_WAY;
            return new Packet(packetKind, requestId, Frames.Route.adopting(id, names.realm,
                    names.topic, payload, Qos.ofLevel(qos), names.publisher, Instant.ofEpochMilli(publishedAt), hops));
        }

        private Named define(CborStrictReader in, int alias) {
            String realm = in.ascii(WireLimits.MAX_REALM_BYTES);
            check(in, "RouteDefine.realm is not ASCII text of at most " + WireLimits.MAX_REALM_BYTES + " bytes");
            String topicName = in.ascii(Topic.MAX_BYTES);
            check(in, "RouteDefine.topic is not ASCII text of at most " + Topic.MAX_BYTES + " bytes");
            Topic topic;
            try {
                topic = new Topic(topicName);
            } catch (InvalidTopicException e) {
                throw new WireException("RouteDefine.topic: " + e.getMessage());
            }
            byte[] publisher = in.bytes(NodeId.BYTES, NodeId.BYTES);
            check(in, "RouteDefine.publisher is not " + NodeId.BYTES + " bytes");
            if (named == null) {
                named = new Named[MAX];
            }
            Named names = new Named(realm, topic, NodeId.of(publisher));
            named[alias] = names; // a definition again replaces the one before
            return names;
        }

        private Named defined(int alias) {
            Named names = named == null ? null : named[alias];
            if (names == null) {
                throw new WireException("RouteAlias.alias " + alias + " was never defined on this stream");
            }
            return names;
        }

        private static void check(CborStrictReader in, String whatIsWrong) {
            if (in.failed) {
                throw new WireException(whatIsWrong);
            }
        }
    }

    /**
     * The id and time of the last route by alias on a stream, from which a RouteNext counts; a new stream has none,
     * and no id is a step after it.
     */
    private static final class Previous {
        private boolean set;
        long stream;
        long sequence;
        long publishedAt;

        void set(long stream, long sequence, long publishedAt) {
            this.set = true;
            this.stream = stream;
            this.sequence = sequence;
            this.publishedAt = publishedAt;
        }

        /** How far {@code sequence} of {@code stream} is after this one: 1..MAX_STEP, else 0. */
        long stepTo(long stream, long sequence) {
            long step = set && stream == this.stream ? sequence - this.sequence : 0;
            return step >= 1 && step <= MAX_STEP ? step : 0;
        }
    }

    /** What an alias stands for. */
    private record Named(String realm, Topic topic, NodeId publisher) {
        /** Whether {@code route} has these names: the same objects, as a publisher's routes have, or equal ones. */
        boolean names(Frames.Route route) {
            return (route.topic() == topic || route.topic().equals(topic))
                    && (route.publisher() == publisher || route.publisher().equals(publisher))
                    && route.realm().equals(realm);
        }
    }
}
