package io.hyphae.node;

import io.hyphae.advertisement.AdvertisementSettings;
import io.hyphae.api.PubSub;
import io.hyphae.cache.lru.LruCachePolicy;
import io.hyphae.cache.lru.LruSettings;
import io.hyphae.dht.DhtSettings;
import io.hyphae.discovery.DiscoverySettings;
import io.hyphae.identity.Ed25519Identity;
import io.hyphae.router.RouterSettings;
import io.hyphae.spi.cache.CachePolicy;
import io.hyphae.spi.concurrent.Scheduler;
import io.hyphae.spi.pubsub.NodeIdentity;
import io.hyphae.spi.transport.Transport;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * The plain-Java embedding: builds a node from the same classes OSGi wires (Kademlia DHT, advertisement, discovery
 * with the lru cache policy, router, node), without a framework.
 *
 * <pre>{@code
 * try (EmbeddedNode node = Hyphae.node()
 *         .realm("default")
 *         .transport(id -> new MemTransport(network, "n1", 1, id.nodeId(), time).start())
 *         .bootstrap("mem://n0:1/" + seedId.toHex())
 *         .scheduler(time).clock(time.clock())
 *         .start()) {
 *     node.subscribe("sensors.temp", m -> System.out.println(m));
 *     node.publish("sensors.temp", bytes, Qos.AT_LEAST_ONCE);
 * }
 * }</pre>
 *
 * <p>Only for use outside OSGi: inside a framework the implementation packages are private to their bundles (the
 * node bundle imports them optionally), and the {@link PubSub} service is the way in.
 */
public final class Hyphae {
    private Hyphae() {
    }

    /** A builder with every default: realm {@code default}, a fresh identity, system clock, own threads. */
    public static Builder node() {
        return new Builder();
    }

    /** Collects the parts of a node; {@link #start} builds it. Not thread safe; use once. */
    public static final class Builder {
        private NodeSettings node = NodeSettings.defaults();
        private RouterSettings router = RouterSettings.defaults();
        private DhtSettings dht = DhtSettings.defaults();
        private AdvertisementSettings advertisement = AdvertisementSettings.defaults();
        private DiscoverySettings discovery = DiscoverySettings.defaults();
        private final List<Function<NodeIdentity, Transport>> transports = new ArrayList<>();
        private final List<String> bootstrap = new ArrayList<>();
        private NodeIdentity identity;
        private Scheduler scheduler;
        private Clock clock;
        private Executor handlers;
        private RandomGenerator random;
        private CachePolicy cachePolicy;

        private Builder() {
        }

        /** The realm of every part (default {@code default}). */
        public Builder realm(String realm) {
            node = node.withRealm(realm);
            return this;
        }

        /** Node settings; the realm, payload limit and QoS 1 deadline are handed to the other parts too. */
        public Builder settings(NodeSettings settings) {
            node = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** Router tuning (retries, queues, de-duplication); realm, payload and deadline come from the node. */
        public Builder routerSettings(RouterSettings settings) {
            router = Objects.requireNonNull(settings, "settings");
            return this;
        }

        public Builder dhtSettings(DhtSettings settings) {
            dht = Objects.requireNonNull(settings, "settings");
            return this;
        }

        public Builder advertisementSettings(AdvertisementSettings settings) {
            advertisement = Objects.requireNonNull(settings, "settings");
            return this;
        }

        public Builder discoverySettings(DiscoverySettings settings) {
            discovery = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** A started transport the node uses (and advertises). Call once per transport. */
        public Builder transport(Transport transport) {
            Objects.requireNonNull(transport, "transport");
            transports.add(id -> transport);
            return this;
        }

        /** A transport made once the node's identity is known (its endpoints name the node id). */
        public Builder transport(Function<NodeIdentity, Transport> factory) {
            transports.add(Objects.requireNonNull(factory, "factory"));
            return this;
        }

        /** Endpoints ({@code scheme://host:port/nodeIdHex}) to join the mesh through; none: the first node. */
        public Builder bootstrap(String... endpoints) {
            bootstrap.addAll(List.of(endpoints));
            return this;
        }

        /** The node's identity (default: a fresh Ed25519 key pair). */
        public Builder identity(NodeIdentity nodeIdentity) {
            identity = Objects.requireNonNull(nodeIdentity, "identity");
            return this;
        }

        /**
         * The one serial scheduler every part runs its timers and DHT work on (a {@code VirtualTime} in tests and
         * simulations); owned by the caller. Default: one daemon thread, owned and closed by the node.
         */
        public Builder scheduler(Scheduler timers) {
            scheduler = Objects.requireNonNull(timers, "scheduler");
            return this;
        }

        public Builder clock(Clock nodeClock) {
            clock = Objects.requireNonNull(nodeClock, "clock");
            return this;
        }

        /**
         * Runs message handlers; owned by the caller. Default: {@code handlerThreads} threads, owned by the node.
         * Unused when the settings' {@code handlerThreads} is 0 (handlers run on the thread that delivers them).
         */
        public Builder handlers(Executor executor) {
            handlers = Objects.requireNonNull(executor, "handlers");
            return this;
        }

        /** Message ids and jitter (default {@link SecureRandom}); seed it for a replayable simulation. */
        public Builder random(RandomGenerator randomGenerator) {
            random = Objects.requireNonNull(randomGenerator, "random");
            return this;
        }

        /** The discovery cache policy (default: lru with its defaults). */
        public Builder cachePolicy(CachePolicy policy) {
            cachePolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** Builds the parts, binds the transports, joins the mesh (in the background) and starts the node. */
        public EmbeddedNode start() {
            String realm = node.realm();
            EmbeddedNode.Parts parts = new EmbeddedNode.Parts();
            parts.ownsScheduler = scheduler == null;
            parts.scheduler = scheduler != null ? scheduler : Scheduler.single("hyphae-node-timers");
            parts.clock = clock != null ? clock : Clock.systemUTC();
            parts.random = random != null ? random : new SecureRandom();
            parts.identity = identity != null ? identity : Ed25519Identity.generate();
            boolean direct = node.handlerThreads() == 0;
            parts.handlers = direct ? Runnable::run : handlers != null ? handlers
                    : HandlerThreads.create(node.handlerThreads(), node.handlerQueueCapacity());
            parts.ownsHandlers = !direct && handlers == null;
            parts.cachePolicy = cachePolicy != null ? cachePolicy : new LruCachePolicy(LruSettings.defaults());
            parts.dhtSettings = bootstrap.isEmpty() ? dht : dht.withBootstrap(List.copyOf(bootstrap));
            parts.advertisementSettings = advertisement.withRealm(realm);
            parts.discoverySettings = new DiscoverySettings(realm, discovery.queryTimeout(),
                    Duration.ofMillis(node.qos1DeadlineMs()), discovery.negativeTtl());
            parts.routerSettings = router.withRealm(realm).withMaxPayloadBytes(node.maxPayloadBytes())
                    .withQos1DeadlineMs(node.qos1DeadlineMs());
            parts.nodeSettings = node;
            for (Function<NodeIdentity, Transport> t : transports) {
                parts.transports.add(Objects.requireNonNull(t.apply(parts.identity), "transport factory answered null"));
            }
            return EmbeddedNode.start(parts);
        }
    }
}
