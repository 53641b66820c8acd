package io.hyphae.dht;

import io.hyphae.api.NodeId;
import io.hyphae.spi.concurrent.Scheduler;
import io.hyphae.spi.dht.Contact;
import io.hyphae.spi.dht.Dht;
import io.hyphae.spi.dht.Key;
import io.hyphae.spi.dht.Record;
import io.hyphae.spi.pubsub.NodeIdentity;
import io.hyphae.spi.stats.StatsSource;
import io.hyphae.spi.transport.Transport;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Provides the {@link Dht} in OSGi. Wiring only: a {@link KademliaDht} on the system clock and its own
 * {@code hyphae-dht-1} thread, every Transport service bound by its {@link Transport#SCHEME} property, and the
 * bootstrap list re-read from ConfigAdmin without a restart (other options apply at the next activation).
 * Immediate: a node serves the mesh whether or not a local bundle uses the DHT. Activation schedules the join and
 * returns. The DHT's counters ({@code dht.rpc.sent}, {@code dht.rpc.raced}, ...) are registered as a
 * {@link StatsSource} too.
 */
@Component(service = {Dht.class, StatsSource.class}, configurationPid = "io.hyphae.dht", immediate = true)
@Designate(ocd = DhtComponent.Config.class)
public final class DhtComponent implements Dht, StatsSource {
    /** Configuration of PID {@code io.hyphae.dht}. */
    @ObjectClassDefinition(name = "Hyphae DHT", description = "Kademlia DHT in which subscribers are found")
    public @interface Config {
        @AttributeDefinition(description = "Bucket size and replication factor k (at most 32)")
        int k() default DhtSettings.DEFAULT_K;

        @AttributeDefinition(description = "Parallel requests of one lookup")
        int alpha() default DhtSettings.DEFAULT_ALPHA;

        @AttributeDefinition(description = "Deadline of one DHT request, in milliseconds")
        long rpcTimeoutMs() default DhtSettings.DEFAULT_RPC_TIMEOUT_MS;

        @AttributeDefinition(description = "Records expiring later than now plus this are refused, in milliseconds")
        long maxRecordTtlMs() default DhtSettings.DEFAULT_MAX_RECORD_TTL_MS;

        @AttributeDefinition(description = "A bucket without lookups for this long is refreshed, in milliseconds")
        long refreshIntervalMs() default DhtSettings.DEFAULT_REFRESH_INTERVAL_MS;

        @AttributeDefinition(description = "Held records are pushed to the k closest this often, in milliseconds")
        long republishIntervalMs() default DhtSettings.DEFAULT_REPUBLISH_INTERVAL_MS;

        @AttributeDefinition(required = false,
                description = "Endpoints to join through (scheme://host:port/nodeId); none: first node of a mesh")
        String[] bootstrap() default {};

        @AttributeDefinition(description = "Most records (publishers) held under one key")
        int maxRecordsPerKey() default DhtSettings.DEFAULT_MAX_RECORDS_PER_KEY;

        @AttributeDefinition(description = "Most records held by this node")
        int maxRecords() default DhtSettings.DEFAULT_MAX_RECORDS;

        @AttributeDefinition(description = "First delay before retrying a join, in milliseconds")
        long joinRetryMinMs() default DhtSettings.DEFAULT_JOIN_RETRY_MIN_MS;

        @AttributeDefinition(description = "Longest delay between join attempts, in milliseconds")
        long joinRetryMaxMs() default DhtSettings.DEFAULT_JOIN_RETRY_MAX_MS;

        @AttributeDefinition(description = "A value lookup stops once this many nodes answered with records and as"
                + " many of the nearest nodes it knows answered")
        int valueQuorum() default DhtSettings.DEFAULT_VALUE_QUORUM;

        @AttributeDefinition(description = "Most requests one lookup sends")
        int maxLookupRpcs() default DhtSettings.DEFAULT_MAX_LOOKUP_RPCS;

        @AttributeDefinition(description = "A routing-table contact is evicted once it failed this many requests in"
                + " a row; an answer or a request from it starts the count again")
        int maxContactFailures() default DhtSettings.DEFAULT_MAX_CONTACT_FAILURES;

        @AttributeDefinition(description = "Requests one lookup sends to a peer that does not answer in time before"
                + " giving up on it (1: never asked again)")
        int lookupAttempts() default DhtSettings.DEFAULT_LOOKUP_ATTEMPTS;
    }

    private final Scheduler scheduler;
    private final KademliaDht dht;

    @Activate
    public DhtComponent(Config config, @Reference NodeIdentity identity) {
        this.scheduler = Scheduler.single("hyphae-dht-1");
        this.dht = new KademliaDht(DhtSettings.from(config), identity, Clock.systemUTC(), scheduler);
        dht.start();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addTransport(Transport transport, Map<String, Object> properties) {
        Object scheme = properties.get(Transport.SCHEME);
        dht.addTransport(transport, scheme instanceof String s && !s.isBlank() ? s : transport.scheme());
    }

    void removeTransport(Transport transport) {
        dht.removeTransport(transport);
    }

    @Modified
    void modified(Config config) {
        List<String> bootstrap = DhtSettings.bootstrapList(config.bootstrap());
        if (!bootstrap.equals(dht.settings().bootstrap())) {
            dht.updateBootstrap(bootstrap);
        }
    }

    @Deactivate
    void deactivate() {
        dht.close();
        scheduler.close();
    }

    /** The node behind this component, for the shell and tests. */
    KademliaDht dht() {
        return dht;
    }

    @Override
    public NodeId localId() {
        return dht.localId();
    }

    @Override
    public String module() {
        return "dht";
    }

    @Override
    public SortedMap<String, Long> snapshot() {
        return new TreeMap<>(dht.stats().snapshot());
    }

    @Override
    public CompletionStage<Integer> store(Record record) {
        return dht.store(record);
    }

    @Override
    public CompletionStage<List<Record>> findValue(Key key) {
        return dht.findValue(key);
    }

    @Override
    public CompletionStage<List<Contact>> findNode(Key target) {
        return dht.findNode(target);
    }
}
