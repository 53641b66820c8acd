package io.hyphae.wire;

import com.fasterxml.jackson.core.JsonParser.NumberType;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;
import com.fasterxml.jackson.dataformat.cbor.CBORReadContext;
import java.io.IOException;

/**
 * Typed, bounded reads of one CBOR item at a time. Each read names what it reads ({@code what}) so that every
 * failure, including the parser's own, becomes a {@link WireException} that says which field was wrong. Array
 * lengths are checked from the array header, before any element is read. One instance per decode, confined to the
 * calling thread.
 */
final class CborReader {
    /** Longest parser message quoted in a {@link WireException}. */
    private static final int MAX_QUOTED_CHARS = 160;

    private final CBORParser parser;

    CborReader(CBORParser parser) {
        this.parser = parser;
    }

    /**
     * Reads the header of a definite-length array and returns its length.
     *
     * @throws WireException when the item is not an array, has no definite length, or its length is out of range
     */
    int beginArray(String what, int min, int max) {
        expect(what, JsonToken.START_ARRAY, "an array");
        CBORReadContext context = parser.getParsingContext();
        if (!context.hasExpectedLength()) {
            // A 32-bit length of 2^31 or more reaches us as "no length" too: both are refused here.
            throw new WireException(what + " is an indefinite-length array or claims 2^31 elements or more");
        }
        int length = context.getExpectedLength();
        if (length < min || length > max) {
            throw new WireException(what + " has " + length + " entries, "
                    + (length < min ? "fewer than " + min : "more than " + max));
        }
        return length;
    }

    void endArray(String what) {
        expect(what, JsonToken.END_ARRAY, "the end of the array");
    }

    long readLong(String what) {
        expect(what, JsonToken.VALUE_NUMBER_INT, "an integer");
        try {
            NumberType type = parser.getNumberType();
            if (type != NumberType.INT && type != NumberType.LONG) {
                throw new WireException(what + " is beyond the 64-bit integer range");
            }
            return parser.getLongValue();
        } catch (IOException e) {
            throw malformed(what, e);
        }
    }

    int readInt(String what, int min, int max) {
        long value = readLong(what);
        if (value < min || value > max) {
            throw new WireException(what + " must be " + min + ".." + max + ": " + value);
        }
        return (int) value;
    }

    boolean readBoolean(String what) {
        JsonToken token = next(what);
        if (token == JsonToken.VALUE_TRUE) {
            return true;
        } else if (token == JsonToken.VALUE_FALSE) {
            return false;
        }
        throw wrongType(what, "a boolean", token);
    }

    /**
     * Reads a byte string of at most {@code maxBytes}. The parser holds at most the input (itself bounded by
     * {@link WireLimits#MAX_FRAME_BYTES}) whatever length the header claims.
     */
    byte[] readBytes(String what, int maxBytes) {
        byte[] bytes = bytes(what);
        if (bytes.length > maxBytes) {
            throw new WireException(what + " is " + bytes.length + " bytes, more than " + maxBytes);
        }
        return bytes;
    }

    byte[] readBytesExactly(String what, int length) {
        byte[] bytes = bytes(what);
        if (bytes.length != length) {
            throw new WireException(what + " must be " + length + " bytes, was " + bytes.length);
        }
        return bytes;
    }

    /** Reads a text string of at most {@code maxBytes} of UTF-8 without unpaired surrogates. */
    String readText(String what, int maxBytes) {
        expect(what, JsonToken.VALUE_STRING, "a text string");
        String text;
        try {
            text = parser.getText();
        } catch (IOException e) {
            throw malformed(what, e);
        }
        int length = FrameLimits.utf8Length(text);
        if (length < 0) {
            throw new WireException(what + " is not valid UTF-8 (unpaired surrogate)");
        }
        if (length > maxBytes) {
            throw new WireException(what + " is " + length + " UTF-8 bytes, more than " + maxBytes);
        }
        return text;
    }

    /**
     * @throws WireException when anything follows the packet
     */
    void expectEnd() {
        JsonToken token = next("the end of the input");
        if (token != null) {
            throw new WireException("trailing bytes after the packet, starting with " + describe(token));
        }
    }

    private byte[] bytes(String what) {
        expect(what, JsonToken.VALUE_EMBEDDED_OBJECT, "a byte string");
        try {
            return parser.getBinaryValue();
        } catch (IOException e) {
            throw malformed(what, e);
        }
    }

    private void expect(String what, JsonToken wanted, String description) {
        JsonToken token = next(what);
        if (token != wanted) {
            throw wrongType(what, description, token);
        }
    }

    private JsonToken next(String what) {
        JsonToken token;
        try {
            token = parser.nextToken();
        } catch (IOException e) {
            throw malformed(what, e);
        }
        // Our encoder never writes tags; a tag could turn bytes into a big number or a string into a reference.
        if (token != null && token != JsonToken.END_ARRAY && parser.getCurrentTag() != -1) {
            throw new WireException(what + " carries CBOR tag " + parser.getCurrentTag() + "; tags are not allowed");
        }
        return token;
    }

    private static WireException wrongType(String what, String wanted, JsonToken found) {
        return new WireException(what + " must be " + wanted + ", found " + describe(found));
    }

    private static String describe(JsonToken token) {
        if (token == null) {
            return "the end of the input";
        }
        return switch (token) {
            case START_ARRAY -> "an array";
            case END_ARRAY -> "the end of an array";
            case START_OBJECT, END_OBJECT, FIELD_NAME -> "a map";
            case VALUE_EMBEDDED_OBJECT -> "a byte string";
            case VALUE_STRING -> "a text string";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a float";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> "an undefined or simple value";
        };
    }

    private static WireException malformed(String what, IOException e) {
        // The original message, without the location (which could quote the input).
        String message = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        if (message != null && message.length() > MAX_QUOTED_CHARS) {
            message = message.substring(0, MAX_QUOTED_CHARS) + "...";
        }
        return new WireException("malformed CBOR at " + what + ": " + message, e);
    }
}
