package io.hyphae.transport.mem;

import io.hyphae.api.HyphaeException;

/** A node tried to attach to a {@link VirtualNetwork} at a {@code host:port} another node holds. */
public final class AddressInUseException extends HyphaeException {
    private static final long serialVersionUID = 1L;

    public AddressInUseException(String message) {
        super(message);
    }
}
