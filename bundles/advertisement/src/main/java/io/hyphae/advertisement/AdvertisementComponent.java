package io.hyphae.advertisement;

import io.hyphae.api.Topic;
import io.hyphae.spi.concurrent.Scheduler;
import io.hyphae.spi.dht.Dht;
import io.hyphae.spi.pubsub.Advertiser;
import io.hyphae.spi.pubsub.NodeIdentity;
import io.hyphae.spi.stats.StatsSource;
import io.hyphae.spi.transport.Transport;
import java.time.Clock;
import java.util.List;
import java.util.SortedMap;
import java.util.SplittableRandom;
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
 * Provides the {@link Advertiser} in OSGi. Wiring only; the work is {@link AdvertisementService}, here on the system
 * clock with its timers on thread {@code hyphae-advertisement-1}. Transports are dynamic, multiple and greedy: one
 * that comes or goes never restarts the advertiser, whose live advertisements are re-stored with the new endpoints.
 * The realm is the node's (PID {@code io.hyphae.node}), so that it is configured once; the advertiser's own tuning
 * is PID {@code io.hyphae.advertisement}. The advertiser's counters are registered as a {@link StatsSource} too.
 * Deactivation withdraws every live advertisement, waiting for that at most the configured withdraw deadline.
 */
// The component keeps the name it had while AdvertisementService was the component: scr:info, the web console and
// the itests know it by that name.
@Component(name = AdvertisementComponent.NAME, service = {Advertiser.class, StatsSource.class},
        configurationPid = {AdvertisementComponent.PID, AdvertisementComponent.NODE_PID})
public final class AdvertisementComponent implements Advertiser, StatsSource {
    static final String NAME = "io.hyphae.advertisement.AdvertisementService";
    static final String PID = "io.hyphae.advertisement";
    static final String NODE_PID = "io.hyphae.node";

    /**
     * Configuration of PID {@code io.hyphae.advertisement}. Designated through the OCD's {@code pid}: bnd refuses a
     * {@code @Designate} on a component with two configuration PIDs.
     */
    @ObjectClassDefinition(pid = AdvertisementComponent.PID, name = "Hyphae advertisement",
            description = "How this node keeps its subscriber records in the DHT; the realm is the node's.")
    public @interface Config {
        @AttributeDefinition(description = "Lifetime of each stored subscriber record, in seconds", min = "1")
        long ttlSeconds() default AdvertisementSettings.DEFAULT_TTL_SECONDS;

        @AttributeDefinition(description = "A record is stored again after this percentage of its TTL", min = "1",
                max = "99")
        int refreshPercent() default AdvertisementSettings.DEFAULT_REFRESH_PERCENT;

        @AttributeDefinition(description = "Up to this percentage of the refresh interval is taken off at random",
                min = "0", max = "99")
        int jitterPercent() default AdvertisementSettings.DEFAULT_JITTER_PERCENT;

        @AttributeDefinition(description = "How soon a failed store is tried again, in ms", min = "1")
        long storeRetryMs() default AdvertisementSettings.DEFAULT_STORE_RETRY_MS;

        @AttributeDefinition(description = "How long deactivation waits for the withdrawals, in ms", min = "0")
        long withdrawDeadlineMs() default AdvertisementSettings.DEFAULT_WITHDRAW_DEADLINE_MS;
    }

    /** The node's settings the advertiser shares (PID {@code io.hyphae.node}, described by the node's metatype). */
    public @interface NodeConfig {
        String realm() default AdvertisementSettings.DEFAULT_REALM;
    }

    private final Scheduler scheduler;
    private final AdvertisementService advertiser;

    @Activate
    public AdvertisementComponent(Config config, NodeConfig node, @Reference Dht dht,
                                  @Reference NodeIdentity identity) {
        AdvertisementSettings settings = AdvertisementSettings.from(node, config); // a bad one starts no thread
        this.scheduler = Scheduler.single("hyphae-advertisement-1");
        this.advertiser = new AdvertisementService(settings, dht, identity, Clock.systemUTC(), scheduler,
                new SplittableRandom());
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindTransport(Transport transport) {
        advertiser.addTransport(transport);
    }

    void unbindTransport(Transport transport) {
        advertiser.removeTransport(transport);
    }

    @Deactivate
    void deactivate() {
        advertiser.close();
        scheduler.close();
    }

    /** The advertiser behind this component, for tests. */
    AdvertisementService advertiser() {
        return advertiser;
    }

    @Override
    public Advertisement advertise(Topic topic) {
        return advertiser.advertise(topic);
    }

    @Override
    public boolean cancel(Topic topic) {
        return advertiser.cancel(topic);
    }

    @Override
    public List<Advertisement> advertisements() {
        return advertiser.advertisements();
    }

    @Override
    public String module() {
        return advertiser.module();
    }

    @Override
    public SortedMap<String, Long> snapshot() {
        return advertiser.snapshot();
    }
}
