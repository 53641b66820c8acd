package io.hyphae.spi.transport;

/** The transport was closed before or while it carried the frame. */
public final class TransportClosedException extends TransportException {
    private static final long serialVersionUID = 1L;

    public TransportClosedException(String message) {
        super(message);
    }
}
