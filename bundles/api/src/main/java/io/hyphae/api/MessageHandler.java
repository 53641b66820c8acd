package io.hyphae.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives the messages of a subscription. Called on the node's delivery executor, never on a network thread; calls
 * for one subscription may come from several threads. An exception thrown here is logged and counted and harms
 * neither the node nor other handlers.
 */
@ConsumerType
@FunctionalInterface
public interface MessageHandler {
    void onMessage(Message message);
}
