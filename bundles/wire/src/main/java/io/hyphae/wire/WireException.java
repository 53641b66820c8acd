package io.hyphae.wire;

import io.hyphae.api.HyphaeException;

/**
 * Bytes from the network are not a valid packet, or a frame breaks a {@link WireLimits limit}. The only exception
 * the codec throws; the message names what was wrong (never the whole input).
 */
public final class WireException extends HyphaeException {
    private static final long serialVersionUID = 1L;

    public WireException(String message) {
        super(message);
    }

    public WireException(String message, Throwable cause) {
        super(message, cause);
    }
}
