package io.hyphae.api;

/**
 * Root of every exception Hyphae throws at its API. Subclasses are named for the rule that was broken; the message
 * names the rule and the offending value.
 */
public class HyphaeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public HyphaeException(String message) {
        super(message);
    }

    public HyphaeException(String message, Throwable cause) {
        super(message, cause);
    }
}
