package io.hyphae.discovery;

import io.hyphae.api.NodeId;
import io.hyphae.api.Topic;
import io.hyphae.spi.cache.CachePolicy;
import io.hyphae.spi.concurrent.Scheduler;
import io.hyphae.spi.dht.Dht;
import io.hyphae.spi.dht.Record;
import io.hyphae.spi.pubsub.Discovery;
import io.hyphae.spi.stats.StatsSource;
import java.time.Clock;
import java.util.SortedMap;
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
 * Provides the {@link Discovery} in OSGi. Wiring only; the work is {@link DiscoveryService}, here on the system clock
 * with its timers and waiters on thread {@code hyphae-discovery-1}. The {@link CachePolicy} reference is optional,
 * dynamic and greedy, so a policy that comes or goes never restarts discovery: the highest-ranked one is in force,
 * and with none bound the built-in one is. The realm and the QoS 1 deadline are the node's (PID
 * {@code io.hyphae.node}), so each is configured once; discovery's own tuning is PID {@code io.hyphae.discovery}.
 * Discovery's counters are registered as a {@link StatsSource} too.
 */
// The component keeps the name it had while DiscoveryService was the component: scr:info, the web console and the
// itests know it by that name.
@Component(name = DiscoveryComponent.NAME, service = {Discovery.class, StatsSource.class},
        configurationPid = {DiscoveryComponent.PID, DiscoveryComponent.NODE_PID})
public final class DiscoveryComponent implements Discovery, StatsSource {
    static final String NAME = "io.hyphae.discovery.DiscoveryService";
    static final String PID = "io.hyphae.discovery";
    static final String NODE_PID = "io.hyphae.node";

    /**
     * Configuration of PID {@code io.hyphae.discovery}. Designated through the OCD's {@code pid}: bnd refuses a
     * {@code @Designate} on a component with two configuration PIDs.
     */
    @ObjectClassDefinition(pid = DiscoveryComponent.PID, name = "Hyphae discovery",
            description = "How publishers find subscribers in the DHT; the realm and QoS 1 deadline are the node's.")
    public @interface Config {
        @AttributeDefinition(description = "How long one DHT query may take, in ms", min = "1")
        long queryTimeoutMs() default DiscoverySettings.DEFAULT_QUERY_TIMEOUT_MS;

        @AttributeDefinition(description = "How long an answer without subscribers is cached, in ms", min = "0")
        long negativeTtlMs() default DiscoverySettings.DEFAULT_NEGATIVE_TTL_MS;
    }

    /** The node's settings discovery shares (PID {@code io.hyphae.node}, described by the node's metatype). */
    public @interface NodeConfig {
        String realm() default DiscoverySettings.DEFAULT_REALM;

        long qos1DeadlineMs() default DiscoverySettings.DEFAULT_QOS1_DEADLINE_MS;
    }

    private final Scheduler scheduler;
    private final DiscoveryService discovery;

    @Activate
    public DiscoveryComponent(Config config, NodeConfig node, @Reference Dht dht) {
        DiscoverySettings settings = DiscoverySettings.from(node, config); // a bad configuration starts no thread
        this.scheduler = Scheduler.single("hyphae-discovery-1");
        this.discovery = new DiscoveryService(settings, dht, Clock.systemUTC(), scheduler);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindCachePolicy(CachePolicy cachePolicy) {
        discovery.usePolicy(cachePolicy);
    }

    void unbindCachePolicy(CachePolicy cachePolicy) {
        discovery.retirePolicy(cachePolicy);
    }

    @Deactivate
    void deactivate() {
        discovery.close();
        scheduler.close();
    }

    /** The discovery behind this component, for tests. */
    DiscoveryService discovery() {
        return discovery;
    }

    @Override
    public Discovered discover(Topic topic, Waiter waiter) {
        return discovery.discover(topic, waiter);
    }

    @Override
    public Discovered rediscover(Topic topic, Waiter waiter) {
        return discovery.rediscover(topic, waiter);
    }

    @Override
    public void evict(Topic topic, NodeId subscriber) {
        discovery.evict(topic, subscriber);
    }

    @Override
    public boolean withdrawn(Record withdrawal) {
        return discovery.withdrawn(withdrawal);
    }

    @Override
    public String module() {
        return discovery.module();
    }

    @Override
    public SortedMap<String, Long> snapshot() {
        return discovery.snapshot();
    }
}
