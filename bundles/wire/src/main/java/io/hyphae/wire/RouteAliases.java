package io.hyphae.wire;

import io.hyphae.api.InvalidTopicException;
import io.hyphae.api.MessageId;
import io.hyphae.api.NodeId;
import io.hyphae.api.Qos;
import io.hyphae.api.Topic;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Route frames on one ordered stream, with their realm, topic and publisher named once and then by a number: the
 * header compression of MQTT 5's topic aliases and HTTP/2's HPACK, for the publish path. A 256-byte message's route
 * frame is 347 bytes in full, 91 of them envelope; by alias it is 293 (and a 16-byte message's 51 instead of 105).
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
 * definition always precedes its uses whatever thread encoded the frames; a new stream starts with no aliases on
 * either side. A stream defines at most {@value #MAX} aliases; routes of further (realm, topic, publisher) triples
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
    private static final int ARRAY_HEAD = CborSizedWriter.MAJOR_ARRAY << 5;
    /** Routes up to this size are compacted into an array the stream keeps; larger ones into one of their own. */
    private static final int MAX_SCRATCH_BYTES = 64 * 1024;

    private RouteAliases() {
    }

    /**
     * The sending side of one stream. Confined to the thread that puts frames into the stream, in their order.
     */
    public static final class Out {
        private byte[] scratch = new byte[0]; // the last route compacted, reused
        private byte[] bytes; // the answer of the last compact
        private Map<Key, Integer> aliases; // made at the first route
        private byte[] lastNames = new byte[0]; // realm and topic items of the last route compacted
        private byte[] lastPublisher = new byte[0];
        private int lastAlias = -1;
        private final Previous previous = new Previous(); // the last route by alias this stream carried

        /**
         * Puts the packet as this stream carries it into {@link #bytes()} and answers its length: a full route by
         * alias (or with the definition of its alias, the first time), any other packet unchanged. {@code packet}
         * is an encoded packet of {@link FrameCodec}; it is not changed.
         */
        public int compact(byte[] packet) {
            bytes = packet;
            Layout route = Layout.of(packet);
            if (route == null) {
                return packet.length;
            }
            int alias;
            boolean define = false;
            if (lastAlias >= 0 && route.sameNames(lastNames) && route.samePublisher(lastPublisher)) {
                alias = lastAlias;
            } else {
                Key key = new Key(Arrays.copyOfRange(packet, route.realmAt, route.payloadAt),
                        Arrays.copyOfRange(packet, route.publisherAt, route.publishedAtAt));
                if (aliases == null) {
                    aliases = new HashMap<>();
                }
                Integer known = aliases.get(key);
                if (known == null) {
                    if (aliases.size() >= MAX || !route.asciiNames()) {
                        return packet.length; // every alias is taken, or names it cannot carry: in full
                    }
                    known = aliases.size();
                    aliases.put(key, known);
                    define = true;
                }
                alias = known;
                lastAlias = alias;
                lastNames = key.names;
                lastPublisher = key.publisher;
            }
            int room = packet.length + 2; // a route by alias is at most 2 bytes longer (the alias)
            if (room > MAX_SCRATCH_BYTES) {
                bytes = new byte[room]; // a large route: not kept for the stream's lifetime
            } else {
                if (scratch.length < room) {
                    scratch = new byte[Math.max(room, Math.min(2 * scratch.length, MAX_SCRATCH_BYTES))];
                }
                bytes = scratch;
            }
            MessageId id = route.id();
            long sequence = id.sequence(); // unmixed once: the step and the next route both count from it
            long step = define ? 0 : previous.stepTo(id.stream(), sequence);
            long after = route.publishedAt - previous.publishedAt;
            previous.set(id.stream(), sequence, route.publishedAt);
            return step > 0 && after == (int) after ? route.writeNext(alias, step, after, bytes)
                    : route.write(alias, define, bytes);
        }

        /**
         * What the last {@link #compact} put, up to the length it answered: the packet itself when nothing was to
         * gain, else an array this side reuses at the next call (copy it before).
         */
        public byte[] bytes() {
            return bytes;
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
    }

    /** The realm and topic items and the publisher item of a route, as bytes. */
    private record Key(byte[] names, byte[] publisher) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(names, k.names) && Arrays.equals(publisher, k.publisher);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(names) + Arrays.hashCode(publisher);
        }
    }

    /** Where the items of an encoded full route are; see {@link FrameCodec} for its layout. */
    private static final class Layout {
        static final int ENVELOPE_AT = 1; // version, kind, request id follow the array's head
        final byte[] packet;
        final int typeAt;
        final int idAt;
        final int realmAt; // realm, then topic
        final int payloadAt; // payload, then qos
        final int publisherAt;
        final int publishedAtAt; // publishedAt, then hops, to the end
        final long publishedAt;
        final int hopsAt;

        private Layout(byte[] packet, int typeAt, int idAt, int realmAt, int payloadAt, int publisherAt,
                int publishedAtAt, long publishedAt, int hopsAt) {
            this.packet = packet;
            this.typeAt = typeAt;
            this.idAt = idAt;
            this.realmAt = realmAt;
            this.payloadAt = payloadAt;
            this.publisherAt = publisherAt;
            this.publishedAtAt = publishedAtAt;
            this.publishedAt = publishedAt;
            this.hopsAt = hopsAt;
        }

        /** The layout of {@code packet} when it is a full route (a QoS 1 one is a request); see {@link #asciiNames}. */
        static Layout of(byte[] packet) {
            if (packet.length == 0 || (packet[0] & 0xFF) != (ARRAY_HEAD | ROUTE_FIELDS)) {
                return null;
            }
            CborStrictReader in = new CborStrictReader(packet, ENVELOPE_AT, packet.length);
            in.head(CborSizedWriter.MAJOR_UNSIGNED); // version
            in.head(CborSizedWriter.MAJOR_UNSIGNED); // kind
            in.integer(); // request id
            int typeAt = in.at;
            long type = in.head(CborSizedWriter.MAJOR_UNSIGNED);
            if (in.failed || type != FrameType.ROUTE.code) {
                return null;
            }
            int idAt = in.at;
            in.skip(CborSizedWriter.MAJOR_BYTES);
            int realmAt = in.at;
            in.skip(CborSizedWriter.MAJOR_TEXT); // realm and topic: whether they are ASCII is asked once per triple
            in.skip(CborSizedWriter.MAJOR_TEXT);
            int payloadAt = in.at;
            in.skip(CborSizedWriter.MAJOR_BYTES);
            in.head(CborSizedWriter.MAJOR_UNSIGNED); // qos
            int publisherAt = in.at;
            in.skip(CborSizedWriter.MAJOR_BYTES);
            int publishedAtAt = in.at;
            long publishedAt = in.integer();
            return in.failed ? null : new Layout(packet, typeAt, idAt, realmAt, payloadAt, publisherAt, publishedAtAt,
                    publishedAt, in.at);
        }

        MessageId id() {
            return MessageId.of(packet, idAt + 1); // after the byte string's one-byte head
        }

        /** Writes the route as the next of the stream's previous one: {@code step} and {@code after} from it. */
        int writeNext(int alias, long step, long after, byte[] into) {
            CborSizedWriter out = new CborSizedWriter(into);
            out.head(CborSizedWriter.MAJOR_ARRAY, BY_ALIAS_FIELDS);
            out.copy(packet, ENVELOPE_AT, typeAt);
            out.head(CborSizedWriter.MAJOR_UNSIGNED, NEXT);
            out.head(CborSizedWriter.MAJOR_UNSIGNED, alias);
            out.head(CborSizedWriter.MAJOR_UNSIGNED, step);
            out.copy(packet, payloadAt, publisherAt);
            out.integer(after);
            out.copy(packet, hopsAt, packet.length);
            return out.written();
        }

        /** Whether realm and topic are ASCII text within their limits, as a RouteDefine carries them. */
        boolean asciiNames() {
            CborStrictReader in = new CborStrictReader(packet, realmAt, payloadAt);
            in.skipAscii(WireLimits.MAX_REALM_BYTES);
            in.skipAscii(Topic.MAX_BYTES);
            return !in.failed;
        }

        boolean sameNames(byte[] names) {
            return Arrays.equals(names, 0, names.length, packet, realmAt, payloadAt);
        }

        boolean samePublisher(byte[] publisher) {
            return Arrays.equals(publisher, 0, publisher.length, packet, publisherAt, publishedAtAt);
        }

        /** Writes the route by {@code alias}, with its definition when {@code define}, into {@code into}. */
        int write(int alias, boolean define, byte[] into) {
            CborSizedWriter out = new CborSizedWriter(into);
            out.head(CborSizedWriter.MAJOR_ARRAY, define ? DEFINE_FIELDS : BY_ALIAS_FIELDS);
            out.copy(packet, ENVELOPE_AT, typeAt);
            out.head(CborSizedWriter.MAJOR_UNSIGNED, define ? DEFINE : BY_ALIAS);
            out.head(CborSizedWriter.MAJOR_UNSIGNED, alias);
            if (define) {
                out.copy(packet, realmAt, payloadAt);
                out.copy(packet, publisherAt, publishedAtAt);
            }
            out.copy(packet, idAt, realmAt);
            out.copy(packet, payloadAt, publisherAt);
            out.copy(packet, publishedAtAt, packet.length);
            return out.written();
        }
    }
}
