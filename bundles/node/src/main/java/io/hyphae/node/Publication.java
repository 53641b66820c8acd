package io.hyphae.node;

import io.hyphae.api.Message;
import io.hyphae.api.PublishReceipt;
import io.hyphae.api.Qos;
import io.hyphae.spi.pubsub.Discovery;
import io.hyphae.spi.pubsub.Router;
import io.hyphae.spi.pubsub.Subscriber;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;

/**
 * One published message from the moment it was handed to local handlers until its receipt: waits in discovery when
 * the subscribers of its topic are not cached, then goes to the router. Answered once, whichever comes first: the
 * subscribers, a drop, a failure or the node closing.
 */
final class Publication implements Discovery.Waiter, BiConsumer<Router.Delivery, Throwable> {
    private static final VarHandle ANSWERED;

    static {
        try {
            ANSWERED = MethodHandles.lookup().findVarHandle(Publication.class, "answered", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Message message;
    private final int local;
    private final Next next;
    private final CompletableFuture<PublishReceipt> receipt;
    @SuppressWarnings("unused") // through ANSWERED: a field, not an AtomicBoolean object per message
    private volatile boolean answered;
    /** Links of the node's {@link PendingPublications}, guarded by the stripe's lock. */
    PendingPublications.Stripe stripe;
    Publication prevPending;
    Publication nextPending;

    /**
     * What becomes of a publication once discovery answered: {@code route} or {@code dropped}, once; after
     * {@code route}, {@code routed} once the router told its outcome.
     */
    interface Next {
        void route(Publication publication, List<Subscriber> subscribers);

        void dropped(Publication publication, String reason);

        void routed(Publication publication, Router.Delivery delivery, Throwable failure);
    }

    /** @param handlers runs the continuations of the receipt ({@link Receipt}) */
    Publication(Message message, int local, Next next, Executor handlers) {
        this.message = message;
        this.local = local;
        this.next = next;
        this.receipt = Receipt.of(handlers);
    }

    Message message() {
        return message;
    }

    CompletableFuture<PublishReceipt> receipt() {
        return receipt;
    }

    /** The receipt for {@code subscribers} known remote subscribers of which {@code delivered} were reached. */
    PublishReceipt receiptOf(int subscribers, int delivered) {
        return new PublishReceipt(message.id(), message.topic(), message.qos(), local, subscribers, delivered);
    }

    @Override
    public Qos qos() {
        return message.qos();
    }

    @Override
    public void onSubscribers(List<Subscriber> subscribers) {
        if (ANSWERED.compareAndSet(this, false, true)) {
            next.route(this, subscribers);
        }
    }

    /** Discovery gave up: the message reached only the local handlers. */
    @Override
    public void onDropped(String reason) {
        if (ANSWERED.compareAndSet(this, false, true)) {
            next.dropped(this, reason);
        }
    }

    /** The router's outcome: this publication is its own callback, so that routing it costs no stage. */
    @Override
    public void accept(Router.Delivery delivery, Throwable failure) {
        next.routed(this, delivery, failure);
    }

    @Override
    public String toString() {
        return "Publication[" + message + "]";
    }
}
