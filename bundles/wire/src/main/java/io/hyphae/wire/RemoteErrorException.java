package io.hyphae.wire;

import io.hyphae.spi.transport.TransportException;
import java.util.Objects;

/**
 * The peer answered a request with an {@link Frames.Error} frame: it received the request and refused or failed
 * it. {@link #code()} says why ({@code UNSUPPORTED}: no handler takes the frame, {@code INTERNAL}: the handler
 * failed, ...), so a caller can tell a peer that says no from one that cannot be reached. Completes the request's
 * stage exceptionally; the message names the request, the code and the peer's reason.
 */
public final class RemoteErrorException extends TransportException {
    private static final long serialVersionUID = 1L;
    private final Frames.Error.Code code;

    /** An error answer of code {@code code}; {@code message} names the request and the peer's reason. */
    public RemoteErrorException(Frames.Error.Code code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** Why the peer refused the request; never null. */
    public Frames.Error.Code code() {
        return code;
    }
}
