package io.hyphae.shell;

/** Bad arguments to a command: the shell prints the message and the command's usage line, never a stack trace. */
final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message, null, false, false);
    }
}
