package io.hyphae.wire;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;
import io.hyphae.api.NodeId;
import io.hyphae.api.Topic;
import io.hyphae.spi.dht.Contact;
import io.hyphae.spi.transport.Endpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;

/**
 * The value of a subscriber record: what a node stores in {@link io.hyphae.spi.dht.Record#value()} under
 * {@code Key.ofTopic(realm, topic)} to say it takes routes for a topic, or that it no longer does. The record around
 * it supplies the version, expiry, public key and signature; this says who, where, what and whether withdrawn, so
 * that a reader can check the value against the record that carries it. Stateless and thread safe.
 *
 * <h2>Layout (version 1)</h2>
 * One definite-length CBOR array; nothing may follow it:
 * <pre>
 * value   = [1, contact, topic: tstr, realm: tstr, withdrawn: bool]
 * contact = [nodeId: bstr32, [endpoint: tstr*]]   (as in {@link FrameCodec}; every endpoint names nodeId)
 * </pre>
 * At most {@link WireLimits#MAX_ENDPOINTS} endpoints, each at most {@link WireLimits#MAX_STRING_BYTES}; a topic
 * valid under {@link Topic}'s rules; a realm of 1 to {@link WireLimits#MAX_REALM_BYTES} bytes; the whole value at
 * most {@link WireLimits#MAX_RECORD_VALUE_BYTES}. CBOR tags, maps and floats are refused.
 *
 * <h2>Failures</h2>
 * Decoding anything else fails with one {@link WireException} naming the field, never quoting the input. Encoding a
 * value that breaks a limit throws {@link WireException} too, so nothing is stored that a reader would refuse.
 */
