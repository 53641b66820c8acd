package io.hyphae.spi.transport;

/** A request got no response before its deadline. */
public final class RequestTimeoutException extends TransportException {
    private static final long serialVersionUID = 1L;

    public RequestTimeoutException(String message) {
        super(message);
    }
}
