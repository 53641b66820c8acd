package io.hyphae.wire;

import io.hyphae.api.InvalidTopicException;
import io.hyphae.api.MessageId;
import io.hyphae.api.NodeId;
import io.hyphae.api.Qos;
import io.hyphae.api.Topic;
import java.time.Instant;

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
            Writer out = new Writer(new byte[envelopeSize(packet) + 1 + MessageId.BYTES]);
            envelope(out, packet, ACK_FIELDS, FrameType.ACK);
            out.bytes(ack.id().toBytes());
            return out.done();
        }
        return null;
    }

    private static byte[] encodeRoute(Packet packet, Frames.Route route) {
        String realm = route.realm();
        String topic = route.topic().name();
        if (!ascii(realm) || !ascii(topic)) {
            return null;
        }
        byte[] payload = route.payloadArray();
        long publishedAt = route.publishedAt().toEpochMilli();
        int size = envelopeSize(packet)
                + 1 + MessageId.BYTES
                + headSize(realm.length()) + realm.length()
                + headSize(topic.length()) + topic.length()
                + headSize(payload.length) + payload.length
                + 1
                + headSize(NodeId.BYTES) + NodeId.BYTES
                + intSize(publishedAt)
                + headSize(route.hops());
        Writer out = new Writer(new byte[size]);
        envelope(out, packet, ROUTE_FIELDS, FrameType.ROUTE);
        out.bytes(route.id().toBytes());
        out.ascii(realm);
        out.ascii(topic);
        out.bytes(payload);
        out.head(MAJOR_UNSIGNED, route.qos().level());
        out.bytes(route.publisher().toBytes());
        out.integer(publishedAt);
        out.head(MAJOR_UNSIGNED, route.hops());
        return out.done();
    }

    /**
     * The packet in {@code bytes[offset .. end)}, or null when it is not a plainly valid Route or Ack packet (the
     * general decoder then decides).
     */
    static Packet decode(byte[] bytes, int offset, int end) {
        Reader in = new Reader(bytes, offset, end);
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
            frame = route(in);
        } else if (type == FrameType.ACK.code && fields == ACK_FIELDS) {
            byte[] id = in.bytes(MessageId.BYTES, MessageId.BYTES);
            frame = in.failed ? null : new Frames.Ack(MessageId.of(id));
        } else {
            return null;
        }
        if (frame == null || in.failed || in.at != end) {
            return null;
        }
        return new Packet(kind == 0 ? Packet.Kind.REQUEST : kind == 1 ? Packet.Kind.RESPONSE : Packet.Kind.ONE_WAY,
                requestId, frame);
    }

    private static Frames.Route route(Reader in) {
        byte[] id = in.bytes(MessageId.BYTES, MessageId.BYTES);
        String realm = in.ascii(WireLimits.MAX_REALM_BYTES);
        String topicName = in.ascii(Topic.MAX_BYTES);
        byte[] payload = in.bytes(0, WireLimits.MAX_PAYLOAD_BYTES);
        long qos = in.head(MAJOR_UNSIGNED);
        byte[] publisher = in.bytes(NodeId.BYTES, NodeId.BYTES);
        long publishedAt = in.integer();
        long hops = in.head(MAJOR_UNSIGNED);
        if (in.failed || qos < 0 || qos > 1 || hops < 0 || hops > Integer.MAX_VALUE) {
            return null;
        }
        Topic topic;
        try {
            topic = new Topic(topicName);
        } catch (InvalidTopicException e) {
            return null; // the general decoder words the refusal
        }
        return new Frames.Route(MessageId.of(id), realm, topic, payload, Qos.ofLevel((int) qos), NodeId.of(publisher),
                Instant.ofEpochMilli(publishedAt), (int) hops);
    }

    private static int envelopeSize(Packet packet) {
        return 1 + 1 + 1 + intSize(packet.requestId()) + 1;
    }

    private static void envelope(Writer out, Packet packet, int fields, FrameType type) {
        out.head(MAJOR_ARRAY, fields);
        out.head(MAJOR_UNSIGNED, FrameCodec.VERSION);
        out.head(MAJOR_UNSIGNED, FrameWriter.kindCode(packet.kind()));
        out.integer(packet.requestId());
        out.head(MAJOR_UNSIGNED, type.code);
    }

    private static boolean ascii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** Bytes of the shortest head whose argument is {@code value} (unsigned). */
    private static int headSize(long value) {
        if (value < 24) {
            return 1;
        } else if (value < 0x100) {
            return 2;
        } else if (value < 0x10000) {
            return 3;
        } else if (value < 0x1_0000_0000L) {
            return 5;
        }
        return 9;
    }

    private static int intSize(long value) {
        return headSize(value < 0 ? -1 - value : value);
    }

    /** Writes into an array of the exact size. */
    private static final class Writer {
        private final byte[] out;
        private int at;

        Writer(byte[] out) {
            this.out = out;
        }

        void head(int major, long value) {
            int type = major << 5;
            if (value < 24) {
                out[at++] = (byte) (type | (int) value);
            } else if (value < 0x100) {
                out[at++] = (byte) (type | 24);
                out[at++] = (byte) value;
            } else if (value < 0x10000) {
                out[at++] = (byte) (type | 25);
                bigEndian(value, 2);
            } else if (value < 0x1_0000_0000L) {
                out[at++] = (byte) (type | 26);
                bigEndian(value, 4);
            } else {
                out[at++] = (byte) (type | 27);
                bigEndian(value, 8);
            }
        }

        void integer(long value) {
            if (value < 0) {
                head(MAJOR_NEGATIVE, -1 - value);
            } else {
                head(MAJOR_UNSIGNED, value);
            }
        }

        void bytes(byte[] bytes) {
            head(MAJOR_BYTES, bytes.length);
            System.arraycopy(bytes, 0, out, at, bytes.length);
            at += bytes.length;
        }

        void ascii(String text) {
            head(MAJOR_TEXT, text.length());
            for (int i = 0; i < text.length(); i++) {
                out[at++] = (byte) text.charAt(i);
            }
        }

        byte[] done() {
            if (at != out.length) {
                throw new IllegalStateException("route encoding size: wrote " + at + " of " + out.length);
            }
            return out;
        }

        private void bigEndian(long value, int widthBytes) {
            for (int shift = 8 * (widthBytes - 1); shift >= 0; shift -= 8) {
                out[at++] = (byte) (value >>> shift);
            }
        }
    }

    /** Reads shortest-form heads only; any surprise sets {@code failed} and later reads answer harmless values. */
    private static final class Reader {
        private final byte[] in;
        private final int end;
        private int at;
        boolean failed;

        Reader(byte[] in, int offset, int end) {
            this.in = in;
            this.at = offset;
            this.end = end;
        }

        /** The argument of a head of {@code major} type in shortest form, unsigned and below 2^63; else -1. */
        long head(int major) {
            if (failed || at >= end || (in[at] & 0xFF) >>> 5 != major) {
                return fail();
            }
            int info = in[at++] & 0x1F;
            if (info < 24) {
                return info;
            }
            int width = info == 24 ? 1 : info == 25 ? 2 : info == 26 ? 4 : info == 27 ? 8 : 0;
            if (width == 0 || end - at < width) {
                return fail();
            }
            long value = 0;
            for (int i = 0; i < width; i++) {
                value = value << 8 | (in[at++] & 0xFF);
            }
            long shortest = width == 1 ? 24 : width == 2 ? 0x100 : width == 4 ? 0x10000 : 0x1_0000_0000L;
            if (value < shortest) { // not the shortest form, or (8 bytes) beyond the signed 64-bit range
                return fail();
            }
            return value;
        }

        long integer() {
            if (failed || at >= end) {
                return fail();
            }
            if ((in[at] & 0xFF) >>> 5 == MAJOR_NEGATIVE) {
                long n = head(MAJOR_NEGATIVE);
                return failed ? 0 : -1 - n;
            }
            long n = head(MAJOR_UNSIGNED);
            return failed ? 0 : n;
        }

        byte[] bytes(int min, int max) {
            long length = head(MAJOR_BYTES);
            if (failed || length < min || length > max || length > end - at) {
                fail();
                return null;
            }
            byte[] value = new byte[(int) length];
            System.arraycopy(in, at, value, 0, value.length);
            at += value.length;
            return value;
        }

        String ascii(int maxBytes) {
            long length = head(MAJOR_TEXT);
            if (failed || length > maxBytes || length > end - at) {
                fail();
                return null;
            }
            int start = at;
            for (int i = 0; i < length; i++) {
                if (in[at++] < 0) { // not ASCII: the general decoder checks the UTF-8
                    fail();
                    return null;
                }
            }
            return new String(in, start, (int) length, java.nio.charset.StandardCharsets.ISO_8859_1);
        }

        private long fail() {
            failed = true;
            return -1;
        }
    }
}