public final class Advertisements {
    /** The layout version written and the only one read. */
    public static final int VERSION = 1;
    /** value, contact, endpoints. */
    private static final int MAX_NESTING_DEPTH = 3;
    private static final int FIELDS = 5;
    private static final ValueReader.Names CONTACT = new ValueReader.Names("advertisement.contact");
    /** Immutable once built (its symbol caches are thread safe): shared by every encode and decode. */
    private static final CBORFactory FACTORY = CBORFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .maxStringLength(WireLimits.MAX_STRING_BYTES)
                    .maxDocumentLength(WireLimits.MAX_RECORD_VALUE_BYTES)
                    .build())
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .build();

    private Advertisements() {
    }

    /**
     * A subscriber record value. Construction checks nulls only; the codec checks the limits.
     *
     * @param nodeId    the subscriber; must be the publisher of the record that carries this value
     * @param endpoints where it takes routes, preferred first, each naming {@code nodeId}; empty in a withdrawal
     * @param topic     the topic it subscribes to
     * @param realm     the realm of the topic
     * @param withdrawn true when the subscriber no longer takes the topic
     */
    public record Value(NodeId nodeId, List<Endpoint> endpoints, Topic topic, String realm, boolean withdrawn) {
        public Value {
            Objects.requireNonNull(nodeId, "nodeId");
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(realm, "realm");
            endpoints = List.copyOf(endpoints);
        }

        /** {@code nodeId} takes routes for {@code topic} at {@code endpoints}. */
        public static Value advertisement(NodeId nodeId, List<Endpoint> endpoints, Topic topic, String realm) {
            return new Value(nodeId, endpoints, topic, realm, false);
        }

        /** {@code nodeId} no longer takes routes for {@code topic}. */
        public static Value withdrawal(NodeId nodeId, Topic topic, String realm) {
            return new Value(nodeId, List.of(), topic, realm, true);
        }
    }

    /**
     * Encodes {@code value}. Any thread.
     *
     * @throws WireException when the value breaks a limit or an endpoint names another node, naming the field
     */
    public static byte[] encode(Value value) {
        Objects.requireNonNull(value, "value");
        check(value);
        ByteSink sink = new ByteSink(128 + 96 * value.endpoints().size());
        try (CBORGenerator out = FACTORY.createGenerator(sink)) {
            out.writeStartArray(value, FIELDS);
            out.writeNumber(VERSION);
            out.writeStartArray(value.endpoints(), 2);
            out.writeBinary(value.nodeId().toBytes());
            out.writeStartArray(value.endpoints(), value.endpoints().size());
            for (Endpoint endpoint : value.endpoints()) {
                out.writeString(endpoint.toString());
            }
            out.writeEndArray();
            out.writeEndArray();
            out.writeString(value.topic().name());
            out.writeString(value.realm());
            out.writeBoolean(value.withdrawn());
            out.writeEndArray();
        } catch (IOException e) {
            // A ByteSink never fails; the generator fails only on a state this method never produces.
            throw new UncheckedIOException("encoding an advertisement to memory failed", e);
        }
        byte[] bytes = sink.toByteArray();
        if (bytes.length > WireLimits.MAX_RECORD_VALUE_BYTES) {
            throw new WireException("advertisement is " + bytes.length + " bytes, more than "
                    + WireLimits.MAX_RECORD_VALUE_BYTES);
        }
        return bytes;
    }

    /**
     * Decodes a value that fills {@code bytes} exactly. Any thread; {@code bytes} is not retained.
     *
     * @throws WireException when the bytes are not exactly one valid value within the limits
     */
    public static Value decode(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length > WireLimits.MAX_RECORD_VALUE_BYTES) {
            throw new WireException("advertisement is " + bytes.length + " bytes, more than "
                    + WireLimits.MAX_RECORD_VALUE_BYTES);
        }
        if (bytes.length == 0) {
            throw new WireException("advertisement is empty");
        }
        try (CBORParser parser = FACTORY.createParser(bytes)) {
            CborReader in = new CborReader(parser, bytes);
            ValueReader values = new ValueReader(in);
            in.beginArray("advertisement", FIELDS, FIELDS);
            int version = in.readInt("advertisement.version", 0, Integer.MAX_VALUE);
            if (version != VERSION) {
                throw new WireException("advertisement.version must be " + VERSION + ": " + version);
            }
            Contact contact = values.contact(CONTACT);
            Topic topic = values.topic("advertisement.topic");
            String realm = in.readText("advertisement.realm", WireLimits.MAX_REALM_BYTES);
            if (realm.isEmpty()) {
                throw new WireException("advertisement.realm is empty");
            }
            boolean withdrawn = in.readBoolean("advertisement.withdrawn");
            in.endArray("advertisement");
            in.expectEnd();
            return new Value(contact.nodeId(), contact.endpoints(), topic, realm, withdrawn);
        } catch (WireException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Fields are guarded one by one; this is the last line, so nothing else escapes.
            throw new WireException("invalid advertisement: " + e.getClass().getSimpleName() + ": "
                    + e.getMessage(), e);
        }
    }

    private static void check(Value value) {
        if (value.endpoints().size() > WireLimits.MAX_ENDPOINTS) {
            throw new WireException("advertisement.endpoints has " + value.endpoints().size()
                    + " entries, more than " + WireLimits.MAX_ENDPOINTS);
        }
        for (Endpoint endpoint : value.endpoints()) {
            if (!endpoint.nodeId().equals(value.nodeId())) {
                throw new WireException("advertisement.endpoints: " + endpoint + " names another node than "
                        + value.nodeId().shortHex());
            }
            text("advertisement.endpoints", endpoint.toString(), WireLimits.MAX_STRING_BYTES);
        }
        text("advertisement.realm", value.realm(), WireLimits.MAX_REALM_BYTES);
        if (value.realm().isEmpty()) {
            throw new WireException("advertisement.realm is empty");
        }
    }

    private static void text(String what, String text, int maxBytes) {
        int length = FrameLimits.utf8Length(text);
        if (length < 0) {
            throw new WireException(what + " has an unpaired surrogate, which UTF-8 cannot encode");
        }
        if (length > maxBytes) {
            throw new WireException(what + " is " + length + " UTF-8 bytes, more than " + maxBytes);
        }
    }
}
