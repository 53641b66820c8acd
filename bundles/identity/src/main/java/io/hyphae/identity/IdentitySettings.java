package io.hyphae.identity;

import java.util.Objects;

/**
 * Settings of the identity component.
 *
 * @param keyFile path of the key file; empty means {@code node.key} in the bundle's data area
 */
public record IdentitySettings(String keyFile) {
    /** Default {@link #keyFile}: the bundle data area. */
    public static final String DEFAULT_KEY_FILE = "";

    public IdentitySettings {
        keyFile = Objects.requireNonNull(keyFile, "keyFile").strip();
    }

    static IdentitySettings from(IdentityComponent.Config config) {
        return new IdentitySettings(config.keyFile());
    }
}
