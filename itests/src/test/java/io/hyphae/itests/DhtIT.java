package io.hyphae.itests;

import static io.hyphae.itests.HyphaeOptions.allHyphaeBundles;
import static io.hyphae.itests.HyphaeOptions.felixRuntime;
import static io.hyphae.itests.HyphaeOptions.testSupport;
import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.time.Duration;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.SatisfiedReferenceDTO;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

import io.hyphae.api.NodeId;
import io.hyphae.spi.dht.Dht;
import io.hyphae.spi.pubsub.NodeIdentity;
import io.hyphae.spi.transport.Endpoint;
import io.hyphae.spi.transport.Transport;
import io.hyphae.wire.Frames;

/**
 * The DHT bundle in a real framework: its DS component activates with the node identity and the mem transport
 * bound, binds a second Transport service (another scheme) while it runs, and takes a new bootstrap list from
 * ConfigAdmin without being deactivated. What the component did is observed without logs or sleeps: through SCR's
 * {@link ServiceComponentRuntime} DTOs (state, bound services, configuration id) and through {@link StubTransport},
 * which records what the DHT asks of it. Tests register services and change configuration, so each gets a fresh
 * framework.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class DhtIT extends HyphaeTestSupport {
    private static final String PID = "io.hyphae.dht";
    private static final String BSN = "io.hyphae.dht";
    private static final String COMPONENT = "io.hyphae.dht.DhtComponent";
    private static final String TRANSPORT_REFERENCE = "Transport";
    private static final String MEM = "(" + Transport.SCHEME + "=mem)";

    private ServiceComponentRuntime scr;

    @Configuration
    public Option[] config() {
        return options(felixRuntime(), allHyphaeBundles(), testSupport());
    }

    @Test
    public void dhtIsActiveWithTheNodeIdentityAndTheMemTransportBound() {
        Dht dht = awaitService(Dht.class, null);
        NodeIdentity identity = awaitService(NodeIdentity.class, null);
        awaitService(Transport.class, MEM);
        long memId = serviceId(reference(Transport.class, MEM));

        ComponentConfigurationDTO component = await("the DHT component to bind the mem transport").atMost(SETTLE)
                .until(this::dhtComponent, c -> c != null && boundTransports(c).contains(memId));

        assertEquals("component state", ComponentConfigurationDTO.ACTIVE, component.state);
        assertEquals(BSN, reference(Dht.class, null).getBundle().getSymbolicName());
        assertEquals("the DHT's node id is the node identity's", identity.nodeId(), dht.localId());
    }

    @Test
    public void aSecondTransportServiceIsBoundWhileTheDhtRuns() {
        awaitService(Dht.class, null);
        awaitService(Transport.class, MEM);
        ComponentConfigurationDTO before = await("the DHT component to be active").atMost(SETTLE)
                .until(this::dhtComponent, c -> c != null && c.state == ComponentConfigurationDTO.ACTIVE);
        long memId = serviceId(reference(Transport.class, MEM));
        StubTransport stub = new StubTransport("stub", NodeId.of(new byte[NodeId.BYTES]));

        long stubId = serviceId(register(stub).getReference());

        ComponentConfigurationDTO after = await("the DHT component to bind the stub transport").atMost(SETTLE)
                .until(this::dhtComponent, c -> c != null && boundTransports(c).contains(stubId));
        await("the DHT to register its handler with the stub").atMost(SETTLE).until(stub::handlerRegistered);
        assertEquals("bound transports", Set.of(memId, stubId), boundTransports(after));
        assertEquals("same component configuration (dynamic reference: no reactivation)", before.id, after.id);
        assertEquals(ComponentConfigurationDTO.ACTIVE, after.state);
    }

    @Test
    public void aBootstrapUpdateReachesTheRunningComponentWithoutDeactivatingIt() throws Exception {
        awaitService(Dht.class, null);
        ComponentConfigurationDTO before = await("the DHT component to be active").atMost(SETTLE)
                .until(this::dhtComponent, c -> c != null && c.state == ComponentConfigurationDTO.ACTIVE);
        long dhtServiceId = serviceId(reference(Dht.class, null));
        byte[] peerBytes = new byte[NodeId.BYTES];
        Arrays.fill(peerBytes, (byte) 0x5a);
        NodeId peer = NodeId.of(peerBytes);
        StubTransport stub = new StubTransport("stub", peer);
        long stubId = serviceId(register(stub).getReference());
        await("the DHT component to bind the stub transport").atMost(SETTLE)
                .until(this::dhtComponent, c -> c != null && boundTransports(c).contains(stubId));
        Endpoint bootstrap = new Endpoint("stub", "peer", 7, peer);
        ConfigurationAdmin configAdmin = awaitService(ConfigurationAdmin.class, null);

        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("bootstrap", new String[] {bootstrap.toString()});
        configAdmin.getConfiguration(PID, "?").update(properties);

        // the running node joins through the new bootstrap endpoint: it pings it over the stub transport
        Frames.Ping ping = await("a Ping to the configured bootstrap endpoint").atMost(SETTLE)
                .until(() -> stub.firstRequestTo(bootstrap, Frames.Ping.class), p -> p != null);
        ComponentConfigurationDTO after = dhtComponent();
        assertEquals("same component configuration: modified, not deactivated", before.id, after.id);
        assertEquals(ComponentConfigurationDTO.ACTIVE, after.state);
        assertEquals("the same Dht service registration", dhtServiceId, serviceId(reference(Dht.class, null)));
        assertEquals(List.of(bootstrap.toString()),
                Arrays.asList((String[]) after.properties.get("bootstrap")));
        assertEquals("the Ping names the DHT node", awaitService(Dht.class, null).localId(), ping.sender().nodeId());
        assertFalse("the DHT kept its registration with the stub", stub.registrationClosed());
    }

    @Test
    public void metatypeDescribesTheBootstrapList() {
        MetaTypeService metaType = awaitService(MetaTypeService.class, null);
        ObjectClassDefinition ocd = metaType.getMetaTypeInformation(bundle(BSN)).getObjectClassDefinition(PID, null);
        Map<String, AttributeDefinition> attributes = Arrays
                .stream(ocd.getAttributeDefinitions(ObjectClassDefinition.ALL))
                .collect(Collectors.toMap(AttributeDefinition::getID, a -> a));

        assertTrue("attributes " + attributes.keySet(),
                attributes.keySet().containsAll(List.of("bootstrap", "k", "alpha", "rpcTimeoutMs")));
        assertEquals(AttributeDefinition.STRING, attributes.get("bootstrap").getType());
        assertTrue("bootstrap is a list", attributes.get("bootstrap").getCardinality() != 0);
        assertEquals(List.of("20"), Arrays.asList(attributes.get("k").getDefaultValue()));
    }

    /** The one configuration of the DHT component, or null while it has none. */
    private ComponentConfigurationDTO dhtComponent() {
        if (scr == null) {
            scr = awaitService(ServiceComponentRuntime.class, null);
        }
        ComponentDescriptionDTO description = scr.getComponentDescriptionDTO(bundle(BSN), COMPONENT);
        assertNotNull("component " + COMPONENT + " of " + BSN, description);
        var configurations = scr.getComponentConfigurationDTOs(description);
        return configurations.isEmpty() ? null : configurations.iterator().next();
    }

    /** Service ids bound to the DHT's Transport reference. */
    private static Set<Long> boundTransports(ComponentConfigurationDTO component) {
        return Arrays.stream(component.satisfiedReferences)
                .filter(r -> TRANSPORT_REFERENCE.equals(r.name))
                .map((SatisfiedReferenceDTO r) -> r.boundServices)
                .flatMap(Arrays::stream)
                .map(s -> s.id)
                .collect(Collectors.toSet());
    }

    private ServiceRegistration<Transport> register(StubTransport stub) {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(Transport.SCHEME, stub.scheme());
        return context.registerService(Transport.class, stub, properties);
    }

    private static long serviceId(ServiceReference<?> reference) {
        assertNotNull("service reference", reference);
        return (Long) reference.getProperty(Constants.SERVICE_ID);
    }
}
