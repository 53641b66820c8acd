package io.hyphae.spi.transport;

import io.hyphae.api.HyphaeException;

/** An endpoint string or part is malformed; the message names the part. */
public final class InvalidEndpointException extends HyphaeException {
    private static final long serialVersionUID = 1L;

    public InvalidEndpointException(String message) {
        super(message);
    }
}
