package io.hyphae.itests;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.workingDirectory;

import java.io.File;
import java.util.Arrays;
import java.util.List;

import org.ops4j.pax.exam.Constants;
import org.ops4j.pax.exam.Option;

/**
 * The Pax Exam options of the Hyphae itests, one small method per concern (the shape of Aries RSA's
 * {@code RsaTestBase}), so that each test class states what it runs on:
 * {@code options(felixRuntime(), allHyphaeBundles(), testSupport())}.
 *
 * <p>Third-party bundles are test dependencies of this module, installed from the local Maven repository with
 * {@code mavenBundle(g, a).versionAsInProject()} (versions from {@code META-INF/maven/dependencies.properties},
 * written by depends-maven-plugin). Hyphae bundles are installed by file from the path failsafe passes in
 * {@code hyphae.bundle.<artifactId>}: the reactor's fresh jar in a full build, not whatever was last installed.
 *
 * <p>Everything here runs in the driver JVM, outside the framework.
 */
public final class HyphaeOptions {
    /** Prefix of the system properties, set by failsafe, naming a Hyphae bundle's jar file. */
    public static final String BUNDLE_PATH_PROPERTY = "hyphae.bundle.";

    /**
     * Artifact ids of the Hyphae modules shipped as bundles, in dependency order. Adding a module: append it here,
     * add it as a test dependency of itests and pass its jar to failsafe as {@code hyphae.bundle.<artifactId>}.
     */
    public static final List<String> MODULES = List.of("api", "spi", "wire", "transport-mem", "identity", "dht",
            "advertisement", "discovery", "cache-lru", "router", "node");

    /**
     * Artifact ids of Hyphae modules that are alternatives to a default one (cache-refresh, ranked above cache-lru):
     * not in {@link #MODULES}, so that a test can install them while the node runs, through
     * {@link #hyphaeBundleLocation(String)}.
     */
    public static final List<String> ALTERNATIVE_MODULES = List.of("cache-refresh");

    /**
     * Artifact ids of the network transports and the TLS credentials they use; installed by
     * {@link #networkTransports()} together with Netty and BouncyCastle.
     */
    public static final List<String> NETWORK_MODULES = List.of("tls", "transport-quic", "transport-tcp");

    private HyphaeOptions() {
    }

    /** Felix with everything a Hyphae node expects around it, minus the Hyphae bundles. */
    public static Option felixRuntime() {
        return composite(framework(), logging(), declarativeServices(), configAdmin(), metatype(), jackson());
    }

    /** Framework settings: a cache under target/ that is wiped per run, quiet SCR. */
    public static Option framework() {
        return composite(
                workingDirectory("target/paxexam"),
                cleanCaches(),
                frameworkProperty("ds.loglevel").value(System.getProperty("hyphae.itest.ds.loglevel", "warn")));
    }

    /**
     * SLF4J 2 inside the framework, through pax-logging-api 2.2 (exports org.slf4j 2.0.6 as well as 1.7.36, and
     * the OSGi Log Service API that metatype needs).
     *
     * <p>Why not the others:
     * <ul>
     * <li>the pax-logging-api 2.1.4 Pax Exam 4.14 installs by default exports org.slf4j 1.7.36 only, so every
     * Hyphae bundle (Import-Package org.slf4j;version="[2.0,3)") stays INSTALLED. {@code pax.exam.logging=none} in
     * src/test/resources/exam.properties drops it; this method installs 2.2.7 in its place.</li>
     * <li>slf4j-api 2.0.17 as a bundle has a mandatory {@code osgi.extender=osgi.serviceloader.processor} requirement
     * and a mandatory {@code osgi.serviceloader} one (it finds its provider with ServiceLoader): it needs Aries SPI
     * Fly plus its five ASM bundles plus slf4j-simple, which is what a plain Felix launch would use, but pax-logging
     * is what Karaf (and so the features/ distribution) ships.</li>
     * </ul>
     * Without a pax-logging backend bundle, pax-logging-api prints to stdout at the level of
     * {@code org.ops4j.pax.logging.DefaultServiceLog.level} (INFO here): the output lands in
     * target/failsafe-reports/*-output.txt.
     */
    public static Option logging() {
        return composite(
                systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level")
                        .value(System.getProperty("hyphae.itest.loglevel", "INFO")),
                mavenBundle("org.ops4j.pax.logging", "pax-logging-api").versionAsInProject()
                        .startLevel(Constants.START_LEVEL_SYSTEM_BUNDLES));
    }

