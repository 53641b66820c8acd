package io.hyphae.wire;

import io.hyphae.api.MessageId;
import io.hyphae.api.Qos;
import io.hyphae.spi.dht.Contact;
import io.hyphae.spi.dht.Record;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one packet in the layout {@link FrameCodec} documents, enforcing {@link WireLimits} as it goes: a list is
 * refused from its header, a field as soon as it is read, before any value object is built from it. One instance
 * per decode, confined to the calling thread.
 */
final class FrameReader {
    private static final Frames.Error.Code[] ERROR_CODES = Frames.Error.Code.values();
    private static final Packet.Kind[] KINDS = {Packet.Kind.REQUEST, Packet.Kind.RESPONSE, Packet.Kind.ONE_WAY};
    private static final ValueReader.Names PING_SENDER = new ValueReader.Names("Ping.sender");
    private static final ValueReader.Names PONG_SENDER = new ValueReader.Names("Pong.sender");
    private static final ValueReader.Names STORE_SENDER = new ValueReader.Names("Store.sender");
    private static final ValueReader.Names STORE_RECORDS = new ValueReader.Names("Store.records");
    private static final ValueReader.Names FIND_NODE_SENDER = new ValueReader.Names("FindNode.sender");
    private static final ValueReader.Names NODES_CONTACTS = new ValueReader.Names("Nodes.contacts");
    private static final ValueReader.Names FIND_VALUE_SENDER = new ValueReader.Names("FindValue.sender");
    private static final ValueReader.Names VALUES_RECORDS = new ValueReader.Names("Values.records");
    private static final ValueReader.Names VALUES_CLOSER = new ValueReader.Names("Values.closer");
    private static final ValueReader.Names WITHDRAWAL = new ValueReader.Names("Withdraw.withdrawal");

    private final CborReader in;
    private final ValueReader values;

    FrameReader(CborReader in) {
        this.in = in;
        this.values = new ValueReader(in);
    }

    /**
     * Reads a whole packet and checks that nothing follows it.
     *
     * @throws WireException naming what is wrong
     */
    Packet packet() {
        int length = in.beginArray("packet", 4, 4 + FrameType.MAX_FIELDS);
        int version = in.readInt("packet version", 0, Integer.MAX_VALUE);
        if (version != FrameCodec.VERSION) {
            throw new WireException("unknown packet version " + version + " (this node reads " + FrameCodec.VERSION
                    + ")");
        }
        Packet.Kind kind = KINDS[in.readInt("packet kind", 0, KINDS.length - 1)];
        long requestId = in.readLong("packet requestId");
        int code = in.readInt("frame type", 0, Integer.MAX_VALUE);
        FrameType type = FrameType.ofCode(code);
        if (type == null) {
            throw new WireException("unknown frame type " + code);
        }
        if (length != 4 + type.fields) {
            throw new WireException(type + " frame has " + (length - 4) + " fields, expected " + type.fields);
        }
        WireFrame frame = frame(type);
        in.endArray("packet");
        in.expectEnd();
        return new Packet(kind, requestId, frame);
    }

    private WireFrame frame(FrameType type) {
        return switch (type) {
            case ROUTE -> route();
            case ACK -> new Frames.Ack(values.messageId("Ack.id"));
            case PING -> new Frames.Ping(values.contact(PING_SENDER));
            case PONG -> new Frames.Pong(values.contact(PONG_SENDER));
            case STORE -> new Frames.Store(values.contact(STORE_SENDER), records(STORE_RECORDS));
            case STORED -> new Frames.Stored(in.readInt("Stored.accepted", 0, WireLimits.MAX_RECORDS));
            case FIND_NODE -> new Frames.FindNode(values.contact(FIND_NODE_SENDER), values.key("FindNode.target"));
            case NODES -> new Frames.Nodes(contacts(NODES_CONTACTS));
            case FIND_VALUE -> new Frames.FindValue(values.contact(FIND_VALUE_SENDER), values.key("FindValue.key"),
                    in.readInt("FindValue.page", 0, Integer.MAX_VALUE));
            case VALUES -> new Frames.Values(records(VALUES_RECORDS), contacts(VALUES_CLOSER),
                    in.readBoolean("Values.more"));
            case WITHDRAW -> new Frames.Withdraw(values.record(WITHDRAWAL));
            case ERROR -> new Frames.Error(ERROR_CODES[in.readInt("Error.code", 0, ERROR_CODES.length - 1)],
                    in.readText("Error.message", WireLimits.MAX_STRING_BYTES));
        };
    }

    private Frames.Route route() {
        // Arguments are evaluated left to right (JLS 15.7.4): the order of the fields on the wire.
        MessageId id = values.messageId("Route.id");
        return new Frames.Route(id, in.readText("Route.realm", WireLimits.MAX_REALM_BYTES),
                values.topic("Route.topic"), in.readBytes("Route.payload", WireLimits.MAX_PAYLOAD_BYTES),
                Qos.ofLevel(in.readInt("Route.qos", 0, 1)), values.nodeId("Route.publisher"),
                values.instant("Route.publishedAt"), in.readInt("Route.hops", 0, Integer.MAX_VALUE));
    }

    private List<Contact> contacts(ValueReader.Names names) {
        int count = in.beginArray(names.whole, 0, WireLimits.MAX_CONTACTS);
        List<Contact> contacts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            contacts.add(values.contact(names));
        }
        in.endArray(names.whole);
        return contacts;
    }

    private List<Record> records(ValueReader.Names names) {
        int count = in.beginArray(names.whole, 0, WireLimits.MAX_RECORDS);
        List<Record> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            records.add(values.record(names));
        }
        in.endArray(names.whole);
        return records;
    }
}
