package io.hyphae.node;

import io.hyphae.api.MessageHandler;
import io.hyphae.api.NodeId;
import io.hyphae.api.PubSub;
import io.hyphae.api.PublishReceipt;
import io.hyphae.api.Qos;
import io.hyphae.api.Subscription;
import io.hyphae.api.Topic;
import io.hyphae.spi.pubsub.Advertiser;
import io.hyphae.spi.pubsub.Discovery;
import io.hyphae.spi.pubsub.NodeIdentity;
import io.hyphae.spi.pubsub.Router;
import io.hyphae.spi.stats.StatsSource;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.SortedMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadPoolExecutor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provides the {@link PubSub} service in OSGi. Wiring only; the work is {@link HyphaeNode}. Its collaborators are
 * static references (each of them keeps its own dynamic transports and cache policies, so transport churn never
 * restarts the node). The node's counters are registered as a {@link StatsSource} too.
 */
@Component(service = {PubSub.class, StatsSource.class}, configurationPid = NodeComponent.PID)
@Designate(ocd = NodeComponent.Config.class)
public final class NodeComponent implements PubSub, StatsSource {
    static final String PID = "io.hyphae.node";
    private static final Logger LOG = LoggerFactory.getLogger(NodeComponent.class);

    /**
     * Configuration of PID {@code io.hyphae.node}. The router reads the realm, payload limit and QoS 1 deadline too,
     * discovery the realm and QoS 1 deadline, the advertiser the realm: each is set here only.
     */
    @ObjectClassDefinition(name = "Hyphae node", description = "The publish/subscribe node: realm, limits, handlers.")
    public @interface Config {
        @AttributeDefinition(description = "Realm this node publishes and subscribes in; nodes of other realms"
                + " never see its messages")
        String realm() default NodeSettings.DEFAULT_REALM;

        @AttributeDefinition(description = "Largest payload published or taken, in bytes (at most 1 MiB)",
                min = "0", max = "1048576")
        int maxPayloadBytes() default NodeSettings.DEFAULT_MAX_PAYLOAD_BYTES;

        @AttributeDefinition(description = "How long a QoS 1 message is retried until acknowledged (ms)", min = "1")
        long qos1DeadlineMs() default NodeSettings.DEFAULT_QOS1_DEADLINE_MS;

        @AttributeDefinition(description = "Threads that run message handlers; 0 runs each handler, and each"
                + " publish receipt's continuations, on the network thread that delivers it: no hand-off, for"
                + " handlers that never block", min = "0")
        int handlerThreads() default NodeSettings.DEFAULT_HANDLER_THREADS;

        @AttributeDefinition(description = "Messages waiting for a handler thread before new ones are dropped",
                min = "1")
        int handlerQueueCapacity() default NodeSettings.DEFAULT_HANDLER_QUEUE_CAPACITY;

        @AttributeDefinition(description = "A throwing handler is logged at most once per this window (ms)",
                min = "1")
        long badHandlerLogWindowMs() default NodeSettings.DEFAULT_BAD_HANDLER_LOG_WINDOW_MS;
    }

    private final ThreadPoolExecutor handlers; // null with handlerThreads 0
    private final HyphaeNode node;

    @Activate // OSGi wiring only: production clock, handler threads and randomness
    public NodeComponent(Config config, @Reference Advertiser advertiser, @Reference Discovery discovery,
                         @Reference Router router, @Reference NodeIdentity identity) {
        NodeSettings settings = NodeSettings.from(config);
        this.handlers = settings.handlerThreads() == 0 ? null
                : HandlerThreads.create(settings.handlerThreads(), settings.handlerQueueCapacity());
        this.node = new HyphaeNode(settings, identity.nodeId(), advertiser, discovery, router,
                handlers != null ? handlers : Runnable::run,
                Clock.systemUTC(), new SecureRandom()).start();
        LOG.info("node {} up in realm \"{}\"", identity.nodeId().shortHex(), settings.realm());
    }

    @Deactivate
    void deactivate() {
        node.close();
        if (handlers != null) {
            handlers.shutdown(); // queued handlers finish on their own; never wait here
        }
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

    /** The node's counters, for the shell. */
    public NodeStats stats() {
        return node.stats();
    }

    @Override
    public String module() {
        return NodeStats.MODULE;
    }

    @Override
    public SortedMap<String, Long> snapshot() {
        return node.stats().snapshot();
    }
}
