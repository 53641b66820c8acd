package io.hyphae.api;

/** The node was closed, or closed while the operation was in flight. */
public final class NodeClosedException extends HyphaeException {
    private static final long serialVersionUID = 1L;

    public NodeClosedException(String message) {
        super(message);
    }
}
