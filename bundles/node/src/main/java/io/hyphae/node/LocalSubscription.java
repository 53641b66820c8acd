package io.hyphae.node;

import io.hyphae.api.Message;
import io.hyphae.api.MessageHandler;
import io.hyphae.api.Subscription;
import io.hyphae.api.Topic;
import java.util.function.Consumer;

/** One handler subscribed to one topic on this node. Thread safe. */
final class LocalSubscription implements Subscription {
    private final Topic topic;
    private final MessageHandler handler;
    private final Consumer<LocalSubscription> onClose;
    private volatile boolean active = true;

    LocalSubscription(Topic topic, MessageHandler handler, Consumer<LocalSubscription> onClose) {
        this.topic = topic;
        this.handler = handler;
        this.onClose = onClose;
    }

    @Override
    public Topic topic() {
        return topic;
    }

    @Override
    public boolean isActive() {
        return active;
    }

    @Override
    public void close() {
        if (active) {
            active = false;
            onClose.accept(this);
        }
    }

    /** Marks it closed without telling the node (the node is closing it). */
    void closedByNode() {
        active = false;
    }

    /** Runs the handler unless the subscription was closed meanwhile; exceptions are the caller's to isolate. */
    void deliver(Message message) {
        if (active) {
            handler.onMessage(message);
        }
    }

    @Override
    public String toString() {
        return "Subscription[" + topic + " " + handler + "]";
    }
}
