package io.hyphae.node;

import io.hyphae.advertisement.AdvertisementService;
import io.hyphae.advertisement.AdvertisementSettings;
import io.hyphae.api.MessageHandler;
import io.hyphae.api.NodeId;
import io.hyphae.api.PubSub;
import io.hyphae.api.PublishReceipt;
import io.hyphae.api.Qos;
import io.hyphae.api.Subscription;
import io.hyphae.api.Topic;
import io.hyphae.dht.DhtSettings;
import io.hyphae.dht.KademliaDht;
import io.hyphae.discovery.DiscoveryService;
import io.hyphae.discovery.DiscoverySettings;
import io.hyphae.router.MessageRouter;
import io.hyphae.router.RouterSettings;
import io.hyphae.spi.cache.CachePolicy;
import io.hyphae.spi.concurrent.Scheduler;
import io.hyphae.spi.pubsub.NodeIdentity;
import io.hyphae.spi.transport.Transport;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.random.RandomGenerator;

/**
 * A node built by {@link Hyphae#node()}: the {@link PubSub} plus the parts it is made of, for tests, simulations
 * and the shell-less embedding. Closing it closes the node and every part it owns, in reverse order of building;
 * the transports, and a scheduler or executor passed in, stay the caller's.
 */
public final class EmbeddedNode implements PubSub, AutoCloseable {
    private final Parts parts;
    private final KademliaDht dht;
    private final DiscoveryService discovery;
    private final AdvertisementService advertisement;
    private final MessageRouter router;
    private final HyphaeNode node;

    private EmbeddedNode(Parts parts) {
        this.parts = parts;
        this.dht = new KademliaDht(parts.dhtSettings, parts.identity, parts.clock, parts.scheduler);
        this.discovery = new DiscoveryService(parts.discoverySettings, dht, parts.clock, parts.scheduler);
        discovery.usePolicy(parts.cachePolicy);
        this.advertisement = new AdvertisementService(parts.advertisementSettings, dht, parts.identity, parts.clock,
                parts.scheduler, parts.random);
        DiscoveryService found = discovery;
        this.router = new MessageRouter(parts.routerSettings, parts.clock, parts.scheduler, parts.random,
                () -> found);
        for (Transport t : parts.transports) {
            dht.addTransport(t, t.scheme());
            advertisement.addTransport(t);
            router.addTransport(t);
        }
        this.node = new HyphaeNode(parts.nodeSettings, parts.identity.nodeId(), advertisement, discovery, router,
                parts.handlers, parts.clock, parts.random);
    }

    static EmbeddedNode start(Parts parts) {
        EmbeddedNode n = new EmbeddedNode(parts);
        n.dht.start();
        n.node.start();
        return n;
    }

    @Override
    public NodeId nodeId() {
        return node.nodeId();
    }

    @Override
    public String realm() {
        return node.realm();
    }

    @Override
    public CompletionStage<PublishReceipt> publish(Topic topic, byte[] payload, Qos qos) {
        return node.publish(topic, payload, qos);
    }

    @Override
    public Subscription subscribe(Topic topic, MessageHandler handler) {
        return node.subscribe(topic, handler);
    }

    /** The node's identity. */
    public NodeIdentity identity() {
        return parts.identity;
    }

    public NodeStats stats() {
        return node.stats();
    }

    public MessageRouter router() {
        return router;
    }

    public DiscoveryService discovery() {
        return discovery;
    }

    public AdvertisementService advertisement() {
        return advertisement;
    }

    public KademliaDht dht() {
        return dht;
    }

    /** Uses one more transport (or stops using one) while running, as OSGi's dynamic references do. */
    public void addTransport(Transport transport) {
        dht.addTransport(transport, transport.scheme());
        advertisement.addTransport(transport);
        router.addTransport(transport);
    }

    public void removeTransport(Transport transport) {
        router.removeTransport(transport);
        advertisement.removeTransport(transport);
        dht.removeTransport(transport);
    }

    /**
     * Closes the node (its advertisements are withdrawn, best effort), then the router, discovery, advertiser and
     * DHT, then what the builder made for it. Idempotent; does not wait for the network.
     */
    @Override
    public void close() {
        node.close();
        router.close();
        discovery.close();
        advertisement.close();
        dht.close();
        if (parts.ownsHandlers && parts.handlers instanceof ExecutorService executor) {
            executor.shutdown();
        }
        if (parts.ownsScheduler) {
            parts.scheduler.close();
        }
    }

    /** What the builder decided; package private. */
    static final class Parts {
        NodeSettings nodeSettings;
        RouterSettings routerSettings;
        DhtSettings dhtSettings;
        AdvertisementSettings advertisementSettings;
        DiscoverySettings discoverySettings;
        NodeIdentity identity;
        Scheduler scheduler;
        boolean ownsScheduler;
        Clock clock;
        RandomGenerator random;
        Executor handlers;
        boolean ownsHandlers;
        CachePolicy cachePolicy;
        final List<Transport> transports = new ArrayList<>();
    }
}
