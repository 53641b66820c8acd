package io.hyphae.wire;

import io.hyphae.api.MessageId;
import io.hyphae.api.NodeId;
import io.hyphae.api.Qos;
import io.hyphae.api.Topic;
import io.hyphae.spi.dht.Contact;
import io.hyphae.spi.dht.Key;
import io.hyphae.spi.dht.Record;
import io.hyphae.spi.transport.Endpoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded random packets of every frame type, within {@link WireLimits}, with instants of millisecond precision (the
 * precision of the wire). Sizes are mostly small with a share of extremes: empty and full lists, the largest values.
 */
final class RandomPackets {
    private static final String[] SCHEMES = {"quic", "tcp", "mem", "tcp+tls", "x-9.a"};
    private static final String[] HOSTS = {"127.0.0.1", "::1", "fe80::1%eth0", "2001:db8:85a3::8a2e:370:7334",
        "node-7.example.org", "localhost", "10.0.0.255", "::"};
    /** Characters of 1, 2, 3 and 4 UTF-8 bytes, and dots. */
    private static final String[] TEXT_PIECES = {"a", "Z", "0", "-", "_", " ", "é", "ß", "Ж", "日", "本", "€",
        "\uD83D\uDE00", "\uD83C\uDF0D", "/", "ñ"};
    private static final long[] REQUEST_ID_EXTREMES = {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, Integer.MAX_VALUE,
        Integer.MIN_VALUE, 1L << 32, 23, 24, 255, 256, 65535, 65536};

    private final SplittableRandom random;

    RandomPackets(long seed) {
        this.random = new SplittableRandom(seed);
    }

    Packet packet(Class<?> frameType) {
        WireFrame frame = frame(frameType);
        Packet.Kind kind = Packet.Kind.values()[random.nextInt(3)];
        long requestId = random.nextInt(8) == 0 ? REQUEST_ID_EXTREMES[random.nextInt(REQUEST_ID_EXTREMES.length)]
                : random.nextLong();
        return new Packet(kind, requestId, frame);
    }

    WireFrame frame(Class<?> type) {
        if (type == Frames.Ping.class) {
            return new Frames.Ping(contact());
        } else if (type == Frames.Pong.class) {
            return new Frames.Pong(contact());
        } else if (type == Frames.Store.class) {
            return new Frames.Store(contact(), records());
        } else if (type == Frames.Stored.class) {
            return new Frames.Stored(random.nextInt(WireLimits.MAX_RECORDS + 1));
        } else if (type == Frames.FindNode.class) {
            return new Frames.FindNode(contact(), key());
        } else if (type == Frames.Nodes.class) {
            return new Frames.Nodes(contacts());
        } else if (type == Frames.FindValue.class) {
            return new Frames.FindValue(contact(), key(), oneIn(4) ? Integer.MAX_VALUE : random.nextInt(1000));
        } else if (type == Frames.Values.class) {
            return new Frames.Values(records(), contacts(), random.nextBoolean());
        } else if (type == Frames.Route.class) {
            return route(payload());
        } else if (type == Frames.Ack.class) {
            return new Frames.Ack(MessageId.random(random));
        } else if (type == Frames.Withdraw.class) {
            return new Frames.Withdraw(record());
        } else if (type == Frames.Error.class) {
            Frames.Error.Code[] codes = Frames.Error.Code.values();
            return new Frames.Error(codes[random.nextInt(codes.length)], text(WireLimits.MAX_STRING_BYTES));
        }
        throw new IllegalArgumentException("no generator for " + type);
    }

    Frames.Route route(byte[] payload) {
        return new Frames.Route(MessageId.random(random), text(WireLimits.MAX_REALM_BYTES), topic(), payload,
                random.nextBoolean() ? Qos.AT_MOST_ONCE : Qos.AT_LEAST_ONCE, nodeId(), instant(),
                oneIn(8) ? Integer.MAX_VALUE : random.nextInt(16));
    }

