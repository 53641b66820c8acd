package io.hyphae.spi.transport;

import io.hyphae.api.HyphaeException;

/**
 * A transport could not carry a frame. Completes the stage of a request or send exceptionally; never thrown from a
 * transport thread into a handler.
 */
public class TransportException extends HyphaeException {
    private static final long serialVersionUID = 1L;

    public TransportException(String message) {
        super(message);
    }

    public TransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
