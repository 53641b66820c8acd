package io.hyphae.api;

/** A topic name breaks one of the rules of {@link Topic}; the message says which. */
public final class InvalidTopicException extends HyphaeException {
    private static final long serialVersionUID = 1L;

    public InvalidTopicException(String message) {
        super(message);
    }
}
