package io.hyphae.dht;

import io.hyphae.spi.dht.Key;
import io.hyphae.spi.dht.Record;
import io.hyphae.spi.pubsub.Signatures;
import io.hyphae.wire.WireLimits;
import java.time.Instant;

/** The rules a record must meet before a node stores, serves or returns it. Stateless. */
final class RecordCheck {
    private RecordCheck() {
    }

    /**
     * Why {@code record} is refused, or null when it is acceptable: it must be under {@code expected}, within the
     * wire limits, live at {@code now}, expire within {@code maxTtlMs}, and be signed by the key its publisher id is
     * the hash of.
     */
    static String problem(Record record, Key expected, Instant now, long maxTtlMs) {
        String problem = unsignedProblem(record, expected, now, maxTtlMs);
        return problem != null ? problem : signatureProblem(record);
    }

    /** Why {@code record} is refused, signature aside (checking it is the costly part), or null. */
    static String unsignedProblem(Record record, Key expected, Instant now, long maxTtlMs) {
        if (!record.key().equals(expected)) {
            return "record under key " + record.key() + " in an answer for " + expected;
        }
        if (record.valueSize() > WireLimits.MAX_RECORD_VALUE_BYTES) {
            return "record value of " + record.valueSize() + " bytes is over " + WireLimits.MAX_RECORD_VALUE_BYTES;
        }
        byte[] publicKey = record.publicKey();
        byte[] signature = record.signature();
        if (publicKey.length > WireLimits.MAX_PUBLIC_KEY_BYTES || signature.length > WireLimits.MAX_SIGNATURE_BYTES) {
            return "record key or signature over the wire limits";
        }
        if (record.isExpired(now)) {
            return "record expired at " + record.expiresAt();
        }
        if (record.expiresAt().isAfter(now.plusMillis(maxTtlMs))) {
            return "record expires at " + record.expiresAt() + ", more than " + maxTtlMs + " ms ahead";
        }
        return null;
    }

    /** Why the signature of {@code record} is refused, or null when it verifies for its publisher. */
    static String signatureProblem(Record record) {
        if (!Signatures.verify(record.publisher(), record.publicKey(), record.signedBytes(), record.signature())) {
            return "record signature does not verify for publisher " + record.publisher().shortHex();
        }
        return null;
    }
}
