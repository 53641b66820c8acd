package io.hyphae.shell;

/** A command needs a service that is not running; the shell prints the message, never a stack trace. */
final class NoServiceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NoServiceException(String message) {
        super(message, null, false, false);
    }
}
