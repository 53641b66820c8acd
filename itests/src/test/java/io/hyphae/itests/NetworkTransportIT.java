package io.hyphae.itests;

import static io.hyphae.itests.HyphaeOptions.felixRuntime;
import static io.hyphae.itests.HyphaeOptions.hyphaeBundles;
import static io.hyphae.itests.HyphaeOptions.networkTransports;
import static io.hyphae.itests.HyphaeOptions.testSupport;
import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.time.Clock;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

import io.hyphae.spi.concurrent.Scheduler;
import io.hyphae.spi.dht.Contact;
import io.hyphae.spi.pubsub.NodeIdentity;
import io.hyphae.spi.transport.Endpoint;
import io.hyphae.spi.transport.Frame;
import io.hyphae.spi.transport.InboundHandler;
import io.hyphae.spi.transport.Peer;
import io.hyphae.spi.transport.TlsCredentials;
import io.hyphae.spi.transport.Transport;
import io.hyphae.wire.Frames;
import io.netty.channel.epoll.Epoll;
import io.netty.handler.codec.quic.Quic;

/**
 * The network transports in a real Felix: Netty's native QUIC and epoll libraries load from their fragments, the
 * QUIC and TCP {@link Transport} services register under their scheme with a bound endpoint, and each carries a
 * request and its response between the service and a second transport of the same bundle made in the test (its
 * plain class, reached through the bundle's class loader: the package is private). No DHT here: nothing activates
 * a transport before the test has configured it to an ephemeral port.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class NetworkTransportIT extends HyphaeTestSupport {
    private static final Duration ANSWER = Duration.ofSeconds(10);

    @Configuration
    public Option[] config() {
        return options(felixRuntime(), hyphaeBundles("api", "spi", "wire", "identity"), networkTransports(),
                testSupport());
    }

    @Test
    public void nativeQuicAndEpollLoadFromTheirFragments() {
        for (String fragment : List.of("io.netty.codec-native-quic.linux-x86_64",
                "io.netty.transport-native-epoll.linux-x86_64")) {
            assertEquals(fragment + " attached", Bundle.RESOLVED, bundle(fragment).getState());
        }
        assertEquals(Bundle.ACTIVE, bundle("io.netty.codec-classes-quic").getState());
        assertTrue("Quic.isAvailable: " + Quic.unavailabilityCause(), Quic.isAvailable());
        assertTrue("Epoll.isAvailable: " + Epoll.unavailabilityCause(), Epoll.isAvailable());
    }

    @Test
    public void quicServiceAnswersARequestFromASecondQuicTransport() throws Exception {
        roundTrip("quic", "Quic");
    }

    @Test
    public void tcpServiceAnswersARequestFromASecondTcpTransport() throws Exception {
        roundTrip("tcp", "Tcp");
    }

    private void roundTrip(String scheme, String prefix) throws Exception {
        Transport service = configuredService(scheme);
        NodeIdentity identity = awaitService(NodeIdentity.class, null);
        List<Endpoint> endpoints = service.localEndpoints();
        assertEquals(scheme + " endpoints " + endpoints, 1, endpoints.size());
        Endpoint endpoint = endpoints.get(0);
        assertEquals(scheme, endpoint.scheme());
        assertNotEquals("bound to an ephemeral port", 0, endpoint.port());
        assertEquals("the endpoint names the node", identity.nodeId(), endpoint.nodeId());
        assertEquals("io.hyphae.transport." + scheme,
                reference(Transport.class, schemeFilter(scheme)).getBundle().getSymbolicName());

        Transport.Registration answering = service.register(new Ponger(endpoint));
        Scheduler timers = Scheduler.single("itest-" + scheme + "-timers");
        Object client = plainTransport(scheme, prefix, timers);
        try {
            Transport asTransport = (Transport) client;
            Endpoint from = asTransport.localEndpoints().get(0);
            Frame answer = asTransport.request(endpoint, new Frames.Ping(new Contact(from.nodeId(), List.of(from))),
                    ANSWER).toCompletableFuture().get(ANSWER.toSeconds() + 5, TimeUnit.SECONDS);

            assertTrue("answer " + answer, answer instanceof Frames.Pong);
            assertEquals("the service's node answered", identity.nodeId(), ((Frames.Pong) answer).sender().nodeId());
            assertNotEquals("two nodes", identity.nodeId(), from.nodeId());
        } finally {
            answering.close();
            ((CompletionStage<?>) client.getClass().getMethod("close").invoke(client)).toCompletableFuture()
                    .get(5, TimeUnit.SECONDS);
            timers.close();
        }
    }

    /** The {@code scheme} transport service, configured (before it first activates) to an ephemeral port. */
    private Transport configuredService(String scheme) throws Exception {
        String pid = "io.hyphae.transport." + scheme;
        ConfigurationAdmin configAdmin = awaitService(ConfigurationAdmin.class, null);
        org.osgi.service.cm.Configuration configuration = configAdmin.getConfiguration(pid, "?");
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("port", 0);
        properties.put("bindHost", "127.0.0.1");
        configuration.update(properties);
        ServiceComponentRuntime scr = awaitService(ServiceComponentRuntime.class, null);
        String component = pid + "." + (scheme.equals("quic") ? "Quic" : "Tcp") + "TransportComponent";
        await(component + " configured with port 0").atMost(SETTLE).until(() -> {
            ComponentDescriptionDTO description = scr.getComponentDescriptionDTO(bundle(pid), component);
            return description != null && scr.getComponentConfigurationDTOs(description).stream()
                    .map((ComponentConfigurationDTO c) -> c.properties.get("port"))
                    .anyMatch(port -> Integer.valueOf(0).equals(port));
        });
        Transport service = awaitService(Transport.class, schemeFilter(scheme));
        assertFalse("the service has an endpoint", service.localEndpoints().isEmpty());
        return service;
    }

    /**
     * A second transport of {@code scheme} with a fresh identity: the bundle's plain class, with the constructor an
     * embedding uses, loaded through the bundles' class loaders (their packages are private).
     */
    private Object plainTransport(String scheme, String prefix, Scheduler timers) throws Exception {
        NodeIdentity identity = (NodeIdentity) bundle("io.hyphae.identity")
                .loadClass("io.hyphae.identity.Ed25519Identity").getMethod("generate").invoke(null);
        TlsCredentials credentials = (TlsCredentials) bundle("io.hyphae.tls")
                .loadClass("io.hyphae.tls.SelfSignedCredentials")
                .getConstructor(NodeIdentity.class, Clock.class, Duration.class)
                .newInstance(identity, Clock.systemUTC(), Duration.ofDays(1));
        String pkg = "io.hyphae.transport." + scheme;
        Bundle transportBundle = bundle(pkg);
        Class<?> settingsType = transportBundle.loadClass(pkg + "." + prefix + "Settings");
        Object settings = settingsType.getMethod("defaults", int.class).invoke(null, 0);
        Class<?> type = transportBundle.loadClass(pkg + "." + prefix + "Transport");
        Object transport = type.getConstructor(settingsType, TlsCredentials.class, Clock.class, Scheduler.class)
                .newInstance(settings, credentials, Clock.systemUTC(), timers);
        type.getMethod("start").invoke(transport);
        return transport;
    }

    private static String schemeFilter(String scheme) {
        return "(" + Transport.SCHEME + "=" + scheme + ")";
    }

    /** Answers a Ping with a Pong naming this node. */
    private static final class Ponger implements InboundHandler {
        private final Endpoint self;

        Ponger(Endpoint self) {
            this.self = self;
        }

        @Override
        public boolean accepts(Frame frame) {
            return frame instanceof Frames.Ping;
        }

        @Override
        public CompletionStage<? extends Frame> onRequest(Peer from, Frame request) {
            return CompletableFuture.completedFuture(new Frames.Pong(new Contact(self.nodeId(), List.of(self))));
        }

        @Override
        public void onMessage(Peer from, Frame message) {
        }
    }
}
