package io.hyphae.api;

/**
 * A bounded queue is full: the message was not accepted. Publishing again later may succeed. Completes a publish
 * stage exceptionally rather than letting memory grow without limit.
 */
public final class BackpressureException extends HyphaeException {
    private static final long serialVersionUID = 1L;

    public BackpressureException(String message) {
        super(message);
    }
}
