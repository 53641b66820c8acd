package io.hyphae.spi.dht;

import io.hyphae.api.NodeId;
import io.hyphae.api.Topic;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/** A 256-bit key in the id space of node ids. Immutable; ordered by unsigned bytes. */
public final class Key implements Comparable<Key> {
    public static final int BYTES = 32;
    private static final HexFormat HEX = HexFormat.of();

    private final byte[] bytes;
    private final int hash;

    private Key(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    /**
     * @throws IllegalArgumentException when {@code bytes} is not {@value #BYTES} long
     */
    public static Key of(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length != BYTES) {
            throw new IllegalArgumentException("key must be " + BYTES + " bytes, was " + bytes.length);
        }
        return new Key(bytes.clone());
    }

    /** The key at a node's own id, for lookups of the nodes closest to it. */
    public static Key of(NodeId nodeId) {
        return new Key(nodeId.toBytes());
    }

    /** SHA-256 of {@code "hyphae/topic/" + realm + "/" + topic}: where subscribers of a topic advertise. */
    public static Key ofTopic(String realm, Topic topic) {
        Objects.requireNonNull(realm, "realm");
        Objects.requireNonNull(topic, "topic");
        try {
            return new Key(MessageDigest.getInstance("SHA-256")
                    .digest(("hyphae/topic/" + realm + "/" + topic.name()).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    public byte[] toBytes() {
        return bytes.clone();
    }

    /** Byte {@code i}, without copying. */
    public byte byteAt(int i) {
        return bytes[i];
    }

    public String toHex() {
        return HEX.formatHex(bytes);
    }

    @Override
    public int compareTo(Key other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Key other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return toHex().substring(0, 12);
    }
}
