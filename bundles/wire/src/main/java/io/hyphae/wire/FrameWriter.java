package io.hyphae.wire;

import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import io.hyphae.spi.dht.Contact;
import io.hyphae.spi.dht.Record;
import io.hyphae.spi.transport.Endpoint;
import java.io.IOException;
import java.util.List;

/**
 * Writes one packet in the layout {@link FrameCodec} documents, every array with a definite length. Does not check
 * limits ({@link FrameLimits} did). One instance per packet, confined to the calling thread.
 */
final class FrameWriter {
    private final CBORGenerator out;

    FrameWriter(CBORGenerator out) {
        this.out = out;
    }

    void packet(Packet packet) throws IOException {
        WireFrame frame = packet.frame();
        FrameType type = FrameType.of(frame);
        out.writeStartArray(packet, 4 + type.fields);
        out.writeNumber(FrameCodec.VERSION);
        out.writeNumber(kindCode(packet.kind()));
        out.writeNumber(packet.requestId());
        out.writeNumber(type.code);
        switch (type) {
            case ROUTE -> route((Frames.Route) frame);
            case ACK -> out.writeBinary(((Frames.Ack) frame).id().toBytes());
            case PING -> contact(((Frames.Ping) frame).sender());
            case PONG -> contact(((Frames.Pong) frame).sender());
            case STORE -> {
                contact(((Frames.Store) frame).sender());
                records(((Frames.Store) frame).records());
            }
            case STORED -> out.writeNumber(((Frames.Stored) frame).accepted());
            case FIND_NODE -> {
                contact(((Frames.FindNode) frame).sender());
                out.writeBinary(((Frames.FindNode) frame).target().toBytes());
            }
            case NODES -> contacts(((Frames.Nodes) frame).contacts());
            case FIND_VALUE -> findValue((Frames.FindValue) frame);
            case VALUES -> values((Frames.Values) frame);
            case WITHDRAW -> record(((Frames.Withdraw) frame).withdrawal());
            case ERROR -> {
                out.writeNumber(((Frames.Error) frame).code().ordinal());
                out.writeString(((Frames.Error) frame).message());
            }
        }
        out.writeEndArray();
    }

    static int kindCode(Packet.Kind kind) {
        return switch (kind) {
            case REQUEST -> 0;
            case RESPONSE -> 1;
            case ONE_WAY -> 2;
        };
    }

    private void route(Frames.Route route) throws IOException {
        out.writeBinary(route.id().toBytes());
        out.writeString(route.realm());
        out.writeString(route.topic().name());
        byte[] payload = route.payloadArray();
        out.writeBinary(payload != null ? payload : route.payload()); // a message's: this rare path copies it
        out.writeNumber(route.qos().level());
        out.writeBinary(route.publisher().toBytes());
        out.writeNumber(route.publishedAt().toEpochMilli());
        out.writeNumber(route.hops());
    }

    private void findValue(Frames.FindValue find) throws IOException {
        contact(find.sender());
        out.writeBinary(find.key().toBytes());
        out.writeNumber(find.page());
    }

    private void values(Frames.Values values) throws IOException {
        records(values.records());
        contacts(values.closer());
        out.writeBoolean(values.more());
    }

    private void contacts(List<Contact> contacts) throws IOException {
        out.writeStartArray(contacts, contacts.size());
        for (Contact contact : contacts) {
            contact(contact);
        }
        out.writeEndArray();
    }

    private void contact(Contact contact) throws IOException {
        out.writeStartArray(contact, 2);
        out.writeBinary(contact.nodeId().toBytes());
        List<Endpoint> endpoints = contact.endpoints();
        out.writeStartArray(endpoints, endpoints.size());
        for (Endpoint endpoint : endpoints) {
            out.writeString(endpoint.toString());
        }
        out.writeEndArray();
        out.writeEndArray();
    }

    private void records(List<Record> records) throws IOException {
        out.writeStartArray(records, records.size());
        for (Record record : records) {
            record(record);
        }
        out.writeEndArray();
    }

    private void record(Record record) throws IOException {
        out.writeStartArray(record, 7);
        out.writeBinary(record.key().toBytes());
        out.writeBinary(record.publisher().toBytes());
        out.writeNumber(record.seq());
        out.writeNumber(record.expiresAt().toEpochMilli());
        out.writeBinary(record.value());
        out.writeBinary(record.publicKey());
        out.writeBinary(record.signature());
        out.writeEndArray();
    }
}
