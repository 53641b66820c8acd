package io.hyphae.node;

import io.hyphae.api.Message;
import io.hyphae.api.MessageHandler;
import io.hyphae.api.NodeClosedException;
import io.hyphae.api.NodeId;
import io.hyphae.api.PayloadTooLargeException;
import io.hyphae.api.PubSub;
import io.hyphae.api.PublishReceipt;
import io.hyphae.api.Qos;
import io.hyphae.api.Subscription;
import io.hyphae.api.Topic;
import io.hyphae.spi.pubsub.Advertiser;
import io.hyphae.spi.pubsub.Discovery;
import io.hyphae.spi.pubsub.Router;
import io.hyphae.spi.pubsub.Subscriber;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node of the mesh: the {@link PubSub} composed of an {@link Advertiser}, a {@link Discovery} and a
 * {@link Router}. Local subscribers get each message without the network; remote ones through discovery and the
 * router. Handlers, and the continuations of publish stages, run on the handler executor, so a slow handler never
 * stalls a network thread; with {@code handlerThreads} 0 they run on the thread that delivers them, without that
 * hand-off, and must never block. A plain class: OSGi wires it through {@link NodeComponent}, the embedding through
 * the embedding. Thread safe; nothing here blocks.
 */
public final class HyphaeNode implements PubSub, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HyphaeNode.class);

    private final NodeSettings settings;
    private final NodeId nodeId;
    private final Advertiser advertiser;
    private final Discovery discovery;
    private final Router router;
    private final Clock clock;
    private final MessageIds ids;
    private final Executor receiptContinuations;
    private final NodeStats stats = new NodeStats();
    private final LocalDelivery delivery;
    private final LocalSubscriptions subscriptions;
    private final PendingPublications pending = new PendingPublications();
    private final Publication.Next next = new Publication.Next() {
        @Override
        public void route(Publication publication, List<Subscriber> subscribers) {
            routeTo(publication, subscribers);
        }

        @Override
        public void dropped(Publication publication, String reason) {
            stats.discoveryDropped.increment();
            LOG.debug("{} reached local handlers only: {}", publication, reason);
            finish(publication, publication.receiptOf(0, 0));
        }

        @Override
        public void routed(Publication publication, Router.Delivery outcome, Throwable failure) {
            HyphaeNode.this.routed(publication, outcome, failure);
        }
    };
    private Router.Registration inbound; // guarded by this
    private volatile boolean closed;

    /**
     * @param settings   realm and limits
     * @param nodeId     this node, never routed to
     * @param advertiser advertises the topics subscribed here
     * @param discovery  finds the remote subscribers of a topic
     * @param router     sends to them and takes what they send
     * @param handlers   runs message handlers and receipt continuations; owned by the caller; unused when
     *                   {@code settings.handlerThreads()} is 0 (each runs on the thread that delivers it)
     * @param clock      stamps published messages
     * @param random     draws the random prefix of this node's message ids, once (a {@code SecureRandom} in
     *                   production, seeded in simulations)
     */
    public HyphaeNode(NodeSettings settings, NodeId nodeId, Advertiser advertiser, Discovery discovery, Router router,
                      Executor handlers, Clock clock, RandomGenerator random) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
        this.advertiser = Objects.requireNonNull(advertiser, "advertiser");
        this.discovery = Objects.requireNonNull(discovery, "discovery");
        this.router = Objects.requireNonNull(router, "router");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ids = new MessageIds(Objects.requireNonNull(random, "random"));
        this.delivery = new LocalDelivery(Objects.requireNonNull(handlers, "handlers"), settings.handlerThreads(),
                settings.handlerQueueCapacity(), stats, clock, settings.badHandlerLogWindowMs());
        this.receiptContinuations = delivery::completeOnHandlers;
        this.subscriptions = new LocalSubscriptions(this::advertise, this::cancel);
    }

    /** Starts taking messages from the router. Idempotent; answers this node. */
    public HyphaeNode start() {
        synchronized (this) {
            if (closed || inbound != null) {
                return this;
            }
        }
        Router.Registration registration = router.deliverTo(this::onInbound);
        boolean keep;
        synchronized (this) {
            keep = !closed && inbound == null;
            if (keep) {
                inbound = registration;
            }
        }
        if (!keep) {
            registration.close();
        }
        return this;
    }

    @Override
    public NodeId nodeId() {
        return nodeId;
    }

    @Override
    public String realm() {
        return settings.realm();
    }

    public NodeStats stats() {
        return stats;
    }

    @Override
    public CompletionStage<PublishReceipt> publish(Topic topic, byte[] payload, Qos qos) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(qos, "qos");
        if (payload.length > settings.maxPayloadBytes()) {
            throw new PayloadTooLargeException(payload.length, settings.maxPayloadBytes());
        }
        if (closed) {
            return CompletableFuture.failedFuture(new NodeClosedException("node " + nodeId.shortHex() + " is closed"));
        }
        Message message = new Message(ids.next(), settings.realm(), topic, payload, qos, nodeId, clock.instant());
        stats.published.increment();
        int local = delivery.deliver(message, subscriptions.of(topic));
        Publication publication = new Publication(message, local, next, receiptContinuations);
        pending.add(publication);
        if (closed) { // close() may have swept pending before this one was added
            fail(publication, new NodeClosedException("node " + nodeId.shortHex() + " closed"));
        } else {
            discover(publication);
        }
        return publication.receipt();
    }

    @Override
    public Subscription subscribe(Topic topic, MessageHandler handler) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(handler, "handler");
        if (closed) {
            throw new NodeClosedException("node " + nodeId.shortHex() + " is closed; cannot subscribe to " + topic);
        }
        return subscriptions.add(topic, handler, this::unsubscribe);
    }

    /**
     * Closes every subscription, cancels their advertisements, stops taking messages and fails the publishes still
     * waiting with {@link NodeClosedException}. Idempotent. Closes neither the collaborators nor the executor.
     */
    @Override
    public void close() {
        Router.Registration registration;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            registration = inbound;
            inbound = null;
        }
        if (registration != null) {
            registration.close();
        }
        List<Topic> topics = subscriptions.topics();
        subscriptions.clear().forEach(LocalSubscription::closedByNode);
        topics.forEach(this::cancel);
        for (Publication p : pending.snapshot()) {
            fail(p, new NodeClosedException("node " + nodeId.shortHex() + " closed before " + p.message().id()
                    + " was delivered"));
        }
    }

    private void discover(Publication publication) {
        Discovery.Discovered found;
        try {
            found = discovery.discover(publication.message().topic(), publication);
        } catch (RuntimeException e) {
            fail(publication, e);
            return;
        }
        if (found instanceof Discovery.Discovered.Cached cached) {
            publication.onSubscribers(cached.subscribers());
        }
        // QuerySent: discovery calls the publication when the answer comes
    }

    private void routeTo(Publication publication, List<Subscriber> subscribers) {
        List<Subscriber> remote = withoutSelf(subscribers);
        if (remote.isEmpty()) {
            finish(publication, publication.receiptOf(0, 0));
            return;
        }
        try {
            router.route(publication.message(), remote, publication); // it calls routed(), perhaps before returning
        } catch (RuntimeException e) {
            fail(publication, e);
        }
    }

    private void routed(Publication publication, Router.Delivery outcome, Throwable failure) {
        if (failure != null) {
            fail(publication, failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure);
            return;
        }
        if (!outcome.unreachable().isEmpty()) { // the usual outcome has none: no iterator made for it
            evict(publication.message().topic(), outcome.unreachable());
        }
        finish(publication, publication.receiptOf(outcome.subscribers(), outcome.delivered()));
    }

    private void evict(Topic topic, List<NodeId> unreachable) {
        for (NodeId gone : unreachable) {
            stats.evicted.increment();
            try {
                discovery.evict(topic, gone);
            } catch (RuntimeException e) {
                LOG.warn("discovery could not evict {} from {}", gone.shortHex(), topic, e);
            }
        }
    }

    /** Completes the receipt here (often a transport thread): its continuations go to the handler executor. */
    private void finish(Publication publication, PublishReceipt receipt) {
        if (pending.remove(publication)) {
            publication.receipt().complete(receipt);
        }
    }

    private void fail(Publication publication, Throwable failure) {
        if (pending.remove(publication)) {
            stats.publishFailed.increment();
            publication.receipt().completeExceptionally(failure);
        }
    }

    /** The subscribers that are not this node (the usual list has one element and no self). */
    private List<Subscriber> withoutSelf(List<Subscriber> subscribers) {
        for (Subscriber s : subscribers) {
            if (s.nodeId().equals(nodeId)) {
                return subscribers.stream().filter(x -> !x.nodeId().equals(nodeId)).toList();
            }
        }
        return subscribers;
    }

    private void onInbound(Message message) {
        stats.received.increment();
        if (message.realm().equals(settings.realm())) {
            delivery.deliver(message, subscriptions.of(message.topic()));
        }
    }

    private void unsubscribe(LocalSubscription s) {
        subscriptions.remove(s);
        delivery.forget(s);
    }

    private void advertise(Topic topic) {
        try {
            advertiser.advertise(topic);
        } catch (RuntimeException e) {
            stats.advertiserErrors.increment();
            LOG.warn("could not advertise {}; remote publishers will not find this node for it", topic, e);
        }
    }

    private void cancel(Topic topic) {
        try {
            advertiser.cancel(topic);
        } catch (RuntimeException e) {
            stats.advertiserErrors.increment();
            LOG.warn("could not cancel the advertisement of {}", topic, e);
        }
    }
}
