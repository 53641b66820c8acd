package io.hyphae.spi.dht;

import io.hyphae.api.NodeId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * One publisher's signed value under a key. A key holds one record per publisher; a store replaces the held record
 * of that publisher only when its {@code seq} is higher. The signature is the publisher's Ed25519 signature of
 * {@link #signedBytes()}, and {@code publisher} must be the hash of {@code publicKey}: a node stores and answers only
 * records that verify, so nobody can replace another node's record. Byte arrays are copied in and out.
 *
 * @param key       where the record is stored
 * @param publisher the node that signed it
 * @param seq       version of the publisher's record under this key; higher wins
 * @param expiresAt when the record stops being served
 * @param value     application bytes (for topics, the encoded subscriber advertisement or withdrawal)
 * @param publicKey the publisher's X.509-encoded Ed25519 public key
 * @param signature Ed25519 signature of {@link #signedBytes()}
 */
public record Record(Key key, NodeId publisher, long seq, Instant expiresAt, byte[] value, byte[] publicKey,
                     byte[] signature) {
    private static final byte[] DOMAIN = "hyphae/record/v1".getBytes(StandardCharsets.US_ASCII);

    public Record {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(publisher, "publisher");
        Objects.requireNonNull(expiresAt, "expiresAt");
        value = Objects.requireNonNull(value, "value").clone();
        publicKey = Objects.requireNonNull(publicKey, "publicKey").clone();
        signature = Objects.requireNonNull(signature, "signature").clone();
    }

    /** The bytes a publisher signs: a domain tag, key, publisher, seq, expiry in ms and value. */
    public static byte[] signedBytes(Key key, NodeId publisher, long seq, Instant expiresAt, byte[] value) {
        return ByteBuffer.allocate(DOMAIN.length + Key.BYTES + NodeId.BYTES + 8 + 8 + 4 + value.length)
                .put(DOMAIN).put(key.toBytes()).put(publisher.toBytes()).putLong(seq)
                .putLong(expiresAt.toEpochMilli()).putInt(value.length).put(value)
                .array();
    }

    public byte[] signedBytes() {
        return signedBytes(key, publisher, seq, expiresAt, value);
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** Length of the value, without copying. */
    public int valueSize() {
        return value.length;
    }

    public boolean isExpired(Instant now) {
        return !now.isBefore(expiresAt);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Record r && key.equals(r.key) && publisher.equals(r.publisher) && seq == r.seq
                && expiresAt.equals(r.expiresAt) && Arrays.equals(value, r.value)
                && Arrays.equals(publicKey, r.publicKey) && Arrays.equals(signature, r.signature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, publisher, seq);
    }

    @Override
    public String toString() {
        return "Record[" + key + " by " + publisher.shortHex() + " seq " + seq + " until " + expiresAt + ", "
                + value.length + "B]";
    }
}
