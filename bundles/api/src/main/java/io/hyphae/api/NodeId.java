package io.hyphae.api;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The identity of a node: 32 bytes, the SHA-256 of the node's encoded public key. Immutable; ordered by unsigned
 * bytes; printed as 64 lower-case hex digits.
 */
public final class NodeId implements Comparable<NodeId> {
    /** Length of an id in bytes. */
    public static final int BYTES = 32;
    private static final HexFormat HEX = HexFormat.of();

    private final byte[] bytes;
    private final int hash;

    private NodeId(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    /**
     * @throws IllegalArgumentException when {@code bytes} is not {@value #BYTES} long
     */
    public static NodeId of(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length != BYTES) {
            throw new IllegalArgumentException("node id must be " + BYTES + " bytes, was " + bytes.length);
        }
        return new NodeId(bytes.clone());
    }

    /**
     * @throws IllegalArgumentException when {@code hex} is not 64 hex digits
     */
    public static NodeId ofHex(String hex) {
        Objects.requireNonNull(hex, "hex");
        if (hex.length() != BYTES * 2) {
            throw new IllegalArgumentException("node id must be " + BYTES * 2 + " hex digits, was " + hex.length()
                    + ": \"" + hex + "\"");
        }
        try {
            return new NodeId(HEX.parseHex(hex));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("node id is not hex: \"" + hex + "\"", e);
        }
    }

    /** The id of the node whose encoded (X.509 SubjectPublicKeyInfo) public key is {@code encodedPublicKey}. */
    public static NodeId ofPublicKey(byte[] encodedPublicKey) {
        Objects.requireNonNull(encodedPublicKey, "encodedPublicKey");
        return new NodeId(sha256(encodedPublicKey));
    }

    /** A copy of the 32 bytes. */
    public byte[] toBytes() {
        return bytes.clone();
    }

    /**
     * Writes the 32 bytes into {@code destination} at {@code offset} (an encoder's buffer), without a copy between.
     *
     * @throws IndexOutOfBoundsException when fewer than {@value #BYTES} bytes follow {@code offset}
     */
    public void writeTo(byte[] destination, int offset) {
        Objects.checkFromIndexSize(offset, BYTES, destination.length);
        System.arraycopy(bytes, 0, destination, offset, BYTES);
    }

    /** Byte {@code i} of the id, without copying. */
    public byte byteAt(int i) {
        return bytes[i];
    }

    public String toHex() {
        return HEX.formatHex(bytes);
    }

    /** The first 8 hex digits, for logs and tables. */
    public String shortHex() {
        return toHex().substring(0, 8);
    }

    @Override
    public int compareTo(NodeId other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeId other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return toHex();
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