    /** Felix SCR 2.2, which no longer embeds the DS API: it needs the component, promise and function bundles. */
    public static Option declarativeServices() {
        return composite(
                mavenBundle("org.osgi", "org.osgi.service.component").versionAsInProject(),
                mavenBundle("org.osgi", "org.osgi.util.promise").versionAsInProject(),
                mavenBundle("org.osgi", "org.osgi.util.function").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.scr").versionAsInProject());
    }

    public static Option configAdmin() {
        return mavenBundle("org.apache.felix", "org.apache.felix.configadmin").versionAsInProject();
    }

    /** Felix metatype; its org.osgi.service.log import is served by pax-logging-api (see {@link #logging()}). */
    public static Option metatype() {
        return mavenBundle("org.apache.felix", "org.apache.felix.metatype").versionAsInProject();
    }

    /**
     * Jackson for the wire codec. jackson-dataformat-cbor imports com.fasterxml.jackson.databind (and .cfg)
     * without resolution:=optional, so databind and, through it, annotations must be there too.
     */
    public static Option jackson() {
        return composite(
                mavenBundle("com.fasterxml.jackson.core", "jackson-annotations").versionAsInProject(),
                mavenBundle("com.fasterxml.jackson.core", "jackson-core").versionAsInProject(),
                mavenBundle("com.fasterxml.jackson.core", "jackson-databind").versionAsInProject(),
                mavenBundle("com.fasterxml.jackson.dataformat", "jackson-dataformat-cbor").versionAsInProject());
    }

    /**
     * Netty 4.2 with QUIC (quiche) and epoll. The native libraries come in fragments of their class bundles; a
     * fragment counts only if it is installed when its host resolves (BUILD-NOTES C), which holds here because Pax
     * Exam installs every bundle before it starts any. Fragments are installed, never started.
     */
    public static Option netty() {
        return composite(
                mavenBundle("io.netty", "netty-common").versionAsInProject(),
                mavenBundle("io.netty", "netty-buffer").versionAsInProject(),
                mavenBundle("io.netty", "netty-resolver").versionAsInProject(),
                mavenBundle("io.netty", "netty-transport").versionAsInProject(),
                mavenBundle("io.netty", "netty-codec-base").versionAsInProject(),
                mavenBundle("io.netty", "netty-handler").versionAsInProject(),
                mavenBundle("io.netty", "netty-transport-native-unix-common").versionAsInProject(),
                mavenBundle("io.netty", "netty-transport-classes-epoll").versionAsInProject(),
                mavenBundle("io.netty", "netty-transport-native-epoll").classifier("linux-x86_64")
                        .versionAsInProject().noStart(),
                mavenBundle("io.netty", "netty-codec-classes-quic").versionAsInProject(),
                mavenBundle("io.netty", "netty-codec-native-quic").classifier("linux-x86_64")
                        .versionAsInProject().noStart());
    }

    /** BouncyCastle, with which the tls bundle builds the node's certificate. */
    public static Option bouncyCastle() {
        return composite(
                mavenBundle("org.bouncycastle", "bcprov-jdk18on").versionAsInProject(),
                mavenBundle("org.bouncycastle", "bcutil-jdk18on").versionAsInProject(),
                mavenBundle("org.bouncycastle", "bcpkix-jdk18on").versionAsInProject());
    }

    /** The QUIC and TCP transports with the TLS credentials, Netty and BouncyCastle: {@link #NETWORK_MODULES}. */
    public static Option networkTransports() {
        return composite(netty(), bouncyCastle(), hyphaeBundles(NETWORK_MODULES.toArray(String[]::new)));
    }

    /**
     * The reactor's jar of the Hyphae module {@code artifactId} (such as {@code transport-mem}), from the system
     * property {@code hyphae.bundle.<artifactId>}. To add a module: a test dependency on it and a
     * {@code <hyphae.bundle.X>${io.hyphae:X:jar}</hyphae.bundle.X>} line in failsafe's systemPropertyVariables.
     *
     * @throws IllegalStateException when the property is missing or names no file
     */
    public static Option hyphaeBundle(String artifactId) {
        return bundle(hyphaeBundleLocation(artifactId));
    }

    /**
     * The location (file URI) of the reactor's jar of the Hyphae module {@code artifactId}, for a test that installs
     * it with {@code BundleContext.installBundle} while the framework runs; see {@link #hyphaeBundle(String)}.
     *
     * @throws IllegalStateException when the property is missing or names no file
     */
    public static String hyphaeBundleLocation(String artifactId) {
        String key = BUNDLE_PATH_PROPERTY + artifactId;
        String path = System.getProperty(key);
        if (path == null || path.isBlank() || path.startsWith("${")) {
            throw new IllegalStateException("system property " + key + " is not set (" + path + "): add io.hyphae:"
                    + artifactId + " as a test dependency of itests and " + key + " to failsafe's"
                    + " systemPropertyVariables, and run through Maven");
        }
        File jar = new File(path);
        if (!jar.isFile()) {
            throw new IllegalStateException(key + " names no file: " + jar + " (build the module first)");
        }
        return jar.toURI().toString();
    }

    public static Option hyphaeBundles(String... artifactIds) {
        return composite(Arrays.stream(artifactIds).map(HyphaeOptions::hyphaeBundle).toArray(Option[]::new));
    }

    /** Every module of {@link #MODULES}. */
    public static Option allHyphaeBundles() {
        return hyphaeBundles(MODULES.toArray(String[]::new));
    }

    /**
     * What the test probe itself uses: JUnit 4 (with hamcrest 1.3, as Pax Exam wants) and Awaitility, which
     * imports hamcrest [2.1,3) and so brings its own hamcrest bundle. Probes use plain JUnit asserts, no matchers,
     * so the two hamcrests never meet.
     */
    public static Option testSupport() {
        return composite(
                junitBundles(),
                mavenBundle("org.hamcrest", "hamcrest").versionAsInProject(),
                mavenBundle("org.awaitility", "awaitility").versionAsInProject());
    }
}
