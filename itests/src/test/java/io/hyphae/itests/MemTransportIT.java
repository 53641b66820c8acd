package io.hyphae.itests;

import static io.hyphae.itests.HyphaeOptions.felixRuntime;
import static io.hyphae.itests.HyphaeOptions.hyphaeBundles;
import static io.hyphae.itests.HyphaeOptions.testSupport;
import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.time.Duration;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.osgi.util.tracker.ServiceTracker;

import io.hyphae.spi.dht.Contact;
import io.hyphae.spi.transport.Endpoint;
import io.hyphae.spi.transport.Frame;
import io.hyphae.spi.transport.InboundHandler;
import io.hyphae.spi.transport.Peer;
import io.hyphae.spi.transport.Transport;
import io.hyphae.wire.Frames;

/**
 * The mem transport bundle in a real framework: its DS component registers a {@link Transport} with
 * {@code transport.scheme=mem}, follows the bundle's lifecycle and ConfigAdmin, is described by metatype, and carries
 * frames through the wire codec (Jackson CBOR) inside OSGi. Tests stop bundles and change configuration, so each
 * gets a fresh framework.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class MemTransportIT extends HyphaeTestSupport {
    private static final String PID = "io.hyphae.transport.mem";
    private static final String BSN = "io.hyphae.transport.mem";
    private static final String MEM = "(" + Transport.SCHEME + "=mem)";
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    /**
     * The mem transport and what it needs, without the DHT: the DHT registers a handler for Ping with every
     * transport, which would take the Ping frames these tests send to their own handler.
     */
    @Configuration
    public Option[] config() {
        return options(felixRuntime(), hyphaeBundles("api", "spi", "wire", "transport-mem"), testSupport());
    }

    @Test
    public void registersATransportWithSchemeMemAndDefaultEndpoint() {
        Transport transport = awaitService(Transport.class, MEM);
        ServiceReference<Transport> ref = reference(Transport.class, MEM);

        assertEquals("mem", transport.scheme());
        assertEquals("mem", ref.getProperty(Transport.SCHEME));
        assertEquals(BSN, ref.getBundle().getSymbolicName());
        Endpoint local = onlyEndpoint(transport);
        assertEquals("mem", local.scheme());
        assertEquals("local", local.host());
        assertEquals(1, local.port());
    }

    @Test
    public void stoppingTheBundleWithdrawsTheTransportAndStartingRestoresIt() throws Exception {
        Transport before = awaitService(Transport.class, MEM);
        Bundle mem = bundle(BSN);

        mem.stop();
        assertNull("Transport still registered after stopping " + BSN, reference(Transport.class, MEM));

        mem.start();
        Transport after = awaitService(Transport.class, MEM);
        assertNotSame("a new component instance", before, after);
        assertEquals("mem", after.scheme());
    }

    @Test
    public void configurationUpdateReachesTheComponent() throws Exception {
        ServiceTracker<Transport, Transport> transports = track(Transport.class, MEM);
        awaitService(Transport.class, MEM);
        ConfigurationAdmin configAdmin = awaitService(ConfigurationAdmin.class, null);

        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("host", "itest-node");
        properties.put("port", 4711);
        configAdmin.getConfiguration(PID, "?").update(properties);

        // No modified method: the component is re-activated and the service comes back with the new endpoint.
        Endpoint updated = await("mem endpoint host to follow the configuration").atMost(SETTLE).ignoreExceptions()
                .until(() -> currentEndpoint(transports), e -> e != null && e.host().equals("itest-node"));
        assertEquals(4711, updated.port());
    }

    @Test
    public void metatypeDescribesTheConfiguration() {
        MetaTypeService metaType = awaitService(MetaTypeService.class, null);
        MetaTypeInformation info = metaType.getMetaTypeInformation(bundle(BSN));

        assertTrue("metatype PIDs of " + BSN + ": " + Arrays.toString(info.getPids()),
                Arrays.asList(info.getPids()).contains(PID));
        ObjectClassDefinition ocd = info.getObjectClassDefinition(PID, null);
        Map<String, AttributeDefinition> attributes = Arrays
                .stream(ocd.getAttributeDefinitions(ObjectClassDefinition.ALL))
                .collect(Collectors.toMap(AttributeDefinition::getID, a -> a));
        assertTrue("attributes " + attributes.keySet(),
                attributes.keySet().containsAll(List.of("host", "port", "latencyMs", "jitterMs", "lossRate")));
        assertEquals(AttributeDefinition.STRING, attributes.get("host").getType());
        assertEquals(List.of("local"), Arrays.asList(attributes.get("host").getDefaultValue()));
        assertEquals(AttributeDefinition.INTEGER, attributes.get("port").getType());
    }

    /** The node reaches itself: a request and a one-way frame go out and come back through the CBOR codec. */
    @Test
    public void framesCrossTheTransportThroughTheWireCodec() throws Exception {
        Transport transport = awaitService(Transport.class, MEM);
        Endpoint self = onlyEndpoint(transport);
        Contact me = new Contact(self.nodeId(), List.of(self));
        PingHandler handler = new PingHandler(me);

        try (Transport.Registration registration = transport.register(handler)) {
            Frame response = transport.request(self, new Frames.Ping(me), REQUEST_TIMEOUT)
                    .toCompletableFuture().get(REQUEST_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
            assertEquals(new Frames.Pong(me), response);

            transport.send(self, new Frames.Ping(me)).toCompletableFuture()
                    .get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Frame message = await("the one-way Ping").atMost(SETTLE).until(handler.lastMessage::get, f -> f != null);
            assertEquals(new Frames.Ping(me), message);
            assertEquals(self.nodeId(), handler.lastSender.get().nodeId());
        }
    }

    private static Endpoint onlyEndpoint(Transport transport) {
        List<Endpoint> endpoints = transport.localEndpoints();
        assertEquals("local endpoints " + endpoints, 1, endpoints.size());
        return endpoints.get(0);
    }

    private static Endpoint currentEndpoint(ServiceTracker<Transport, Transport> transports) {
        Transport current = transports.getService();
        if (current == null) {
            return null;
        }
        List<Endpoint> endpoints = current.localEndpoints();
        return endpoints.isEmpty() ? null : endpoints.get(0);
    }

    /** Answers a Ping with a Pong and remembers the last one-way frame. */
    private static final class PingHandler implements InboundHandler {
        final AtomicReference<Frame> lastMessage = new AtomicReference<>();
        final AtomicReference<Peer> lastSender = new AtomicReference<>();
        private final Contact me;

        PingHandler(Contact me) {
            this.me = me;
        }

        @Override
        public boolean accepts(Frame frame) {
            return frame instanceof Frames.Ping;
        }

        @Override
        public CompletionStage<? extends Frame> onRequest(Peer from, Frame request) {
            return CompletableFuture.completedFuture(new Frames.Pong(me));
        }

        @Override
        public void onMessage(Peer from, Frame message) {
            lastSender.set(from);
            lastMessage.set(message);
        }
    }
}
