package io.hyphae.api;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A topic name: 1 to {@value #MAX_BYTES} bytes of UTF-8, segments separated by {@code '.'}, no empty segment and no
 * control character. Immutable; equal when the names are equal.
 *
 * @param name the validated name
 */
public record Topic(String name) implements Comparable<Topic> {
    /** Largest topic in UTF-8 bytes. */
    public static final int MAX_BYTES = 256;

    /**
     * @throws InvalidTopicException naming the broken rule when {@code name} is not a valid topic
     */
    public Topic {
        Objects.requireNonNull(name, "name");
        validate(name);
    }

    /** Same as the constructor; reads better at call sites. */
    public static Topic of(String name) {
        return new Topic(name);
    }

    /** The name encoded as UTF-8. */
    public byte[] utf8() {
        return name.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public int compareTo(Topic other) {
        return name.compareTo(other.name);
    }

    @Override
    public String toString() {
        return name;
    }

    private static void validate(String name) {
        if (name.isEmpty()) {
            throw new InvalidTopicException("topic is empty");
        }
        int bytes = utf8Length(name);
        if (bytes > MAX_BYTES) {
            throw new InvalidTopicException("topic is " + bytes + " UTF-8 bytes, more than " + MAX_BYTES
                    + ": \"" + name.substring(0, 32) + "...\"");
        }
        int segment = 1;
        int segmentLength = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isISOControl(c)) {
                throw new InvalidTopicException(String.format(
                        "topic has control character U+%04X at index %d: \"%s\"", (int) c, i, printable(name)));
            }
            if (c == '.') {
                if (segmentLength == 0) {
                    throw new InvalidTopicException("topic segment " + segment + " is empty: \"" + name + "\"");
                }
                segment++;
                segmentLength = 0;
            } else {
                segmentLength++;
            }
        }
        if (segmentLength == 0) {
            throw new InvalidTopicException("topic segment " + segment + " is empty: \"" + name + "\"");
        }
    }

    /** Strict UTF-8 length: an unpaired surrogate cannot be encoded and is refused. */
    private static int utf8Length(String name) {
        try {
            ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(name));
            return encoded.remaining();
        } catch (CharacterCodingException e) {
            throw new InvalidTopicException("topic is not valid UTF-8 (unpaired surrogate): \"" + printable(name) + "\"");
        }
    }

    private static String printable(String name) {
        StringBuilder out = new StringBuilder(Math.min(name.length(), 64));
        for (int i = 0; i < name.length() && i < 64; i++) {
            char c = name.charAt(i);
            out.append(Character.isISOControl(c) || Character.isSurrogate(c) ? String.format("\\u%04x", (int) c) : c);
        }
        return out.toString();
    }
}
