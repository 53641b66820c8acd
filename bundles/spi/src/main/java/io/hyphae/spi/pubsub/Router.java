package io.hyphae.spi.pubsub;

import io.hyphae.api.Message;
import io.hyphae.api.MessageHandler;
import io.hyphae.api.NodeId;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Sends messages straight to subscribers and takes the messages other nodes send here. Outbound, it uses the
 * transport whose scheme matches a subscriber's first working endpoint, one connection per peer; QoS 1 messages are
 * retried until acknowledged or their deadline passes. Inbound, it validates, drops duplicates, acknowledges QoS 1
 * and hands each message to the registered sink. Thread safe; never blocks on the network.
 */
@ProviderType
public interface Router {
    /**
     * Sends {@code message} (hop 0) to every one of {@code subscribers}.
     *
     * @return completes when each subscriber was handed the message (QoS 0) or acknowledged it or its deadline passed
     *     (QoS 1); exceptionally with {@link io.hyphae.api.BackpressureException} when an outbound queue is full
     */
    CompletionStage<Delivery> route(Message message, List<Subscriber> subscribers);

    /**
     * Sends {@code message} as {@link #route(Message, List)} does and tells {@code outcome} instead of completing a
     * stage: once, with the delivery or with the failure, on the thread that decides it (a transport thread, a
     * timer, or the calling thread itself when the message is refused at once, before this method returns). For a
     * caller that keeps its own record of each message and needs no stage per message. {@code outcome} must not
     * block nor throw. This default adapts {@link #route(Message, List)}.
     *
     * @since 1.1
     */
    default void route(Message message, List<Subscriber> subscribers,
                       BiConsumer<? super Delivery, ? super Throwable> outcome) {
        route(message, subscribers).whenComplete(outcome);
    }

    /**
     * Hands every inbound message, once per message id within the de-duplication window, to {@code sink} until the
     * registration is closed. The sink is called on a router thread and must hand off quickly.
     */
    Registration deliverTo(MessageHandler sink);

    /** Undoes {@link #deliverTo}. Closing twice is harmless. */
    interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * The outcome of one {@link #route}.
     *
     * @param subscribers subscribers the message was routed to
     * @param delivered   those reached (QoS 1: that acknowledged)
     * @param unreachable those that could not be reached over any of their endpoints
     */
    record Delivery(int subscribers, int delivered, List<NodeId> unreachable) {
        public Delivery {
            unreachable = List.copyOf(unreachable);
        }
    }
}
