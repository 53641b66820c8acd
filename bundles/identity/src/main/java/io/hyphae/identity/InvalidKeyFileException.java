package io.hyphae.identity;

import io.hyphae.api.HyphaeException;

/**
 * A key file exists but does not hold a valid Ed25519 identity (truncated, not the expected format, not Ed25519, or
 * keys that do not belong together). The message names the file and what was wrong; the node refuses to start with a
 * new identity instead, since that would silently change its node id.
 */
public final class InvalidKeyFileException extends HyphaeException {
    private static final long serialVersionUID = 1L;

    public InvalidKeyFileException(String message) {
        super(message);
    }

    public InvalidKeyFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
