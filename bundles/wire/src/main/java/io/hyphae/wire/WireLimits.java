package io.hyphae.wire;

/**
 * Bounds on everything a frame may hold, enforced when encoding and decoding. A peer that exceeds one gets its frame
 * refused with a {@link WireException}.
 */
public final class WireLimits {
    /** Largest payload of a route: 1 MiB, the default and the ceiling of {@code maxPayloadBytes}. */
    public static final int MAX_PAYLOAD_BYTES = 1 << 20;
    /** Largest encoded packet: the largest payload plus room for the envelope. */
    public static final int MAX_FRAME_BYTES = MAX_PAYLOAD_BYTES + 16 * 1024;
    /** Most contacts in one answer (k = 20, with room for larger k). */
    public static final int MAX_CONTACTS = 32;
    /** Most endpoints of one contact (one per transport). */
    public static final int MAX_ENDPOINTS = 8;
    /** Most records in one store or one page of values. */
    public static final int MAX_RECORDS = 64;
    /** Largest record value. */
    public static final int MAX_RECORD_VALUE_BYTES = 4 * 1024;
    /** Largest encoded public key (Ed25519 X.509: 44 bytes). */
    public static final int MAX_PUBLIC_KEY_BYTES = 128;
    /** Largest signature (Ed25519: 64 bytes). */
    public static final int MAX_SIGNATURE_BYTES = 128;
    /** Longest realm, in UTF-8 bytes. */
    public static final int MAX_REALM_BYTES = 64;
    /** Longest text (error messages, endpoints). */
    public static final int MAX_STRING_BYTES = 512;

    private WireLimits() {
    }
}
