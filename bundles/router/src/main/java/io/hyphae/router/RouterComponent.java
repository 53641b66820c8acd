package io.hyphae.router;

import io.hyphae.api.Message;
import io.hyphae.api.MessageHandler;
import io.hyphae.spi.concurrent.Scheduler;
import io.hyphae.spi.pubsub.Discovery;
import io.hyphae.spi.pubsub.Router;
import io.hyphae.spi.pubsub.Subscriber;
import io.hyphae.spi.stats.StatsSource;
import io.hyphae.spi.transport.Transport;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.SortedMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Provides the {@link Router} in OSGi. Wiring only; the work is {@link MessageRouter}. Transports are dynamic,
 * multiple and greedy, so a transport bundle that starts or stops never restarts the router. The {@link Discovery},
 * when one is bound, takes the signed withdrawals that arrive directly and tells the router where a subscriber whose
 * endpoints all failed is now. The realm, payload limit and QoS 1 deadline are the
 * node's settings (PID {@code io.hyphae.node}); the router's own tuning is PID {@code io.hyphae.router}. The router's
 * counters are registered as a {@link StatsSource} too.
 */
@Component(service = {Router.class, StatsSource.class},
        configurationPid = {RouterComponent.PID, RouterComponent.NODE_PID})
public final class RouterComponent implements Router, StatsSource {
    static final String PID = "io.hyphae.router";
    static final String NODE_PID = "io.hyphae.node";

    /**
     * Configuration of PID {@code io.hyphae.router}. Designated through the OCD's {@code pid}: bnd refuses a
     * {@code @Designate} on a component with two configuration PIDs.
     */
    @ObjectClassDefinition(pid = RouterComponent.PID, name = "Hyphae router",
            description = "Direct delivery to subscribers: QoS 1 retries, per-peer queues, de-duplication.")
    public @interface Config {
        @AttributeDefinition(description = "First QoS 1 retry delay (ms)")
        long retryInitialMs() default RouterSettings.DEFAULT_RETRY_INITIAL_MS;

        @AttributeDefinition(description = "Growth of the retry delay from one retry to the next")
        double retryMultiplier() default RouterSettings.DEFAULT_RETRY_MULTIPLIER;

        @AttributeDefinition(description = "Longest retry delay (ms)")
        long retryMaxMs() default RouterSettings.DEFAULT_RETRY_MAX_MS;

        @AttributeDefinition(description = "Random share of each retry delay, 0 to below 1")
        double retryJitter() default RouterSettings.DEFAULT_RETRY_JITTER;

        @AttributeDefinition(description = "QoS 1 rounds in a row with every endpoint failing before a subscriber"
                + " is reported unreachable")
        int unreachableAfterRounds() default RouterSettings.DEFAULT_UNREACHABLE_AFTER_ROUNDS;

        @AttributeDefinition(description = "Messages outstanding per peer before publishing fails with backpressure")
        int maxQueuedPerPeer() default RouterSettings.DEFAULT_MAX_QUEUED_PER_PEER;

        @AttributeDefinition(description = "Message ids remembered to drop duplicates: each is kept until at least"
                + " this many newer ones came")
        int dedupeMaxIds() default RouterSettings.DEFAULT_DEDUPE_MAX_IDS;

        @AttributeDefinition(description = "How long a message id is remembered (ms), unless dedupeMaxIds newer"
                + " ones came first")
        long dedupeWindowMs() default RouterSettings.DEFAULT_DEDUPE_WINDOW_MS;

        @AttributeDefinition(description = "Trouble from one peer is logged at most once per this window (ms)")
        long badPeerLogWindowMs() default RouterSettings.DEFAULT_BAD_PEER_LOG_WINDOW_MS;
    }

    /** The node's settings the router shares (PID {@code io.hyphae.node}, described by the node's metatype). */
    public @interface NodeConfig {
        String realm() default RouterSettings.DEFAULT_REALM;

        int maxPayloadBytes() default RouterSettings.DEFAULT_MAX_PAYLOAD_BYTES;

        long qos1DeadlineMs() default RouterSettings.DEFAULT_QOS1_DEADLINE_MS;
    }

    private final Scheduler timers;
    private final MessageRouter router;
    private final AtomicReference<Discovery> discovery = new AtomicReference<>();

    @Activate // OSGi wiring only: production clock, timers and randomness
    public RouterComponent(Config config, NodeConfig node) {
        this.timers = Scheduler.single("hyphae-router-1");
        this.router = new MessageRouter(RouterSettings.from(node, config), Clock.systemUTC(), timers,
                new SecureRandom(), discovery::get);
    }

    @Reference(service = Transport.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addTransport(Transport transport) {
        router.addTransport(transport);
    }

    void removeTransport(Transport transport) {
        router.removeTransport(transport);
    }

    @Reference(service = Discovery.class, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void setDiscovery(Discovery d) {
        discovery.set(d);
    }

    void unsetDiscovery(Discovery d) {
        discovery.compareAndSet(d, null);
    }

    @Deactivate
    void deactivate() {
        router.close();
        timers.close();
    }

    @Override
    public CompletionStage<Delivery> route(Message message, List<Subscriber> subscribers) {
        return router.route(message, subscribers);
    }

    @Override
    public Registration deliverTo(MessageHandler sink) {
        return router.deliverTo(sink);
    }

    /** The router's counters, for the shell. */
    public RouterStats stats() {
        return router.stats();
    }

    @Override
    public String module() {
        return RouterStats.MODULE;
    }

    @Override
    public SortedMap<String, Long> snapshot() {
        return router.stats().snapshot();
    }
}
