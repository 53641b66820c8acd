package io.hyphae.itests;

import static io.hyphae.itests.HyphaeOptions.allHyphaeBundles;
import static io.hyphae.itests.HyphaeOptions.felixRuntime;
import static io.hyphae.itests.HyphaeOptions.hyphaeBundleLocation;
import static io.hyphae.itests.HyphaeOptions.testSupport;
import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.dto.ServiceReferenceDTO;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.SatisfiedReferenceDTO;
import org.osgi.util.tracker.ServiceTracker;

import io.hyphae.api.Message;
import io.hyphae.api.MessageHandler;
import io.hyphae.api.PubSub;
import io.hyphae.api.PublishReceipt;
import io.hyphae.api.Qos;
import io.hyphae.api.Topic;
import io.hyphae.spi.cache.CachePolicy;
import io.hyphae.spi.pubsub.Discovery;
import io.hyphae.spi.stats.StatsSource;

/**
 * The whole pub/sub node in a real framework: the core bundles wire up through SCR, the {@link PubSub} service
 * delivers to a local subscriber at QoS 0 and 1, a higher-ranked cache policy installed while the node runs takes
 * over in discovery without restarting discovery or the node (and uninstalling it falls back to lru), a realm set in
 * {@code io.hyphae.node} reaches every component that reads it, and each component registers its counters as a
 * {@link StatsSource}. What the components did is observed through SCR's {@link ServiceComponentRuntime} DTOs
 * (configuration ids, bound services, properties) and the StatsSource services, never through logs or sleeps. Tests
 * install bundles and change configuration, so each gets a fresh framework.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class PubSubIT extends HyphaeTestSupport {
    /** Framework property carrying the location of the cache-refresh jar, which the swap test installs itself. */
    private static final String CACHE_REFRESH_LOCATION = "hyphae.itest.location.cache-refresh";
    private static final String NODE_PID = "io.hyphae.node";
    private static final String LRU = "(" + CachePolicy.NAME + "=lru)";
    private static final String REFRESH_AHEAD = "(" + CachePolicy.NAME + "=refresh-ahead)";
    private static final String CACHE_POLICY_REFERENCE = "CachePolicy";
    private static final Duration RECEIPT_TIMEOUT = Duration.ofSeconds(10);
    private static final Topic TOPIC = Topic.of("itest.pubsub");

    private static final List<String> CORE_BUNDLES = List.of("io.hyphae.api", "io.hyphae.spi", "io.hyphae.wire",
            "io.hyphae.identity", "io.hyphae.dht", "io.hyphae.advertisement", "io.hyphae.discovery",
            "io.hyphae.cache.lru", "io.hyphae.router", "io.hyphae.node", "io.hyphae.transport.mem");
    /** The pub/sub components: bundle, component name, and the module their StatsSource names. */
    private static final List<Component> COMPONENTS = List.of(
            new Component("io.hyphae.advertisement", "io.hyphae.advertisement.AdvertisementService", "advertisement"),
            new Component("io.hyphae.discovery", "io.hyphae.discovery.DiscoveryService", "discovery"),
            new Component("io.hyphae.router", "io.hyphae.router.RouterComponent", "router"),
            new Component("io.hyphae.node", "io.hyphae.node.NodeComponent", "node"));
    /** The DHT's component, which counts too but does not read the node's realm. */
    private static final Component DHT = new Component("io.hyphae.dht", "io.hyphae.dht.DhtComponent", "dht");
    private static final Component DISCOVERY = COMPONENTS.get(1);
    private static final Component NODE = COMPONENTS.get(3);

    private ServiceComponentRuntime scr;

    @Configuration
    public Option[] config() {
        return options(felixRuntime(), allHyphaeBundles(), testSupport(),
                frameworkProperty(CACHE_REFRESH_LOCATION).value(hyphaeBundleLocation("cache-refresh")));
    }

    @Test
    public void coreBundlesAreActiveAndEachComponentRegistersItsCounters() {
        for (String bsn : CORE_BUNDLES) {
            assertEquals(bsn + " state", "ACTIVE", describeState(bundle(bsn)));
        }
        assertFalse("cache-refresh is installed only by the swap test", findBundle("io.hyphae.cache.refresh")
                .isPresent());
        ServiceTracker<StatsSource, StatsSource> tracker = track(StatsSource.class, null);

        // getting each StatsSource activates its (delayed) component, and the node's activates the whole chain
        List<Component> counting = new ArrayList<>(COMPONENTS);
        counting.add(DHT);
        List<String> modules = counting.stream().map(Component::module).toList();
        Map<String, ServiceReference<StatsSource>> byModule = await("a StatsSource of every pub/sub component")
                .atMost(SETTLE)
                .until(() -> statsByModule(tracker), m -> m.keySet().containsAll(modules));

        for (Component c : counting) {
            ServiceReference<StatsSource> ref = byModule.get(c.module());
            assertEquals("bundle registering the " + c.module() + " StatsSource", c.bsn(),
                    ref.getBundle().getSymbolicName());
            SortedMap<String, Long> snapshot = tracker.getService(ref).snapshot();
            assertFalse(c.module() + " counters", snapshot.isEmpty());
            assertTrue(c.module() + " counter names " + snapshot.keySet(),
                    snapshot.keySet().stream().allMatch(name -> name.startsWith(c.module() + ".")));
            ComponentConfigurationDTO component = component(c);
            assertNotNull(c.name() + " configuration", component);
            assertEquals(c.name() + " state", ComponentConfigurationDTO.ACTIVE, component.state);
        }
    }

    @Test
    public void localSubscriberGetsQos0AndQos1MessagesAndTheReceiptsSaySo() throws Exception {
        PubSub pubSub = awaitService(PubSub.class, null);
        Inbox inbox = new Inbox();
        pubSub.subscribe(TOPIC, inbox);

        PublishReceipt qos0 = publish(pubSub, "zero", Qos.AT_MOST_ONCE);
        PublishReceipt qos1 = publish(pubSub, "one", Qos.AT_LEAST_ONCE);

        // handlers run on a pool: the two messages may arrive in either order
        Map<Qos, Message> got = await("both messages at the local subscriber").atMost(SETTLE)
                .until(inbox::messages, m -> m.size() == 2).stream()
                .collect(Collectors.toMap(Message::qos, m -> m));
        assertEquals("zero", new String(got.get(Qos.AT_MOST_ONCE).payload()));
        assertEquals("one", new String(got.get(Qos.AT_LEAST_ONCE).payload()));
        assertEquals(qos0.id(), got.get(Qos.AT_MOST_ONCE).id());
        assertEquals(qos1.id(), got.get(Qos.AT_LEAST_ONCE).id());
        assertTrue("published by this node",
                got.values().stream().allMatch(m -> m.publisher().equals(pubSub.nodeId())));
        for (PublishReceipt receipt : List.of(qos0, qos1)) {
            assertEquals("local handlers reached: " + receipt, 1, receipt.local());
            assertEquals("remote subscribers (this node is never routed to): " + receipt, 0, receipt.subscribers());
            assertEquals("missed: " + receipt, 0, receipt.missed());
            assertEquals(TOPIC, receipt.topic());
        }
        assertEquals(Qos.AT_MOST_ONCE, qos0.qos());
        assertEquals(Qos.AT_LEAST_ONCE, qos1.qos());
        SortedMap<String, Long> nodeCounters = stats("node").snapshot();
        assertEquals(Long.valueOf(2), nodeCounters.get("node.published"));
        assertEquals(Long.valueOf(2), nodeCounters.get("node.handed"));
    }

    /**
     * The cache policy is a dynamic greedy reference of discovery: a higher-ranked policy takes over while discovery
     * and the node run. (That cached answers survive a swap is PolicySwapTest's: a lone node caches no positive
     * answer, since discovery drops the node's own records.)
     */
    @Test
    public void cacheRefreshTakesOverWhileTheNodeRunsAndLruComesBackWhenItLeaves() throws Exception {
        ServiceTracker<PubSub, PubSub> pubSubs = track(PubSub.class, null);
        PubSub pubSub = awaitService(PubSub.class, null);
        Discovery discovery = awaitService(Discovery.class, null);
        StatsSource discoveryStats = stats("discovery");
        pubSub.subscribe(TOPIC, new Inbox());
        long lruId = serviceId(reference(CachePolicy.class, LRU));
        ComponentConfigurationDTO discoveryBefore = await("discovery to bind lru").atMost(SETTLE)
                .until(() -> component(DISCOVERY), c -> c != null && boundPolicyIds(c).equals(Set.of(lruId)));
        ComponentConfigurationDTO nodeBefore = component(NODE);
        long pubSubId = serviceId(reference(PubSub.class, null));
        long discoveryId = serviceId(reference(Discovery.class, null));
        long swaps = counter(discoveryStats, "discovery.policy.swaps");

        Bundle refresh = context.installBundle(context.getProperty(CACHE_REFRESH_LOCATION));
        refresh.start();

        long refreshId = serviceId(await("the refresh-ahead CachePolicy").atMost(SETTLE)
                .until(() -> reference(CachePolicy.class, REFRESH_AHEAD), r -> r != null));
        ComponentConfigurationDTO swapped = await("discovery to bind refresh-ahead").atMost(SETTLE)
                .until(() -> component(DISCOVERY), c -> c != null && boundPolicyIds(c).equals(Set.of(refreshId)));
        assertEquals("refresh-ahead", boundPolicy(swapped).properties.get(CachePolicy.NAME));
        assertNotRestarted(discoveryBefore, nodeBefore, swapped);
        assertEquals("discovery.policy.swaps", swaps + 1, counter(discoveryStats, "discovery.policy.swaps"));
        assertEquals(1, publish(pubSub, "after the swap", Qos.AT_LEAST_ONCE).local());

        refresh.uninstall();

        ComponentConfigurationDTO fellBack = await("discovery to bind lru again").atMost(SETTLE)
                .until(() -> component(DISCOVERY), c -> c != null && boundPolicyIds(c).equals(Set.of(lruId)));
        assertEquals("lru", boundPolicy(fellBack).properties.get(CachePolicy.NAME));
        assertNotRestarted(discoveryBefore, nodeBefore, fellBack);
        assertEquals("discovery.policy.swaps", swaps + 2, counter(discoveryStats, "discovery.policy.swaps"));
        assertSame("the same PubSub instance", pubSub, pubSubs.getService());
        assertSame("the same Discovery instance", discovery, awaitService(Discovery.class, null));
        assertSame("the same discovery StatsSource instance", discoveryStats, stats("discovery"));
        assertEquals("the same PubSub registration", pubSubId, serviceId(reference(PubSub.class, null)));
        assertEquals("the same Discovery registration", discoveryId, serviceId(reference(Discovery.class, null)));
        assertEquals(1, publish(pubSub, "after the fallback", Qos.AT_LEAST_ONCE).local());
    }

    @Test
    public void realmSetInTheNodePidReachesTheNodeAndEveryComponentThatReadsIt() throws Exception {
        ServiceTracker<PubSub, PubSub> pubSubs = track(PubSub.class, null);
        assertEquals("default", awaitService(PubSub.class, null).realm());
        ConfigurationAdmin configAdmin = awaitService(ConfigurationAdmin.class, null);

        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("realm", "itest-lab");
        configAdmin.getConfiguration(NODE_PID, "?").update(properties);

        PubSub pubSub = await("the PubSub service in realm itest-lab").atMost(SETTLE)
                .until(pubSubs::getService, p -> p != null && "itest-lab".equals(p.realm()));
        for (Component c : COMPONENTS) {
            ComponentConfigurationDTO component = await(c.name() + " active in realm itest-lab").atMost(SETTLE)
                    .until(() -> component(c), dto -> dto != null && dto.state == ComponentConfigurationDTO.ACTIVE
                            && "itest-lab".equals(dto.properties.get("realm")));
            assertTrue(c.name() + " configuration PIDs " + component.description.configurationPid,
                    Arrays.asList(component.description.configurationPid).contains(NODE_PID));
        }
        Inbox inbox = new Inbox();
        pubSub.subscribe(TOPIC, inbox);
        publish(pubSub, "in the lab", Qos.AT_LEAST_ONCE);
        Message message = await("the message in the new realm").atMost(SETTLE)
                .until(inbox::messages, m -> !m.isEmpty()).get(0);
        assertEquals("itest-lab", message.realm());
        assertArrayEquals("in the lab".getBytes(), message.payload());
    }

    private static PublishReceipt publish(PubSub pubSub, String payload, Qos qos) throws Exception {
        return pubSub.publish(TOPIC, payload.getBytes(), qos).toCompletableFuture()
                .get(RECEIPT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Neither discovery nor the node was deactivated: same component configurations, still active. */
    private void assertNotRestarted(ComponentConfigurationDTO discoveryBefore, ComponentConfigurationDTO nodeBefore,
                                    ComponentConfigurationDTO discoveryNow) {
        assertEquals("same discovery component configuration", discoveryBefore.id, discoveryNow.id);
        assertEquals(ComponentConfigurationDTO.ACTIVE, discoveryNow.state);
        ComponentConfigurationDTO nodeNow = component(NODE);
        assertEquals("same node component configuration", nodeBefore.id, nodeNow.id);
        assertEquals(ComponentConfigurationDTO.ACTIVE, nodeNow.state);
    }

    /** The StatsSource of {@code module}; its tracker stays open. */
    private StatsSource stats(String module) {
        ServiceTracker<StatsSource, StatsSource> tracker = track(StatsSource.class, null);
        ServiceReference<StatsSource> ref = await("the " + module + " StatsSource").atMost(SETTLE)
                .until(() -> statsByModule(tracker).get(module), r -> r != null);
        return tracker.getService(ref);
    }

    private static Map<String, ServiceReference<StatsSource>> statsByModule(
            ServiceTracker<StatsSource, StatsSource> tracker) {
        Map<String, ServiceReference<StatsSource>> byModule = new TreeMap<>();
        tracker.getTracked().forEach((ref, source) -> byModule.put(source.module(), ref));
        return byModule;
    }

    private static long counter(StatsSource source, String name) {
        Long value = source.snapshot().get(name);
        assertNotNull(source.module() + " has no counter " + name, value);
        return value;
    }

    /** The one configuration of component {@code c}, or null while it has none. */
    private ComponentConfigurationDTO component(Component c) {
        if (scr == null) {
            scr = awaitService(ServiceComponentRuntime.class, null);
        }
        ComponentDescriptionDTO description = scr.getComponentDescriptionDTO(bundle(c.bsn()), c.name());
        assertNotNull("component " + c.name() + " of " + c.bsn(), description);
        var configurations = scr.getComponentConfigurationDTOs(description);
        return configurations.isEmpty() ? null : configurations.iterator().next();
    }

    private static Set<Long> boundPolicyIds(ComponentConfigurationDTO discovery) {
        return boundPolicies(discovery).stream().map(s -> s.id).collect(Collectors.toSet());
    }

    private static ServiceReferenceDTO boundPolicy(ComponentConfigurationDTO discovery) {
        List<ServiceReferenceDTO> bound = boundPolicies(discovery);
        assertEquals("bound cache policies", 1, bound.size());
        return bound.get(0);
    }

    private static List<ServiceReferenceDTO> boundPolicies(ComponentConfigurationDTO discovery) {
        return Arrays.stream(discovery.satisfiedReferences)
                .filter(r -> CACHE_POLICY_REFERENCE.equals(r.name))
                .map((SatisfiedReferenceDTO r) -> r.boundServices)
                .flatMap(Arrays::stream)
                .toList();
    }

    private static long serviceId(ServiceReference<?> reference) {
        assertNotNull("service reference", reference);
        return (Long) reference.getProperty(Constants.SERVICE_ID);
    }

    /** A pub/sub component: its bundle, its component name, the module its StatsSource names. */
    private record Component(String bsn, String name, String module) {
    }

    /** Collects what a subscription receives; handlers run on the node's handler threads. */
    private static final class Inbox implements MessageHandler {
        private final List<Message> messages = new CopyOnWriteArrayList<>();

        @Override
        public void onMessage(Message message) {
            messages.add(message);
        }

        List<Message> messages() {
            return List.copyOf(messages);
        }
    }
}
