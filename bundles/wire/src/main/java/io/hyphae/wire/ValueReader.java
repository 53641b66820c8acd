package io.hyphae.wire;

import io.hyphae.api.InvalidTopicException;
import io.hyphae.api.MessageId;
import io.hyphae.api.NodeId;
import io.hyphae.api.Topic;
import io.hyphae.spi.dht.Contact;
import io.hyphae.spi.dht.Key;
import io.hyphae.spi.dht.Record;
import io.hyphae.spi.transport.Endpoint;
import io.hyphae.spi.transport.InvalidEndpointException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the values frames are made of (ids, keys, topics, contacts, records), bounding each as it is read and
 * turning a value constructor's refusal into a {@link WireException} naming the field. One instance per decode,
 * confined to the calling thread.
 */
final class ValueReader {
    private final CborReader in;

    ValueReader(CborReader in) {
        this.in = in;
    }

    MessageId messageId(String what) {
        return MessageId.of(in.readBytesExactly(what, MessageId.BYTES));
    }

    NodeId nodeId(String what) {
        return NodeId.of(in.readBytesExactly(what, NodeId.BYTES));
    }

    Key key(String what) {
        return Key.of(in.readBytesExactly(what, Key.BYTES));
    }

    /** Instants travel as epoch milliseconds; every long is a valid one. */
    Instant instant(String what) {
        return Instant.ofEpochMilli(in.readLong(what));
    }

    Topic topic(String what) {
        String name = in.readText(what, Topic.MAX_BYTES);
        try {
            return new Topic(name);
        } catch (InvalidTopicException e) {
            throw new WireException(what + ": " + e.getMessage(), e);
        }
    }

    Contact contact(Names names) {
        in.beginArray(names.whole, 2, 2);
        NodeId nodeId = nodeId(names.nodeId);
        int count = in.beginArray(names.endpoints, 0, WireLimits.MAX_ENDPOINTS);
        List<Endpoint> endpoints = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            endpoints.add(endpoint(names.endpoints, nodeId));
        }
        in.endArray(names.endpoints);
        in.endArray(names.whole);
        return new Contact(nodeId, endpoints);
    }

    Record record(Names names) {
        in.beginArray(names.whole, 7, 7);
        Record record = new Record(key(names.key), nodeId(names.publisher), in.readLong(names.seq),
                instant(names.expiresAt),
                in.readBytes(names.value, WireLimits.MAX_RECORD_VALUE_BYTES),
                in.readBytes(names.publicKey, WireLimits.MAX_PUBLIC_KEY_BYTES),
                in.readBytes(names.signature, WireLimits.MAX_SIGNATURE_BYTES));
        in.endArray(names.whole);
        return record;
    }

    private Endpoint endpoint(String what, NodeId nodeId) {
        String text = in.readText(what, WireLimits.MAX_STRING_BYTES);
        Endpoint endpoint;
        try {
            endpoint = Endpoint.parse(text);
        } catch (InvalidEndpointException e) {
            throw new WireException(what + ": " + e.getMessage(), e);
        }
        if (!endpoint.nodeId().equals(nodeId)) {
            throw new WireException(what + ": endpoint names node " + endpoint.nodeId().shortHex()
                    + ", not the contact's node " + nodeId.shortHex());
        }
        return endpoint;
    }

    /**
     * The names of a contact's or record's fields where it appears in a frame ({@code Store.records.value}), built
     * once so that decoding does not concatenate strings.
     */
    static final class Names {
        final String whole;
        final String nodeId;
        final String endpoints;
        final String key;
        final String publisher;
        final String seq;
        final String expiresAt;
        final String value;
        final String publicKey;
        final String signature;

        Names(String whole) {
            this.whole = whole;
            this.nodeId = whole + ".nodeId";
            this.endpoints = whole + ".endpoints";
            this.key = whole + ".key";
            this.publisher = whole + ".publisher";
            this.seq = whole + ".seq";
            this.expiresAt = whole + ".expiresAt";
            this.value = whole + ".value";
            this.publicKey = whole + ".publicKey";
            this.signature = whole + ".signature";
        }
    }
}