    Contact contact() {
        NodeId nodeId = nodeId();
        int count = oneIn(8) ? WireLimits.MAX_ENDPOINTS : random.nextInt(4);
        List<Endpoint> endpoints = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            endpoints.add(new Endpoint(SCHEMES[random.nextInt(SCHEMES.length)], HOSTS[random.nextInt(HOSTS.length)],
                    random.nextInt(65536), nodeId));
        }
        return new Contact(nodeId, endpoints);
    }

    Record record() {
        int valueBytes = oneIn(16) ? WireLimits.MAX_RECORD_VALUE_BYTES : random.nextInt(300);
        return new Record(key(), nodeId(), random.nextLong(), instant(), bytes(valueBytes),
                bytes(oneIn(8) ? WireLimits.MAX_PUBLIC_KEY_BYTES : 44),
                bytes(oneIn(8) ? WireLimits.MAX_SIGNATURE_BYTES : random.nextInt(65)));
    }

    /** A valid topic of 1..256 UTF-8 bytes mixing ASCII and multi-byte characters. */
    Topic topic() {
        int maxBytes = oneIn(8) ? Topic.MAX_BYTES : 1 + random.nextInt(40);
        StringBuilder name = new StringBuilder();
        int bytes = 0;
        while (true) {
            String piece = bytes > 0 && name.charAt(name.length() - 1) != '.' && oneIn(5) && bytes + 2 <= maxBytes
                    ? "." : TEXT_PIECES[random.nextInt(TEXT_PIECES.length)];
            int pieceBytes = FrameLimits.utf8Length(piece);
            if (bytes + pieceBytes > maxBytes) {
                break;
            }
            name.append(piece);
            bytes += pieceBytes;
        }
        if (name.length() == 0) {
            name.append('t');
        }
        if (name.charAt(name.length() - 1) == '.') {
            name.setLength(name.length() - 1);
        }
        return new Topic(name.toString());
    }

    /** Text of at most {@code maxBytes} UTF-8 bytes, sometimes empty, sometimes exactly full. */
    String text(int maxBytes) {
        int target = oneIn(6) ? maxBytes : random.nextInt(maxBytes + 1);
        StringBuilder text = new StringBuilder();
        int bytes = 0;
        while (bytes < target) {
            String piece = TEXT_PIECES[random.nextInt(TEXT_PIECES.length)];
            int pieceBytes = FrameLimits.utf8Length(piece);
            if (bytes + pieceBytes > target) {
                piece = "x";
                pieceBytes = 1;
            }
            text.append(piece);
            bytes += pieceBytes;
        }
        return text.toString();
    }

    NodeId nodeId() {
        return NodeId.of(bytes(NodeId.BYTES));
    }

    Key key() {
        return Key.of(bytes(Key.BYTES));
    }

    byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        return bytes;
    }

    private byte[] payload() {
        int choice = random.nextInt(64);
        if (choice == 0) {
            return bytes(WireLimits.MAX_PAYLOAD_BYTES - random.nextInt(2));
        }
        return bytes(choice < 8 ? 0 : random.nextInt(choice < 16 ? 70_000 : 512));
    }

    private List<Contact> contacts() {
        int count = oneIn(8) ? WireLimits.MAX_CONTACTS : oneIn(4) ? 0 : random.nextInt(WireLimits.MAX_CONTACTS);
        List<Contact> contacts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            contacts.add(contact());
        }
        return contacts;
    }

    private List<Record> records() {
        int count = oneIn(8) ? WireLimits.MAX_RECORDS : oneIn(4) ? 0 : random.nextInt(8);
        List<Record> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            records.add(record());
        }
        return records;
    }

    /** Millisecond instants: around now, the epoch, or anywhere in the range of a long of milliseconds. */
    private Instant instant() {
        return switch (random.nextInt(4)) {
            case 0 -> Instant.ofEpochMilli(random.nextLong());
            case 1 -> Instant.ofEpochMilli(random.nextLong(-1000, 1000));
            case 2 -> Instant.ofEpochMilli(oneIn(2) ? Long.MAX_VALUE : Long.MIN_VALUE);
            default -> Instant.ofEpochMilli(1_790_000_000_000L + random.nextLong(1L << 40));
        };
    }

    private boolean oneIn(int n) {
        return random.nextInt(n) == 0;
    }
}
