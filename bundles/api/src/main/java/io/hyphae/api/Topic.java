package io.hyphae.api;

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

    /**
     * UTF-8 length counted by hand: topics are validated on every decoded route, and a CharsetEncoder per call was
     * the largest cost of decoding one. An unpaired surrogate cannot be encoded and is refused.
     */
    private static int utf8Length(String name) {
        int bytes = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < name.length()
                    && Character.isLowSurrogate(name.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidTopicException("topic is not valid UTF-8 (unpaired surrogate): \"" + printable(name)
                        + "\"");
            } else {
                bytes += 3;
            }
        }
        return bytes;
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
