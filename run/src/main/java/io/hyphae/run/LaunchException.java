package io.hyphae.run;

/** A command-line flag or launch property is wrong; the launcher prints the message and the usage, then exits 2. */
final class LaunchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LaunchException(String message) {
        super(message, null, false, false);
    }
}
