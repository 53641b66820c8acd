package io.hyphae.wire;

import com.fasterxml.jackson.core.JsonParser.NumberType;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;
import com.fasterxml.jackson.dataformat.cbor.CBORReadContext;
import java.io.IOException;

/**
 * Typed, bounded reads of one CBOR item at a time over a {@link CBORParser} reading a byte array. Each read names
 * what it reads ({@code what}) so that every failure, including the parser's own, becomes a {@link WireException}
 * that says which field was wrong. Lengths are checked from the item's head, before any element or byte of it is
 * read: the parser reads a string's head lazily, so this class reads the declared length from the array itself.
 * Only definite lengths, integers of major type 0 and 1, and untagged items are accepted. One instance per decode,
 * confined to the calling thread.
 */
final class CborReader {
    /** Longest parser message quoted in a {@link WireException}. */
    private static final int MAX_QUOTED_CHARS = 160;

    private static final int MAJOR_TYPE_NEGATIVE_INT = 1;
    private static final int MAJOR_TYPE_TAG = 6;

    private final CBORParser parser;
    private final byte[] input;
    private final int end;

    /**
     * @param parser reading all of {@code input}
     * @param input  the array the parser reads
     */
    CborReader(CBORParser parser, byte[] input) {
        this(parser, input, input.length);
    }

    /**
     * @param parser reading {@code input} up to {@code end}
     * @param input  the array the parser reads (its token offsets index this array directly)
     * @param end    index after the last byte the parser may read
     */
    CborReader(CBORParser parser, byte[] input, int end) {
        this.parser = parser;
        this.input = input;
        this.end = end;
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
        // Jackson also reports simple values (major type 7) and tagged big numbers (6) as integers.
        int majorType = (input[tokenStart()] & 0xFF) >>> 5;
        if (majorType == MAJOR_TYPE_TAG) {
            throw new WireException(what + " carries a CBOR tag; tags are not allowed");
        } else if (majorType > MAJOR_TYPE_NEGATIVE_INT) {
            throw new WireException(what + " must be an integer, found a simple value");
        }
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

    /** Reads a byte string of at most {@code maxBytes}, refused from its head when it claims more. */
    byte[] readBytes(String what, int maxBytes) {
        expect(what, JsonToken.VALUE_EMBEDDED_OBJECT, "a byte string");
        long declared = declaredLength(what);
        if (Long.compareUnsigned(declared, maxBytes) > 0) {
            throw new WireException(what + " is " + Long.toUnsignedString(declared) + " bytes, more than "
                    + maxBytes);
        }
        return binaryValue(what);
    }

    byte[] readBytesExactly(String what, int length) {
        expect(what, JsonToken.VALUE_EMBEDDED_OBJECT, "a byte string");
        long declared = declaredLength(what);
        if (declared != length) {
            throw new WireException(what + " must be " + length + " bytes, was " + Long.toUnsignedString(declared));
        }
        return binaryValue(what);
    }

    /** Reads a text string of at most {@code maxBytes} of shortest-form UTF-8 without unpaired surrogates. */
    String readText(String what, int maxBytes) {
        expect(what, JsonToken.VALUE_STRING, "a text string");
        long declared = declaredLength(what);
        if (Long.compareUnsigned(declared, maxBytes) > 0) {
            throw new WireException(what + " is " + Long.toUnsignedString(declared) + " UTF-8 bytes, more than "
                    + maxBytes);
        }
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
        if (length != declared) {
            // The parser decodes overlong forms (C0 80 for U+0000); valid UTF-8 re-encodes to the same length.
            throw new WireException(what + " is not valid UTF-8 (overlong or surrogate encoding)");
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

    private byte[] binaryValue(String what) {
        try {
            return parser.getBinaryValue();
        } catch (IOException e) {
            throw malformed(what, e);
        }
    }

    /**
     * The length, unsigned, that the head of the current byte or text string declares. The parser has read only
     * the head's first byte so far: deciding here lets a bound refuse a string before any of it is read or
     * allocated.
     *
     * @throws WireException when the string has no definite length or it or its head runs past the input
     */
    private long declaredLength(String what) {
        int start = tokenStart();
        int info = input[start] & 0x1F;
        if (info < 24) {
            return info;
        }
        int widthBytes = switch (info) {
            case 24 -> 1;
            case 25 -> 2;
            case 26 -> 4;
            case 27 -> 8;
            case 31 -> throw new WireException(what + " is an indefinite-length string; only definite lengths are"
                    + " allowed");
            default -> throw new WireException("malformed CBOR at " + what + ": reserved length encoding " + info);
        };
        if (end - start - 1 < widthBytes) {
            throw new WireException("malformed CBOR at " + what + ": input ends inside the length");
        }
        long length = 0;
        for (int i = 1; i <= widthBytes; i++) {
            length = length << 8 | (input[start + i] & 0xFF);
        }
        int remaining = end - start - 1 - widthBytes;
        if (Long.compareUnsigned(length, remaining) > 0) {
            // Refused before the parser allocates for the claim (it would allocate up to 250,000 bytes at once).
            throw new WireException("malformed CBOR at " + what + ": claims " + Long.toUnsignedString(length)
                    + " bytes, the input has " + remaining + " left");
        }
        return length;
    }

    /** Index in {@code input} of the first byte of the current token (no tag precedes it: tags are refused). */
    private int tokenStart() {
        return (int) parser.currentTokenLocation().getByteOffset();
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
