package io.hyphae.itests;

import java.io.File;
import java.io.InputStream;
import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.awaitility.Awaitility;
import org.osgi.framework.AllServiceListener;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * One Hyphae node in a Felix framework of its own, launched through {@link FrameworkFactory} in the test JVM, so
 * that a test can run two nodes side by side (Pax Exam gives a test one framework). The framework holds the same
 * bundles an itest does: pax-logging, SCR, ConfigAdmin, Jackson, Netty with its native fragments, BouncyCastle and
 * the Hyphae bundles named; the configurations passed in are set in ConfigAdmin before any Hyphae bundle starts, so
 * no component first activates on its defaults.
 *
 * <p>The framework's Hyphae classes are not the test's: the test reaches the node's services through the OSGi API
 * (shared with the framework) and calls them by reflection ({@link #call}), handing over only JDK types.
 */
final class FelixNode implements AutoCloseable {
    /** Third-party bundles, in start order: groupId/artifactId[/classifier]; a classifier marks a fragment. */
    private static final List<String> INFRASTRUCTURE = List.of(
            "org.ops4j.pax.logging/pax-logging-api",
            "org.osgi/org.osgi.service.component", "org.osgi/org.osgi.util.promise",
            "org.osgi/org.osgi.util.function", "org.apache.felix/org.apache.felix.scr",
            "org.apache.felix/org.apache.felix.configadmin");
    private static final List<String> LIBRARIES = List.of(
            "com.fasterxml.jackson.core/jackson-annotations", "com.fasterxml.jackson.core/jackson-core",
            "com.fasterxml.jackson.core/jackson-databind", "com.fasterxml.jackson.dataformat/jackson-dataformat-cbor",
            "io.netty/netty-common", "io.netty/netty-buffer", "io.netty/netty-resolver", "io.netty/netty-transport",
            "io.netty/netty-codec-base", "io.netty/netty-handler", "io.netty/netty-transport-native-unix-common",
            "io.netty/netty-transport-classes-epoll", "io.netty/netty-transport-native-epoll/linux-x86_64",
            "io.netty/netty-codec-classes-quic", "io.netty/netty-codec-native-quic/linux-x86_64",
            "org.bouncycastle/bcprov-jdk18on", "org.bouncycastle/bcutil-jdk18on", "org.bouncycastle/bcpkix-jdk18on");

    private static final String LOG_LEVEL = "org.ops4j.pax.logging.DefaultServiceLog.level";

    private final String name;
    private final Framework framework;
    private final List<ServiceEvent> unregistered = new CopyOnWriteArrayList<>();

    private FelixNode(String name, Framework framework) {
        this.name = name;
        this.framework = framework;
    }

    /**
     * Launches node {@code name} with the Hyphae modules {@code modules} (artifact ids, see
     * {@link HyphaeOptions#MODULES}), configured with {@code configurations} (PID to properties) first.
     */
    static FelixNode launch(String name, List<String> modules, Map<String, Map<String, Object>> configurations)
            throws Exception {
        if (System.getProperty(LOG_LEVEL) == null) { // pax-logging-api without a backend prints at this level
            System.setProperty(LOG_LEVEL, System.getProperty("hyphae.itest.loglevel", "INFO"));
        }
        Map<String, String> properties = new HashMap<>();
        properties.put(Constants.FRAMEWORK_STORAGE, new File("target/frameworks/" + name).getAbsolutePath());
        properties.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        properties.put("ds.loglevel", System.getProperty("hyphae.itest.ds.loglevel", "warn"));
        Framework framework = ServiceLoader.load(FrameworkFactory.class).iterator().next().newFramework(properties);
        framework.start();
        FelixNode node = new FelixNode(name, framework);
        try {
            node.provision(modules, configurations);
        } catch (Exception | Error e) {
            node.close();
            throw e;
        }
        return node;
    }

    /** Installs everything before starting anything, so the native fragments attach when their hosts resolve. */
    private void provision(List<String> modules, Map<String, Map<String, Object>> configurations) throws Exception {
        BundleContext context = context();
        Properties versions = new Properties();
        try (InputStream in = FelixNode.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/dependencies.properties")) {
            if (in == null) {
                throw new IllegalStateException("META-INF/maven/dependencies.properties is missing: run through Maven");
            }
            versions.load(in);
        }
        List<Bundle> infrastructure = new ArrayList<>();
        for (String coordinates : INFRASTRUCTURE) {
            infrastructure.add(context.installBundle(mavenLocation(coordinates, versions)));
        }
        List<Bundle> rest = new ArrayList<>();
        for (String coordinates : LIBRARIES) {
            rest.add(context.installBundle(mavenLocation(coordinates, versions)));
        }
        for (String module : modules) {
            rest.add(context.installBundle(HyphaeOptions.hyphaeBundleLocation(module)));
        }
        for (Bundle b : infrastructure) {
            b.start();
        }
        configure(configurations);
        for (Bundle b : rest) {
            if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                b.start();
            }
        }
        // An AllServiceListener: a plain one hears only of services whose classes the system bundle sees the same
        // way, and the test's class path has other copies of the Hyphae packages.
        context.addServiceListener((AllServiceListener) event -> {
            if (event.getType() == ServiceEvent.UNREGISTERING) {
                unregistered.add(event);
            }
        });
    }

    private void configure(Map<String, Map<String, Object>> configurations) throws Exception {
        ServiceReference<?> ref = Awaitility.await(name + ": ConfigurationAdmin").atMost(Duration.ofSeconds(10))
                .until(() -> references("org.osgi.service.cm.ConfigurationAdmin", null), r -> !r.isEmpty()).get(0);
        Object configAdmin = context().getService(ref);
        for (Map.Entry<String, Map<String, Object>> pid : configurations.entrySet()) {
            Object configuration = call(configAdmin, "getConfiguration", pid.getKey(), "?");
            call(configuration, "update", new Hashtable<>(pid.getValue()));
        }
    }

    private static String mavenLocation(String coordinates, Properties versions) {
        String[] parts = coordinates.split("/");
        String groupId = parts[0];
        String artifactId = parts[1];
        String version = versions.getProperty(groupId + "/" + artifactId + "/version");
        if (version == null) {
            throw new IllegalStateException(coordinates + " is not a dependency of itests");
        }
        String repository = System.getProperty("org.ops4j.pax.url.mvn.localRepository",
                System.getProperty("user.home") + "/.m2/repository");
        String file = artifactId + "-" + version + (parts.length > 2 ? "-" + parts[2] : "") + ".jar";
        Path jar = Path.of(repository, groupId.split("\\.")).resolve(Path.of(artifactId, version, file));
        if (!jar.toFile().isFile()) {
            throw new IllegalStateException(coordinates + " is not in the local repository: " + jar);
        }
        return jar.toUri().toString();
    }

    String name() {
        return name;
    }

    BundleContext context() {
        return framework.getBundleContext();
    }

    Bundle bundle(String symbolicName) {
        for (Bundle b : context().getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError(name + ": bundle " + symbolicName + " is not installed");
    }

    /** A class of the framework's bundle {@code symbolicName}. */
    Class<?> type(String symbolicName, String className) {
        try {
            return bundle(symbolicName).loadClass(className);
        } catch (ClassNotFoundException e) {
            throw new AssertionError(name + ": " + symbolicName + " has no class " + className, e);
        }
    }

    /** The references of the services registered under {@code objectClass} (optionally filtered), or none. */
    List<ServiceReference<?>> references(String objectClass, String filter) {
        try {
            // All, not those compatible with the system bundle's class space: the test's class path has these
            // packages too (other classes than the framework's), and getServiceReferences would filter them out.
            ServiceReference<?>[] refs = context().getAllServiceReferences(objectClass, filter);
            return refs == null ? List.of() : List.of(refs);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("bad filter " + filter, e);
        }
    }

    /** The service of {@code ref}, got (and so kept active) until the framework stops. */
    Object service(ServiceReference<?> ref) {
        return context().getService(ref);
    }

    /** Object classes of the services unregistered since launch (their component deactivated, or left). */
    Set<String> unregisteredObjectClasses() {
        Set<String> out = new LinkedHashSet<>();
        for (ServiceEvent e : unregistered) {
            out.addAll(List.of((String[]) e.getServiceReference().getProperty(Constants.OBJECTCLASS)));
        }
        return out;
    }

    /**
     * Calls the public method {@code method} (found by name and number of arguments, on the object's interfaces
     * first, since its class may be private to its bundle) on {@code target}.
     */
    static Object call(Object target, String method, Object... args) {
        Method m = find(target.getClass(), method, args);
        try {
            return m.invoke(target, args);
        } catch (IllegalAccessException e) {
            throw new AssertionError("cannot call " + m, e);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new AssertionError(m + " failed", cause);
        }
    }

    /** Calls the public static method {@code method} of {@code type}. */
    static Object callStatic(Class<?> type, String method, Object... args) {
        for (Method m : type.getMethods()) {
            if (m.getName().equals(method) && takes(m, args) && Modifier.isStatic(m.getModifiers())) {
                try {
                    return m.invoke(null, args);
                } catch (IllegalAccessException | InvocationTargetException e) {
                    throw new AssertionError(type.getName() + "." + method + " failed", e);
                }
            }
        }
        throw new AssertionError(type.getName() + " has no static method " + method);
    }

    private static Method find(Class<?> type, String method, Object[] args) {
        List<Class<?>> candidates = new ArrayList<>();
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            collectInterfaces(c, candidates);
        }
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (Modifier.isPublic(c.getModifiers())) {
                candidates.add(c);
            }
        }
        for (Class<?> c : candidates) {
            for (Method m : c.getMethods()) {
                if (m.getName().equals(method) && takes(m, args)) {
                    return m;
                }
            }
        }
        throw new AssertionError(type.getName() + " has no public method " + method + " taking " + args.length);
    }

    /** Whether {@code m} can be called with {@code args} (overloads differ in their parameter types). */
    private static boolean takes(Method m, Object[] args) {
        Class<?>[] types = m.getParameterTypes();
        if (types.length != args.length) {
            return false;
        }
        for (int i = 0; i < types.length; i++) {
            Class<?> t = types[i].isPrimitive() ? MethodType.methodType(types[i]).wrap().returnType() : types[i];
            if (args[i] != null && !t.isInstance(args[i])) {
                return false;
            }
        }
        return true;
    }

    private static void collectInterfaces(Class<?> type, List<Class<?>> out) {
        for (Class<?> i : type.getInterfaces()) {
            if (Modifier.isPublic(i.getModifiers()) && !out.contains(i)) {
                out.add(i);
            }
            collectInterfaces(i, out);
        }
    }

    /** Stops the framework and waits (bounded) until it has; what it listened on is closed by then. */
    @Override
    public void close() throws BundleException, InterruptedException {
        framework.stop();
        FrameworkEvent stopped = framework.waitForStop(20_000);
        if (stopped.getType() == FrameworkEvent.WAIT_TIMEDOUT) {
            throw new IllegalStateException(name + ": framework did not stop within 20 s");
        }
    }

    @Override
    public String toString() {
        return "FelixNode[" + name + "]";
    }
}
