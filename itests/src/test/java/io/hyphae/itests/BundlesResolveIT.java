package io.hyphae.itests;

import static io.hyphae.itests.HyphaeOptions.ALTERNATIVE_MODULES;
import static io.hyphae.itests.HyphaeOptions.allHyphaeBundles;
import static io.hyphae.itests.HyphaeOptions.felixRuntime;
import static io.hyphae.itests.HyphaeOptions.hyphaeBundles;
import static io.hyphae.itests.HyphaeOptions.networkTransports;
import static io.hyphae.itests.HyphaeOptions.testSupport;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.Version;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every Hyphae bundle resolves and starts in a plain Felix with SCR, ConfigAdmin and metatype, and exports exactly
 * the packages of its published API, at their semantic versions. Read-only, so one framework serves all tests.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BundlesResolveIT extends HyphaeTestSupport {
    private static final Version V1 = new Version(1, 0, 0);

    @Configuration
    public Option[] config() {
        return options(felixRuntime(), allHyphaeBundles(), hyphaeBundles(ALTERNATIVE_MODULES.toArray(String[]::new)),
                networkTransports(), testSupport());
    }

    @Test
    public void everyHyphaeBundleIsInstalledAndActive() {
        Map<String, String> states = installedHyphaeBundles().stream()
                .collect(Collectors.toMap(Bundle::getSymbolicName, HyphaeTestSupport::describeState,
                        (a, b) -> a + " / duplicate: " + b, TreeMap::new));

        assertEquals("installed io.hyphae bundles",
                List.of("io.hyphae.advertisement", "io.hyphae.api", "io.hyphae.cache.lru", "io.hyphae.cache.refresh",
                        "io.hyphae.dht", "io.hyphae.discovery", "io.hyphae.identity", "io.hyphae.node",
                        "io.hyphae.router", "io.hyphae.spi", "io.hyphae.tls", "io.hyphae.transport.mem",
                        "io.hyphae.transport.quic", "io.hyphae.transport.tcp", "io.hyphae.wire"),
                List.copyOf(states.keySet()));
        states.forEach((bsn, state) -> assertEquals(bsn + " state", "ACTIVE", state));
    }

    @Test
    public void publishedPackagesAreExportedAtTheirVersions() {
        SortedMap<String, Version> exports = new TreeMap<>();
        installedHyphaeBundles().forEach(b -> exports.putAll(exportedPackages(b)));

        SortedMap<String, Version> expected = new TreeMap<>();
        for (String pkg : List.of("io.hyphae.spi.cache", "io.hyphae.spi.concurrent", "io.hyphae.spi.dht",
                "io.hyphae.spi.stats")) {
            expected.put(pkg, V1);
        }
        // 1.1: Router.route telling a callback instead of completing a stage per message
        expected.put("io.hyphae.spi.pubsub", new Version(1, 1, 0));
        // 1.1: Transport.connectedTo and CONNECTION_ATTEMPT_DELAY, by which callers race a peer's endpoints
        // 1.2: Transport.send telling a callback instead of completing a stage per frame
        expected.put("io.hyphae.spi.transport", new Version(1, 2, 0));
        // 1.1: payloads handed over and read without copies (Message.adopting, payloadBuffer; Route's likewise)
        // 1.2: MessageId.ofSequence, stream and sequence, which receivers de-duplicate a publisher's ids by
        // 1.3: MessageId.of(bytes, offset) and writeTo, NodeId.writeTo: ids read and written in a codec's buffer
        expected.put("io.hyphae.api", new Version(1, 3, 0));
        // 1.2: ConnectionTable, the connection-per-peer table the network transports share
        // 1.3: ConnectionTable takes the clock its holds of failed endpoints are measured on
        // 1.4: ConnectionTable.isConnected, which a transport answers Transport.connectedTo by
        // 1.5: RouteAliases, route frames by alias on a stream
        // 2.0: RouteAliases.Out lays a route out from its fields and writes it in pieces (compact(OutboundPacket),
        //      writeTo, carry) instead of re-reading an encoded packet (compact(byte[]), bytes() removed);
        //      Frames.Route is a class, and Route.of(message, hops) reads the message's payload without a copy
        expected.put("io.hyphae.wire", new Version(2, 0, 0));
        assertEquals("packages exported by io.hyphae bundles", expected, exports);
    }

    /** Implementations are private: consumers reach them as services only. */
    @Test
    public void transportMemExportsNothing() {
        assertEquals("packages exported by io.hyphae.transport.mem", Map.of(),
                exportedPackages(bundle("io.hyphae.transport.mem")));
    }

    @Test
    public void tlsAndNetworkTransportsExportNothing() {
        for (String bsn : List.of("io.hyphae.tls", "io.hyphae.transport.quic", "io.hyphae.transport.tcp")) {
            assertEquals("packages exported by " + bsn, Map.of(), exportedPackages(bundle(bsn)));
        }
    }

    @Test
    public void pubSubBundlesExportNothing() {
        for (String bsn : List.of("io.hyphae.advertisement", "io.hyphae.discovery", "io.hyphae.cache.lru",
                "io.hyphae.cache.refresh", "io.hyphae.router", "io.hyphae.node")) {
            assertEquals("packages exported by " + bsn, Map.of(), exportedPackages(bundle(bsn)));
        }
    }

    @Test
    public void identityAndDhtExportNothing() {
        assertEquals("packages exported by io.hyphae.identity", Map.of(),
                exportedPackages(bundle("io.hyphae.identity")));
        assertEquals("packages exported by io.hyphae.dht", Map.of(), exportedPackages(bundle("io.hyphae.dht")));
    }

    /**
     * The Hyphae bundles import org.slf4j [2.0,3): here it is wired to pax-logging-api (which has a real
     * logger, not SLF4J's NOP fallback), see {@link HyphaeOptions#logging()}.
     */
    @Test
    public void slf4j2IsWiredToPaxLogging() {
        BundleWire slf4j = bundle("io.hyphae.spi").adapt(BundleWiring.class)
                .getRequiredWires(PackageNamespace.PACKAGE_NAMESPACE).stream()
                .filter(w -> "org.slf4j".equals(
                        w.getCapability().getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("io.hyphae.spi has no wire for org.slf4j"));
        Version version = (Version) slf4j.getCapability().getAttributes()
                .get(PackageNamespace.CAPABILITY_VERSION_ATTRIBUTE);

        assertEquals("org.ops4j.pax.logging.pax-logging-api", slf4j.getProvider().getSymbolicName());
        assertEquals("pax-logging-api bundles (exam.properties must drop Pax Exam's default one)", 1,
                Arrays.stream(context.getBundles())
                        .filter(b -> "org.ops4j.pax.logging.pax-logging-api".equals(b.getSymbolicName()))
                        .count());
        assertEquals("org.slf4j major version", 2, version.getMajor());

        Logger log = LoggerFactory.getLogger(BundlesResolveIT.class);
        assertNotEquals("org.slf4j.helpers.NOPLogger", log.getClass().getName());
        log.info("SLF4J {} inside the framework logs through {}", version, log.getClass().getName());
    }

    private List<Bundle> installedHyphaeBundles() {
        List<Bundle> bundles = Arrays.stream(context.getBundles())
                .filter(b -> b.getSymbolicName() != null && b.getSymbolicName().startsWith("io.hyphae."))
                .toList();
        assertTrue("no io.hyphae bundle installed", !bundles.isEmpty());
        return bundles;
    }
}
