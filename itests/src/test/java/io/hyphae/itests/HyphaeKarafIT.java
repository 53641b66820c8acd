package io.hyphae.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.maven;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.vmOption;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.features;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.keepRuntimeFolder;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import javax.inject.Inject;

import org.apache.karaf.features.FeaturesService;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.ops4j.pax.exam.options.MavenArtifactUrlReference;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;

import io.hyphae.api.Message;
import io.hyphae.api.PubSub;
import io.hyphae.api.PublishReceipt;
import io.hyphae.api.Qos;
import io.hyphae.api.Subscription;
import io.hyphae.api.Topic;
import io.hyphae.spi.transport.Transport;

/**
 * Hyphae in a stock Apache Karaf 4.4 from Maven Central, installed from the features/ repository as a user would:
 * the hyphae feature installs and every Hyphae bundle is active; etc/io.hyphae.node.cfg configures the node; the node
 * delivers to a local subscriber; the hyphae: commands work in a Karaf console session; and stopping and starting transport-quic leaves the node (the same PubSub service)
 * running. Run by failsafe's karaf execution, apart from the Felix tests, because Pax Exam takes only one container
 * implementation per class path.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HyphaeKarafIT {
    private static final long TIMEOUT_MS = 30_000;
    private static final String REALM = "karaf-it";
    private static final String KARAF_VERSION = "4.4.10";

    @Inject
    private BundleContext context;

    @Inject
    private FeaturesService features;

    @Inject
    private SessionFactory sessions;

    @Configuration
    public Option[] config() {
        MavenArtifactUrlReference karaf = maven().groupId("org.apache.karaf").artifactId("apache-karaf")
                .versionAsInProject().type("tar.gz");
        MavenArtifactUrlReference hyphae = maven().groupId("io.hyphae").artifactId("features")
                .versionAsInProject().classifier("features").type("xml");
        String localRepository = System.getProperty("org.ops4j.pax.url.mvn.localRepository",
                System.getProperty("user.home") + "/.m2/repository");
        List<Option> options = new ArrayList<>(List.of(
                karafDistributionConfiguration().frameworkUrl(karaf).name("Apache Karaf")
                        .unpackDirectory(new File("target/exam-karaf")).useDeployFolder(false),
                keepRuntimeFolder(),
                configureConsole().ignoreLocalConsole().ignoreRemoteShell(),
                logLevel(LogLevel.WARN),
                // Karaf's own system folder, then this build's artifacts, then the local repository Maven filled;
                // no remote repository: every bundle the features name is a dependency of this module
                editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.defaultRepositories",
                        "file:${karaf.home}/${karaf.default.repository}@id=system.repository@snapshots,"
                                + new File(System.getProperty("hyphae.reactorRepository")).toURI()
                                + "@id=reactor@snapshots"),
                editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.repositories", ""),
                editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.localRepository",
                        localRepository),
                // configuration through etc/io.hyphae.*.cfg, as an operator writes it; port 0: never a clash
                editConfigurationFilePut("etc/io.hyphae.node.cfg", "realm", REALM),
                editConfigurationFilePut("etc/io.hyphae.transport.quic.cfg", "port", "0"),
                editConfigurationFilePut("etc/io.hyphae.transport.tcp.cfg", "port", "0"),
                features(hyphae, "hyphae", "hyphae-shell")));
        options.addAll(jdk17Flags());
        return options.toArray(Option[]::new);
    }

    /** What bin/karaf adds on JDK 9+ and Pax Exam's Karaf runner does not (BUILD-NOTES D2). */
    private static List<Option> jdk17Flags() {
        List<Option> flags = new ArrayList<>();
        flags.add(vmOption("--add-reads=java.xml=java.logging"));
        flags.add(vmOption("--add-exports=java.base/org.apache.karaf.specs.locator=java.xml,ALL-UNNAMED"));
        for (String patch : List.of("java.base=lib/endorsed/org.apache.karaf.specs.locator-" + KARAF_VERSION + ".jar",
                "java.xml=lib/endorsed/org.apache.karaf.specs.java.xml-" + KARAF_VERSION + ".jar")) {
            flags.add(vmOption("--patch-module"));
            flags.add(vmOption(patch));
        }
        for (String open : List.of("java.base/java.security=ALL-UNNAMED", "java.base/java.net=ALL-UNNAMED",
                "java.base/java.lang=ALL-UNNAMED", "java.base/java.util=ALL-UNNAMED",
                "java.naming/javax.naming.spi=ALL-UNNAMED", "java.rmi/sun.rmi.transport.tcp=ALL-UNNAMED")) {
            flags.add(vmOption("--add-opens"));
            flags.add(vmOption(open));
        }
        for (String export : List.of("java.base/sun.net.www.protocol.file=ALL-UNNAMED",
                "java.base/sun.net.www.protocol.http=ALL-UNNAMED", "java.base/sun.net.www.protocol.https=ALL-UNNAMED",
                "java.base/sun.net.www.protocol.jar=ALL-UNNAMED", "jdk.naming.rmi/com.sun.jndi.url.rmi=ALL-UNNAMED")) {
            flags.add(vmOption("--add-exports=" + export));
        }
        return flags;
    }

    @Test
    public void featureInstallsAndEveryHyphaeBundleIsActive() throws Exception {
        assertTrue("hyphae installed", features.isInstalled(features.getFeature("hyphae")));
        assertTrue("hyphae-shell installed", features.isInstalled(features.getFeature("hyphae-shell")));

        features.installFeature("hyphae-tcp");

        assertTrue("hyphae-tcp installed", features.isInstalled(features.getFeature("hyphae-tcp")));
        List<String> expected = List.of("io.hyphae.api", "io.hyphae.spi", "io.hyphae.wire", "io.hyphae.identity",
                "io.hyphae.tls", "io.hyphae.dht", "io.hyphae.advertisement", "io.hyphae.discovery",
                "io.hyphae.cache.lru", "io.hyphae.router", "io.hyphae.node", "io.hyphae.transport.quic",
                "io.hyphae.transport.tcp", "io.hyphae.shell");
        for (String bsn : expected) {
            Bundle b = bundle(bsn);
            assertEquals(bsn + " state", Bundle.ACTIVE, b.getState());
        }
        Bundle nativeQuic = bundle("io.netty.codec-native-quic.linux-x86_64");
        assertEquals("the native QUIC fragment is attached", Bundle.RESOLVED, nativeQuic.getState());
        awaitTrue("a quic and a tcp transport", () -> hasTransport("quic") && hasTransport("tcp"));
    }

    @Test
    public void nodeConfiguredFromEtcPublishesToALocalSubscriber() throws Exception {
        PubSub node = awaitService(PubSub.class);
        assertEquals("realm from etc/io.hyphae.node.cfg", REALM, node.realm());

        assertDelivers(node, Topic.of("karaf.local"));
    }

    @Test
    public void hyphaeCommandsRunInAKarafConsoleSession() throws Exception {
        awaitService(PubSub.class);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);
        Session session = sessions.create(InputStream.nullInputStream(), out, out);
        try {
            session.execute("hyphae:subscribe karaf.console");
            session.execute("hyphae:publish --qos 1 karaf.console hello console");
            awaitTrue("the subscription printed the message in the session",
                    () -> console.toString(StandardCharsets.UTF_8).contains("[karaf.console] hello console"));
            session.execute("hyphae:topics");
            session.execute("hyphae:transports");
            session.execute("hyphae:unsubscribe karaf.console");
        } finally {
            session.close();
        }
        String text = console.toString(StandardCharsets.UTF_8);
        assertTrue(text, text.contains("subscribed to karaf.console"));
        assertTrue(text, text.contains("): local 1,"));
        assertTrue(text, text.lines().anyMatch(l -> l.startsWith("karaf.console") && l.contains("subscribed")));
        assertTrue(text, text.lines().anyMatch(l -> l.startsWith("quic ")));
        assertTrue(text, text.contains("unsubscribed from karaf.console"));
    }

    @Test
    public void stoppingAndStartingTheQuicTransportLeavesTheNodeRunning() throws Exception {
        awaitService(PubSub.class);
        ServiceReference<PubSub> before = context.getServiceReference(PubSub.class);
        long nodeServiceId = (Long) before.getProperty(Constants.SERVICE_ID);
        Bundle quic = bundle("io.hyphae.transport.quic");
        awaitTrue("quic transport registered", () -> hasTransport("quic"));

        quic.stop();
        awaitTrue("quic transport gone", () -> !hasTransport("quic"));
        assertEquals("the same node service", nodeServiceId, serviceId(PubSub.class));
        assertDelivers(context.getService(before), Topic.of("karaf.without.quic"));

        quic.start();
        awaitTrue("quic transport back", () -> hasTransport("quic"));
        assertEquals("still the same node service", nodeServiceId, serviceId(PubSub.class));
        assertDelivers(context.getService(before), Topic.of("karaf.with.quic"));
        context.ungetService(before);
    }

    private void assertDelivers(PubSub node, Topic topic) throws Exception {
        List<Message> received = new CopyOnWriteArrayList<>();
        Subscription s = node.subscribe(topic, received::add);
        try {
            PublishReceipt receipt = node.publish(topic, "hello karaf".getBytes(StandardCharsets.UTF_8),
                    Qos.AT_LEAST_ONCE).toCompletableFuture().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            assertEquals("local handlers", 1, receipt.local());
            awaitTrue("the subscriber got the message", () -> received.size() == 1);
            assertEquals("hello karaf", new String(received.get(0).payload(), StandardCharsets.UTF_8));
        } finally {
            s.close();
        }
        assertFalse(s.isActive());
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("no bundle " + symbolicName);
    }

    private boolean hasTransport(String scheme) {
        try {
            return !context.getServiceReferences(Transport.class, "(" + Transport.SCHEME + "=" + scheme + ")")
                    .isEmpty();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private long serviceId(Class<?> type) {
        ServiceReference<?> ref = context.getServiceReference(type);
        assertNotNull(type.getSimpleName() + " registered", ref);
        return (Long) ref.getProperty(Constants.SERVICE_ID);
    }

    private <T> T awaitService(Class<T> type) throws InterruptedException {
        awaitTrue(type.getSimpleName() + " registered", () -> context.getServiceReference(type) != null);
        return context.getService(context.getServiceReference(type));
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + TIMEOUT_MS + " ms: " + what);
            }
            Thread.sleep(50);
        }
    }
}
