package io.hyphae.spi.transport;

/** No connection could be made to an endpoint, or the peer there is not the node the endpoint names. */
public final class UnreachablePeerException extends TransportException {
    private static final long serialVersionUID = 1L;

    public UnreachablePeerException(String message) {
        super(message);
    }

    public UnreachablePeerException(String message, Throwable cause) {
        super(message, cause);
    }
}
