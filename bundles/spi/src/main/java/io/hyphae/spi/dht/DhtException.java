package io.hyphae.spi.dht;

import io.hyphae.api.HyphaeException;

/** A DHT operation failed; the message says why. */
public class DhtException extends HyphaeException {
    private static final long serialVersionUID = 1L;

    public DhtException(String message) {
        super(message);
    }

    public DhtException(String message, Throwable cause) {
        super(message, cause);
    }
}
