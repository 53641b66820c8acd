package io.hyphae.wire;

import io.hyphae.api.NodeId;
import io.hyphae.spi.dht.Contact;
import io.hyphae.spi.dht.Record;
import io.hyphae.spi.transport.Endpoint;
import java.time.Instant;
import java.util.List;

/**
 * Checks a packet against {@link WireLimits} before the encoder writes a byte of it, so the encoder never emits what
 * a decoder refuses and a refused packet leaves the output untouched. The decoder enforces the same bounds while it
 * reads ({@link FrameReader}). Stateless.
 */
final class FrameLimits {
    private FrameLimits() {
    }

    /**
     * @throws WireException naming the frame field that breaks a limit
     */
    static void check(Packet packet) {
        WireFrame frame = packet.frame();
        switch (FrameType.of(frame)) {
            case PING -> contact("Ping.sender", ((Frames.Ping) frame).sender());
            case PONG -> contact("Pong.sender", ((Frames.Pong) frame).sender());
            case STORE -> {
                Frames.Store store = (Frames.Store) frame;
                contact("Store.sender", store.sender());
                records("Store.records", store.records());
            }
            case STORED -> range("Stored.accepted", ((Frames.Stored) frame).accepted(), 0, WireLimits.MAX_RECORDS);
            case FIND_NODE -> contact("FindNode.sender", ((Frames.FindNode) frame).sender());
            case NODES -> contacts("Nodes.contacts", ((Frames.Nodes) frame).contacts());
            case FIND_VALUE -> {
                Frames.FindValue find = (Frames.FindValue) frame;
                contact("FindValue.sender", find.sender());
                range("FindValue.page", find.page(), 0, Integer.MAX_VALUE);
            }
            case VALUES -> {
                Frames.Values values = (Frames.Values) frame;
                records("Values.records", values.records());
                contacts("Values.closer", values.closer());
            }
            case ROUTE -> route((Frames.Route) frame);
            case ACK -> {
                // a message id is always 16 bytes: nothing to bound
            }
            case WITHDRAW -> record("Withdraw.withdrawal", ((Frames.Withdraw) frame).withdrawal());
            case ERROR -> text("Error.message", ((Frames.Error) frame).message(), WireLimits.MAX_STRING_BYTES);
        }
    }

    /**
     * The length of {@code text} in UTF-8, or -1 when it holds an unpaired surrogate, which UTF-8 cannot encode.
     */
    static int utf8Length(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (!Character.isSurrogate(c)) {
                bytes += 3;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                return -1;
            }
        }
        return bytes;
    }

    /**
     * The length of {@code endpoint.toString()}, in chars and in UTF-8 bytes alike (an endpoint is ASCII: its
     * scheme and host are checked when it is made), without building the string.
     */
    static int endpointLength(Endpoint endpoint) {
        String host = endpoint.host();
        return endpoint.scheme().length() + 3 + host.length() + (host.indexOf(':') >= 0 ? 2 : 0) + 1
                + decimalDigits(endpoint.port()) + 1 + 2 * NodeId.BYTES;
    }

    /** Digits of a non-negative {@code value} in decimal. */
    static int decimalDigits(int value) {
        int digits = 1;
        while (value >= 10) {
            value /= 10;
            digits++;
        }
        return digits;
    }

    private static void route(Frames.Route route) {
        text("Route.realm", route.realm(), WireLimits.MAX_REALM_BYTES);
        if (route.payloadSize() > WireLimits.MAX_PAYLOAD_BYTES) {
            throw new WireException("Route.payload is " + route.payloadSize() + " bytes, more than "
                    + WireLimits.MAX_PAYLOAD_BYTES);
        }
        epochMillis("Route.publishedAt", route.publishedAt());
        range("Route.hops", route.hops(), 0, Integer.MAX_VALUE);
    }

    private static void contacts(String what, List<Contact> contacts) {
        size(what, contacts.size(), WireLimits.MAX_CONTACTS);
        for (Contact contact : contacts) {
            contact(what, contact);
        }
    }

    private static void contact(String what, Contact contact) {
        List<Endpoint> endpoints = contact.endpoints();
        size(what + ".endpoints", endpoints.size(), WireLimits.MAX_ENDPOINTS);
        for (Endpoint endpoint : endpoints) {
            // An endpoint's parts are validated, but a long host can still make the whole string too long.
            int length = endpointLength(endpoint);
            if (length > WireLimits.MAX_STRING_BYTES) {
                throw new WireException(what + ".endpoints is " + length + " UTF-8 bytes, more than "
                        + WireLimits.MAX_STRING_BYTES);
            }
        }
    }

    private static void records(String what, List<Record> records) {
        size(what, records.size(), WireLimits.MAX_RECORDS);
        for (Record record : records) {
            record(what, record);
        }
    }

    private static void record(String what, Record record) {
        bytes(what + ".value", record.valueSize(), WireLimits.MAX_RECORD_VALUE_BYTES);
        bytes(what + ".publicKey", record.publicKey().length, WireLimits.MAX_PUBLIC_KEY_BYTES);
        bytes(what + ".signature", record.signature().length, WireLimits.MAX_SIGNATURE_BYTES);
        epochMillis(what + ".expiresAt", record.expiresAt());
    }

    private static void size(String what, int size, int max) {
        if (size > max) {
            throw new WireException(what + " has " + size + " entries, more than " + max);
        }
    }

    private static void bytes(String what, int length, int max) {
        if (length > max) {
            throw new WireException(what + " is " + length + " bytes, more than " + max);
        }
    }

    private static void text(String what, String text, int maxBytes) {
        int length = utf8Length(text);
        if (length < 0) {
            throw new WireException(what + " has an unpaired surrogate, which UTF-8 cannot encode");
        }
        if (length > maxBytes) {
            throw new WireException(what + " is " + length + " UTF-8 bytes, more than " + maxBytes);
        }
    }

    private static void range(String what, int value, int min, int max) {
        if (value < min || value > max) {
            throw new WireException(what + " must be " + min + ".." + max + ": " + value);
        }
    }

    private static void epochMillis(String what, Instant instant) {
        try {
            instant.toEpochMilli();
        } catch (ArithmeticException e) {
            throw new WireException(what + " is beyond the range of epoch milliseconds: " + instant, e);
        }
    }
}
