package io.hyphae.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A live subscription. Closing it stops delivery to its handler and, when it was the node's last subscription of
 * the topic, withdraws the node's advertisement. Closing twice is harmless.
 */
@ProviderType
public interface Subscription extends AutoCloseable {
    Topic topic();

    /** False once closed, by the user or by the node shutting down. */
    boolean isActive();

    @Override
    void close();
}
