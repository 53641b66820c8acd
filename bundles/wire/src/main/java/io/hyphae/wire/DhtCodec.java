package io.hyphae.wire;

import static io.hyphae.wire.CborSizedWriter.MAJOR_ARRAY;
import static io.hyphae.wire.CborSizedWriter.MAJOR_BYTES;
import static io.hyphae.wire.CborSizedWriter.MAJOR_TEXT;
import static io.hyphae.wire.CborSizedWriter.MAJOR_UNSIGNED;
import static io.hyphae.wire.CborSizedWriter.headSize;
import static io.hyphae.wire.CborSizedWriter.intSize;

import io.hyphae.api.NodeId;
import io.hyphae.spi.dht.Contact;
import io.hyphae.spi.dht.Key;
import io.hyphae.spi.dht.Record;
import io.hyphae.spi.transport.Endpoint;
import io.hyphae.spi.transport.InvalidEndpointException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * Hand-written CBOR for the eight DHT frames (Ping, Pong, Store, Stored, FindNode, Nodes, FindValue, Values) in the
 * layout {@link FrameCodec} documents. A lookup answer carries twenty contacts; through the general generator and
 * parser, with each endpoint formatted to text and parsed back, the codec was about 40 % of the CPU of an RPC in the
 * 10,000-node simulation (#4).
 *
 * <p>As {@link RouteCodec}: the encoder writes exactly the bytes of the general writer into one array of the exact
 * size (endpoints are ASCII, so it takes every DHT frame). The decoder is a strict subset of the general one: it
 * takes only shortest-form heads, definite lengths, endpoints written as {@link Endpoint#toString} writes them
 * (IPv6 hosts excepted) that name their contact's node, and values within every limit, and answers {@code null} for
 * anything else, so that the general decoder decides, and words the refusal of, every input that is not plainly
 * valid. Stateless.
 */
final class DhtCodec {
    private static final int ID_SIZE = 2 + NodeId.BYTES; // a byte string head of 32 is two bytes
    private static final int RECORD_FIELDS = 7;
    private static final int HEX_CHARS = 2 * NodeId.BYTES;
    private static final int MAX_PORT_DIGITS = 5;
    private static final int MAX_PORT = 65535;
    private static final int MAX_HOST_CHARS = 253;
    private static final int MAX_SCHEME_CHARS = 16;
    /** The value of each ASCII hex digit (either case), -1 for every other byte value. */
    private static final byte[] HEX_VALUE = hexValues();
    /** Whether each byte value may be in a host this decoder takes: [A-Za-z0-9._%-], no ':' (IPv6). */
    private static final boolean[] HOST_CHAR = hostChars();

    private DhtCodec() {
    }

    /** The packet encoded, or null when its frame is not a DHT frame. Limits were checked. */
    static byte[] encode(Packet packet) {
        WireFrame frame = packet.frame();
        FrameType type = FrameType.of(frame);
        int size = RouteCodec.envelopeSize(packet);
        switch (type) {
            case PING -> size += contactSize(((Frames.Ping) frame).sender());
            case PONG -> size += contactSize(((Frames.Pong) frame).sender());
            case STORE -> size += contactSize(((Frames.Store) frame).sender())
                    + recordsSize(((Frames.Store) frame).records());
            case STORED -> size += headSize(((Frames.Stored) frame).accepted());
            case FIND_NODE -> size += contactSize(((Frames.FindNode) frame).sender()) + ID_SIZE;
            case NODES -> size += contactsSize(((Frames.Nodes) frame).contacts());
            case FIND_VALUE -> size += contactSize(((Frames.FindValue) frame).sender()) + ID_SIZE
                    + headSize(((Frames.FindValue) frame).page());
            case VALUES -> size += recordsSize(((Frames.Values) frame).records())
                    + contactsSize(((Frames.Values) frame).closer()) + 1;
            default -> {
                return null;
            }
        }
        CborSizedWriter out = new CborSizedWriter(size);
        RouteCodec.envelope(out, packet, 4 + type.fields, type);
        switch (type) {
            case PING -> contact(out, ((Frames.Ping) frame).sender());
            case PONG -> contact(out, ((Frames.Pong) frame).sender());
            case STORE -> {
                contact(out, ((Frames.Store) frame).sender());
                records(out, ((Frames.Store) frame).records());
            }
            case STORED -> out.head(MAJOR_UNSIGNED, ((Frames.Stored) frame).accepted());
            case FIND_NODE -> {
                contact(out, ((Frames.FindNode) frame).sender());
                key(out, ((Frames.FindNode) frame).target());
            }
            case NODES -> contacts(out, ((Frames.Nodes) frame).contacts());
            case FIND_VALUE -> {
                Frames.FindValue find = (Frames.FindValue) frame;
                contact(out, find.sender());
                key(out, find.key());
                out.head(MAJOR_UNSIGNED, find.page());
            }
            default -> {
                Frames.Values values = (Frames.Values) frame;
                records(out, values.records());
                contacts(out, values.closer());
                out.bool(values.more());
            }
        }
        return out.done();
    }

    /**
     * The packet in {@code bytes[offset .. end)}, or null when it is not a plainly valid DHT packet (the general
     * decoder then decides).
     */
    static Packet decode(byte[] bytes, int offset, int end) {
        CborStrictReader in = new CborStrictReader(bytes, offset, end);
        long fields = in.head(MAJOR_ARRAY);
        if (fields < 5 || fields > 7 || in.head(MAJOR_UNSIGNED) != FrameCodec.VERSION) {
            return null;
        }
        long kind = in.head(MAJOR_UNSIGNED);
        if (kind < 0 || kind > 2) {
            return null;
        }
        long requestId = in.integer();
        FrameType type = in.failed ? null : FrameType.ofCode((int) Math.min(in.head(MAJOR_UNSIGNED), 64));
        if (in.failed || type == null || fields != 4 + type.fields) {
            return null;
        }
        WireFrame frame = switch (type) {
            case PING -> ping(in);
            case PONG -> pong(in);
            case STORE -> store(in);
            case STORED -> stored(in);
            case FIND_NODE -> findNode(in);
            case NODES -> nodes(in);
            case FIND_VALUE -> findValue(in);
            case VALUES -> values(in);
            default -> null;
        };
        if (frame == null || in.failed || in.at != end) {
            return null;
        }
        return new Packet(kind == 0 ? Packet.Kind.REQUEST : kind == 1 ? Packet.Kind.RESPONSE : Packet.Kind.ONE_WAY,
                requestId, frame);
    }

    // ---- encoding

    private static int contactsSize(List<Contact> contacts) {
        int size = headSize(contacts.size());
        for (int i = 0; i < contacts.size(); i++) {
            size += contactSize(contacts.get(i));
        }
        return size;
    }

    private static int contactSize(Contact contact) {
        List<Endpoint> endpoints = contact.endpoints();
        int size = 1 + ID_SIZE + headSize(endpoints.size());
        for (int i = 0; i < endpoints.size(); i++) {
            int length = FrameLimits.endpointLength(endpoints.get(i));
            size += headSize(length) + length;
        }
        return size;
    }

    private static int recordsSize(List<Record> records) {
        int size = headSize(records.size());
        for (Record r : records) {
            size += 1 + ID_SIZE + ID_SIZE + intSize(r.seq()) + intSize(r.expiresAt().toEpochMilli())
                    + headSize(r.valueSize()) + r.valueSize()
                    + headSize(r.publicKey().length) + r.publicKey().length
                    + headSize(r.signature().length) + r.signature().length;
        }
        return size;
    }

    private static void contacts(CborSizedWriter out, List<Contact> contacts) {
        out.head(MAJOR_ARRAY, contacts.size());
        for (int i = 0; i < contacts.size(); i++) {
            contact(out, contacts.get(i));
        }
    }

    private static void contact(CborSizedWriter out, Contact contact) {
        out.head(MAJOR_ARRAY, 2);
        id(out, contact.nodeId());
        List<Endpoint> endpoints = contact.endpoints();
        out.head(MAJOR_ARRAY, endpoints.size());
        for (int i = 0; i < endpoints.size(); i++) {
            endpoint(out, endpoints.get(i));
        }
    }

    /** What {@link Endpoint#toString} writes, without making the string. */
    private static void endpoint(CborSizedWriter out, Endpoint endpoint) {
        out.head(MAJOR_TEXT, FrameLimits.endpointLength(endpoint));
        out.asciiBody(endpoint.scheme());
        out.raw(':');
        out.raw('/');
        out.raw('/');
        String host = endpoint.host();
        boolean brackets = host.indexOf(':') >= 0;
        if (brackets) {
            out.raw('[');
        }
        out.asciiBody(host);
        if (brackets) {
            out.raw(']');
        }
        out.raw(':');
        out.decimalBody(endpoint.port(), FrameLimits.decimalDigits(endpoint.port()));
        out.raw('/');
        NodeId id = endpoint.nodeId();
        for (int i = 0; i < NodeId.BYTES; i++) {
            out.hexBody(id.byteAt(i));
        }
    }

    private static void id(CborSizedWriter out, NodeId id) {
        out.head(MAJOR_BYTES, NodeId.BYTES);
        for (int i = 0; i < NodeId.BYTES; i++) {
            out.raw(id.byteAt(i));
        }
    }

    private static void key(CborSizedWriter out, Key key) {
        out.head(MAJOR_BYTES, Key.BYTES);
        for (int i = 0; i < Key.BYTES; i++) {
            out.raw(key.byteAt(i));
        }
    }

    private static void records(CborSizedWriter out, List<Record> records) {
        out.head(MAJOR_ARRAY, records.size());
        for (Record r : records) {
            out.head(MAJOR_ARRAY, RECORD_FIELDS);
            key(out, r.key());
            id(out, r.publisher());
            out.integer(r.seq());
            out.integer(r.expiresAt().toEpochMilli());
            out.bytes(r.value());
            out.bytes(r.publicKey());
            out.bytes(r.signature());
        }
    }

    // ---- decoding: null (with in.failed set) on anything not plainly valid

    private static Frames.Ping ping(CborStrictReader in) {
        Contact sender = contact(in);
        return sender == null ? null : new Frames.Ping(sender);
    }

    private static Frames.Pong pong(CborStrictReader in) {
        Contact sender = contact(in);
        return sender == null ? null : new Frames.Pong(sender);
    }

    private static Frames.Store store(CborStrictReader in) {
        Contact sender = contact(in);
        List<Record> records = records(in);
        return in.failed ? null : new Frames.Store(sender, records);
    }

    private static Frames.Stored stored(CborStrictReader in) {
        int accepted = in.head(MAJOR_UNSIGNED, 0, WireLimits.MAX_RECORDS);
        return in.failed ? null : new Frames.Stored(accepted);
    }

    private static Frames.FindNode findNode(CborStrictReader in) {
        Contact sender = contact(in);
        byte[] target = in.bytes(Key.BYTES, Key.BYTES);
        return in.failed ? null : new Frames.FindNode(sender, Key.of(target));
    }

    private static Frames.Nodes nodes(CborStrictReader in) {
        List<Contact> contacts = contacts(in);
        return in.failed ? null : new Frames.Nodes(contacts);
    }

    private static Frames.FindValue findValue(CborStrictReader in) {
        Contact sender = contact(in);
        byte[] key = in.bytes(Key.BYTES, Key.BYTES);
        int page = in.head(MAJOR_UNSIGNED, 0, Integer.MAX_VALUE);
        return in.failed ? null : new Frames.FindValue(sender, Key.of(key), page);
    }

    private static Frames.Values values(CborStrictReader in) {
        List<Record> records = records(in);
        List<Contact> closer = contacts(in);
        boolean more = in.bool();
        return in.failed ? null : new Frames.Values(records, closer, more);
    }

    private static List<Contact> contacts(CborStrictReader in) {
        int count = in.head(MAJOR_ARRAY, 0, WireLimits.MAX_CONTACTS);
        if (in.failed) {
            return null;
        }
        Contact[] contacts = new Contact[count];
        for (int i = 0; i < count; i++) {
            contacts[i] = contact(in);
            if (in.failed) {
                return null;
            }
        }
        return List.of(contacts);
    }

    private static Contact contact(CborStrictReader in) {
        if (in.head(MAJOR_ARRAY) != 2) {
            in.fail();
            return null;
        }
        byte[] idBytes = in.bytes(NodeId.BYTES, NodeId.BYTES);
        int count = in.head(MAJOR_ARRAY, 0, WireLimits.MAX_ENDPOINTS);
        if (in.failed) {
            return null;
        }
        NodeId id = NodeId.of(idBytes);
        Endpoint[] endpoints = new Endpoint[count];
        for (int i = 0; i < count; i++) {
            endpoints[i] = endpoint(in, id, idBytes);
            if (in.failed) {
                return null;
            }
        }
        return new Contact(id, List.of(endpoints));
    }

    /**
     * {@code scheme://host:port/nodeIdHex} naming node {@code id}, read from the bytes without making the whole
     * string; the host may not be an IPv6 address (the general decoder reads those).
     */
    private static Endpoint endpoint(CborStrictReader in, NodeId id, byte[] idBytes) {
        int length = in.asciiHead(WireLimits.MAX_STRING_BYTES);
        if (in.failed) {
            return null;
        }
        byte[] b = in.in;
        int start = in.at;
        int end = start + length;
        in.at = end;
        int slash = end - HEX_CHARS - 1;
        int schemeEnd = start;
        while (schemeEnd < end && schemeEnd - start <= MAX_SCHEME_CHARS && schemeChar(b[schemeEnd], schemeEnd == start)) {
            schemeEnd++;
        }
        int hostStart = schemeEnd + 3;
        if (schemeEnd == start || schemeEnd - start > MAX_SCHEME_CHARS || hostStart > slash || b[schemeEnd] != ':'
                || b[schemeEnd + 1] != '/' || b[schemeEnd + 2] != '/' || b[slash] != '/' || !namesNode(b, slash + 1,
                idBytes)) {
            in.fail();
            return null;
        }
        int port = 0;
        int colon = slash - 1;
        while (colon >= hostStart && b[colon] >= '0' && b[colon] <= '9') {
            colon--;
        }
        int digits = slash - 1 - colon;
        if (colon < hostStart || b[colon] != ':' || digits < 1 || digits > MAX_PORT_DIGITS
                || colon - hostStart < 1 || colon - hostStart > MAX_HOST_CHARS) {
            in.fail();
            return null;
        }
        for (int i = colon + 1; i < slash; i++) {
            port = port * 10 + (b[i] - '0');
        }
        for (int i = hostStart; i < colon; i++) {
            if (!HOST_CHAR[b[i] & 0xFF]) {
                in.fail();
                return null;
            }
        }
        if (port > MAX_PORT) {
            in.fail();
            return null;
        }
        try {
            return new Endpoint(scheme(b, start, schemeEnd), new String(b, hostStart, colon - hostStart,
                    StandardCharsets.ISO_8859_1), port, id);
        } catch (InvalidEndpointException e) {
            in.fail(); // unreachable: every part was checked; the general decoder words it should it happen
            return null;
        }
    }

    /** The common schemes as constants, so that decoding twenty contacts does not make twenty copies of "quic". */
    private static String scheme(byte[] b, int start, int end) {
        int n = end - start;
        if (n == 3 && b[start] == 'm' && b[start + 1] == 'e' && b[start + 2] == 'm') {
            return "mem";
        } else if (n == 4 && b[start] == 'q' && b[start + 1] == 'u' && b[start + 2] == 'i' && b[start + 3] == 'c') {
            return "quic";
        } else if (n == 3 && b[start] == 't' && b[start + 1] == 'c' && b[start + 2] == 'p') {
            return "tcp";
        }
        return new String(b, start, n, StandardCharsets.ISO_8859_1);
    }

    /**
     * Whether the 64 hex digits (either case) at {@code from} are {@code idBytes}. Table look-ups without branches:
     * the digits of random ids are letters or digits at random, which a branch per digit mispredicts half the time.
     */
    private static boolean namesNode(byte[] b, int from, byte[] idBytes) {
        int bad = 0;
        int differ = 0;
        for (int i = 0; i < NodeId.BYTES; i++) {
            int high = HEX_VALUE[b[from + 2 * i] & 0xFF];
            int low = HEX_VALUE[b[from + 2 * i + 1] & 0xFF];
            bad |= high | low; // negative when either is no hex digit
            differ |= ((high << 4) | (low & 0xF)) ^ (idBytes[i] & 0xFF);
        }
        return bad >= 0 && differ == 0;
    }

    private static byte[] hexValues() {
        byte[] values = new byte[256];
        java.util.Arrays.fill(values, (byte) -1);
        for (int c = '0'; c <= '9'; c++) {
            values[c] = (byte) (c - '0');
        }
        for (int c = 'a'; c <= 'f'; c++) {
            values[c] = (byte) (c - 'a' + 10);
            values[c - 'a' + 'A'] = (byte) (c - 'a' + 10);
        }
        return values;
    }

    private static boolean[] hostChars() {
        boolean[] ok = new boolean[256];
        for (int c = 0; c < 128; c++) {
            ok[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
                    || c == '_' || c == '%' || c == '-';
        }
        return ok;
    }

    private static boolean schemeChar(byte c, boolean first) {
        boolean letter = c >= 'a' && c <= 'z';
        return first ? letter : letter || (c >= '0' && c <= '9') || c == '+' || c == '.' || c == '-';
    }

    private static List<Record> records(CborStrictReader in) {
        int count = in.head(MAJOR_ARRAY, 0, WireLimits.MAX_RECORDS);
        if (in.failed) {
            return null;
        }
        Record[] records = new Record[count];
        for (int i = 0; i < count; i++) {
            if (in.head(MAJOR_ARRAY) != RECORD_FIELDS) {
                in.fail();
                return null;
            }
            byte[] key = in.bytes(Key.BYTES, Key.BYTES);
            byte[] publisher = in.bytes(NodeId.BYTES, NodeId.BYTES);
            long seq = in.integer();
            long expiresAt = in.integer();
            byte[] value = in.bytes(0, WireLimits.MAX_RECORD_VALUE_BYTES);
            byte[] publicKey = in.bytes(0, WireLimits.MAX_PUBLIC_KEY_BYTES);
            byte[] signature = in.bytes(0, WireLimits.MAX_SIGNATURE_BYTES);
            if (in.failed) {
                return null;
            }
            records[i] = new Record(Key.of(key), NodeId.of(publisher), seq, Instant.ofEpochMilli(expiresAt), value,
                    publicKey, signature);
        }
        return List.of(records);
    }
}
