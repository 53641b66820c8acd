package io.hyphae.api;

/** A payload is larger than the node's {@code maxPayloadBytes}. */
public final class PayloadTooLargeException extends HyphaeException {
    private static final long serialVersionUID = 1L;
    private final int sizeBytes;
    private final int limitBytes;

    public PayloadTooLargeException(int sizeBytes, int limitBytes) {
        super("payload of " + sizeBytes + " bytes exceeds maxPayloadBytes " + limitBytes);
        this.sizeBytes = sizeBytes;
        this.limitBytes = limitBytes;
    }

    public int sizeBytes() {
        return sizeBytes;
    }

    public int limitBytes() {
        return limitBytes;
    }
}
