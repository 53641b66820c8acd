package io.hyphae.wire;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Encodes {@link Packet}s to CBOR and decodes them back, enforcing {@link WireLimits} on both sides: the encoder
 * refuses what a decoder would refuse, and the decoder refuses network bytes as it reads them, never allocating more
 * than the input it was given. Thread safe and reusable: create one and share it.
 *
 * <h2>Layout (version 1)</h2>
 * A packet is one definite-length CBOR array; nothing may follow it:
 * <pre>
 * packet    = [1, kind, requestId: int, frameType, field...]     kind: 0 request, 1 response, 2 one-way
 * frameType   fields
 *  0 Ping      [sender: contact]
 *  1 Pong      [sender: contact]
 *  2 Store     [sender: contact, records: [record*]]
 *  3 Stored    [accepted: 0..MAX_RECORDS]
 *  4 FindNode  [sender: contact, target: key]
 *  5 Nodes     [contacts: [contact*]]
 *  6 FindValue [sender: contact, key, page: uint]
 *  7 Values    [records: [record*], closer: [contact*], more: bool]
 *  8 Route     [id: bstr16, realm: tstr, topic: tstr, payload: bstr, qos: 0|1, publisher: bstr32,
 *               publishedAt: int, hops: uint]
 *  9 Ack       [id: bstr16]
 * 10 Withdraw  [withdrawal: record]
 * 11 Error     [code: ordinal of Frames.Error.Code, message: tstr]
 * 12 RouteDefine, 13 RouteAlias, 14 RouteNext: a Route on a stream, its realm, topic and publisher named by an
 *              alias, and (RouteNext) its id and time by their distance to the route before it ({@link
 *              RouteAliases}); decoded only with the stream's {@link RouteAliases.In}
 * contact   = [nodeId: bstr32, [endpoint: tstr*]]   each endpoint as scheme://host:port/nodeIdHex, naming nodeId
 * record    = [key: bstr32, publisher: bstr32, seq: int, expiresAt: int, value: bstr, publicKey: bstr,
 *              signature: bstr]
 * key       = bstr32
 * </pre>
 * List lengths and string sizes are bounded by {@link WireLimits} (contacts, endpoints, records, record value, public
 * key, signature, payload, realm, other text) and a topic by {@link io.hyphae.api.Topic#MAX_BYTES}.
 * Instants travel as epoch milliseconds: <b>an instant on the wire has millisecond precision</b> and finer parts
 * are truncated when encoding. Ids and keys are byte strings of their exact length, topics their name (validated
 * again when decoded), QoS its level. Arrays and strings always have a definite length, checked against its limit
 * from the item's head before the item is read; text is shortest-form UTF-8. CBOR tags, maps, floats, simple values
 * and integers beyond 64 bits are refused.
 *
 * <h2>Failures</h2>
 * Every failure to decode, whatever its cause, is one {@link WireException} whose message names the field that was
 * wrong; it quotes at most that field (a topic or an endpoint), never the whole input. Encoding a packet that breaks
 * a limit throws {@link WireException} before anything is written. Passing null or an out-of-range slice is a
 * programming error and throws {@link NullPointerException} or {@link IndexOutOfBoundsException}.
 */
public final class FrameCodec {
    /** The layout version this codec writes and the only one it reads. */
    public static final int VERSION = 1;
    /** Deepest array nesting of the layout: packet, list, contact, endpoints. */
    private static final int MAX_NESTING_DEPTH = 4;
    /** Bytes of envelope around a route's payload, realm and topic; a first guess of the encoded size. */
    private static final int ROUTE_OVERHEAD_BYTES = 96;
    private static final int DEFAULT_CAPACITY_BYTES = 512;
    /** Longest part of an unexpected exception's message quoted in a {@link WireException}. */
    private static final int MAX_QUOTED_CHARS = 160;

    /** Shared by every call: immutable once built, its buffers recycled per thread by Jackson. */
    private final CBORFactory factory;
    private final RouteCodec.Recent recent = new RouteCodec.Recent();

    /** A codec with the limits of {@link WireLimits}. Cheap to share, costly to create: keep one per node. */
    public FrameCodec() {
        this.factory = CBORFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        // No text on the wire is longer, in chars, than the longest text limit is in bytes.
                        .maxStringLength(WireLimits.MAX_STRING_BYTES)
                        .maxDocumentLength(WireLimits.MAX_FRAME_BYTES)
                        .build())
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
                .build();
    }

    /**
     * Encodes {@code packet}. Safe to call from any thread.
     *
     * @return a new array holding exactly the encoded packet
     * @throws WireException when the packet breaks a {@link WireLimits} bound, naming the field
     */
    public byte[] encode(Packet packet) {
        Objects.requireNonNull(packet, "packet");
        FrameLimits.check(packet);
        byte[] hot = RouteCodec.encode(packet);
        if (hot == null) {
            hot = DhtCodec.encode(packet);
        }
        if (hot != null) {
            return hot;
        }
        ByteSink sink = new ByteSink(capacityGuess(packet.frame()));
        try {
            write(packet, sink);
        } catch (IOException e) {
            // A ByteSink never fails; the generator fails only on a state our writer never produces.
            throw new UncheckedIOException("encoding " + FrameType.of(packet.frame()) + " to memory failed", e);
        }
        return sink.toByteArray();
    }

    /**
     * The length of {@code packet} in full when it is a route that a stream lays out itself ({@link RouteAliases.Out}:
     * ASCII realm and topic), its limits checked; -1 for any other packet, not checked (encode it).
     *
     * @throws WireException when it is such a route and breaks a {@link WireLimits} bound, naming the field
     */
    int routeLength(Packet packet) {
        if (!(packet.frame() instanceof Frames.Route route)) {
            return -1;
        }
        int length = RouteCodec.routeLength(packet, route);
        if (length >= 0) {
            FrameLimits.check(packet);
        }
        return length;
    }

    /**
     * Encodes {@code packet} onto {@code out}, without closing it. Nothing is written when the packet breaks a limit.
     * Safe to call from any thread; the stream itself must not be written by another thread meanwhile.
     *
     * @throws WireException when the packet breaks a {@link WireLimits} bound, naming the field
     * @throws IOException   when {@code out} fails; part of the packet may have been written
     */
    public void encode(Packet packet, OutputStream out) throws IOException {
        Objects.requireNonNull(packet, "packet");
        Objects.requireNonNull(out, "out");
        FrameLimits.check(packet);
        write(packet, out);
    }

    /**
     * Decodes one packet that fills {@code bytes} exactly. Safe to call from any thread; {@code bytes} is not
     * retained.
     *
     * @throws WireException when the bytes are not exactly one valid packet within the limits
     */
    public Packet decode(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        return decode(bytes, 0, bytes.length);
    }

    /**
     * Decodes one packet that fills {@code bytes[offset .. offset + length)} exactly.
     *
     * @throws WireException             when those bytes are not exactly one valid packet within the limits
     * @throws IndexOutOfBoundsException when the range is not inside {@code bytes}
     */
    public Packet decode(byte[] bytes, int offset, int length) {
        Objects.requireNonNull(bytes, "bytes");
        Objects.checkFromIndexSize(offset, length, bytes.length);
        if (length > WireLimits.MAX_FRAME_BYTES) {
            throw new WireException("packet is " + length + " bytes, more than " + WireLimits.MAX_FRAME_BYTES);
        }
        if (length == 0) {
            throw new WireException("packet is empty");
        }
        Packet hot = RouteCodec.decode(bytes, offset, offset + length, recent);
        if (hot == null) {
            hot = DhtCodec.decode(bytes, offset, offset + length);
        }
        return hot != null ? hot : decodeGeneral(bytes, offset, length);
    }

    /**
     * Decodes one packet that fills {@code bytes[offset .. offset + length)} exactly, read from a stream whose route
     * aliases {@code aliases} holds: a route by alias (or defining one) as well as any other packet.
     *
     * @throws WireException             when those bytes are not exactly one valid packet within the limits, or name
     *                                   an alias the stream never defined
     * @throws IndexOutOfBoundsException when the range is not inside {@code bytes}
     */
    public Packet decode(byte[] bytes, int offset, int length, RouteAliases.In aliases) {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(aliases, "aliases");
        Objects.checkFromIndexSize(offset, length, bytes.length);
        if (length > 0 && length <= WireLimits.MAX_FRAME_BYTES) {
            Packet aliased = aliases.decode(bytes, offset, offset + length);
            if (aliased != null) {
                return aliased;
            }
        }
        return decode(bytes, offset, length);
    }

    /** {@link #decode(byte[], int, int)} without the hand-written fast paths; the range was checked. */
    Packet decodeGeneral(byte[] bytes, int offset, int length) {
        try (CBORParser parser = factory.createParser(bytes, offset, length)) {
            return new FrameReader(new CborReader(parser, bytes, offset + length)).packet();
        } catch (WireException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Fields are guarded one by one; this is the last line, so that nothing else escapes.
            String message = String.valueOf(e.getMessage());
            if (message.length() > MAX_QUOTED_CHARS) {
                message = message.substring(0, MAX_QUOTED_CHARS) + "...";
            }
            throw new WireException("invalid packet: " + e.getClass().getSimpleName() + ": " + message, e);
        }
    }

    /**
     * Decodes one packet that fills the bytes between {@code buffer}'s position and limit exactly. The buffer's
     * position, limit and content are not changed.
     *
     * @throws WireException when those bytes are not exactly one valid packet within the limits
     */
    public Packet decode(ByteBuffer buffer) {
        Objects.requireNonNull(buffer, "buffer");
        int length = buffer.remaining();
        if (buffer.hasArray()) {
            return decode(buffer.array(), buffer.arrayOffset() + buffer.position(), length);
        }
        if (length > WireLimits.MAX_FRAME_BYTES) {
            throw new WireException("packet is " + length + " bytes, more than " + WireLimits.MAX_FRAME_BYTES);
        }
        byte[] bytes = new byte[length];
        buffer.duplicate().get(bytes);
        return decode(bytes, 0, length);
    }

    private void write(Packet packet, OutputStream out) throws IOException {
        try (CBORGenerator generator = factory.createGenerator(out)) {
            new FrameWriter(generator).packet(packet);
        }
    }

    private static int capacityGuess(WireFrame frame) {
        if (frame instanceof Frames.Route route) {
            // Three UTF-8 bytes per char bounds any string.
            return ROUTE_OVERHEAD_BYTES + route.payloadSize() + 3 * (route.realm().length() + route.topic().name()
                    .length());
        }
        return DEFAULT_CAPACITY_BYTES;
    }
}
