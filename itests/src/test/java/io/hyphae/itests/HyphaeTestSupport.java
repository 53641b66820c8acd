package io.hyphae.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertNotNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

import javax.inject.Inject;

import org.junit.After;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.Version;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.util.tracker.ServiceTracker;

/**
 * What the Hyphae itests do inside the framework: find bundles, wait for services, read exports. Runs in the probe.
 * Service trackers opened here stay open until the test ends: closing one ungets the service, and SCR then disposes
 * a delayed component under the test's feet.
 */
public abstract class HyphaeTestSupport {
    /** How long a test waits for the framework to settle (SCR activation, ConfigAdmin delivery). */
    protected static final Duration SETTLE = Duration.ofSeconds(10);

    @Inject
    protected BundleContext context;

    private final List<ServiceTracker<?, ?>> trackers = new ArrayList<>();

    @After
    public void closeTrackers() {
        trackers.forEach(ServiceTracker::close);
        trackers.clear();
    }

    /** The installed bundle named {@code symbolicName}, if any. */
    protected Optional<Bundle> findBundle(String symbolicName) {
        return Arrays.stream(context.getBundles())
                .filter(b -> symbolicName.equals(b.getSymbolicName()))
                .findFirst();
    }

    protected Bundle bundle(String symbolicName) {
        return findBundle(symbolicName)
                .orElseThrow(() -> new AssertionError("bundle " + symbolicName + " is not installed"));
    }

    /** "ACTIVE", or the state and, for a bundle that does not start, why (the resolver's message). */
    protected static String describeState(Bundle bundle) {
        String state = stateName(bundle.getState());
        if (bundle.getState() == Bundle.ACTIVE || bundle.getHeaders().get("Fragment-Host") != null) {
            return state;
        }
        try {
            bundle.start(Bundle.START_TRANSIENT);
            return state + " (started on retry)";
        } catch (BundleException e) {
            return state + ": " + e.getMessage();
        }
    }

    protected static String stateName(int state) {
        return switch (state) {
            case Bundle.UNINSTALLED -> "UNINSTALLED";
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.ACTIVE -> "ACTIVE";
            default -> "state " + state;
        };
    }

    /** Package name to version of everything {@code bundle} exports, sorted by name. */
    protected static SortedMap<String, Version> exportedPackages(Bundle bundle) {
        SortedMap<String, Version> exports = new TreeMap<>();
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        for (BundleCapability export : revision.getDeclaredCapabilities(PackageNamespace.PACKAGE_NAMESPACE)) {
            Object name = export.getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE);
            Object version = export.getAttributes().get(PackageNamespace.CAPABILITY_VERSION_ATTRIBUTE);
            exports.put((String) name, (Version) version);
        }
        return exports;
    }

    /**
     * Opens a tracker on {@code type} services matching {@code filter} (may be null), kept open until the test ends.
     */
    protected <S> ServiceTracker<S, S> track(Class<S> type, String filter) {
        String objectClass = "(objectClass=" + type.getName() + ")";
        String full = filter == null ? objectClass : "(&" + objectClass + filter + ")";
        try {
            Filter f = FrameworkUtil.createFilter(full);
            ServiceTracker<S, S> tracker = new ServiceTracker<>(context, f, null);
            tracker.open();
            trackers.add(tracker);
            return tracker;
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("bad service filter " + full, e);
        }
    }

    /** Waits up to {@link #SETTLE} for a {@code type} service matching {@code filter}; the tracker stays open. */
    protected <S> S awaitService(Class<S> type, String filter) {
        ServiceTracker<S, S> tracker = track(type, filter);
        S service = await("a " + type.getSimpleName() + " service " + (filter == null ? "" : filter))
                .atMost(SETTLE)
                .until(tracker::getService, s -> s != null);
        assertNotNull(service);
        return service;
    }

    /** The one registered {@code type} service reference matching {@code filter}, or null. */
    protected <S> ServiceReference<S> reference(Class<S> type, String filter) {
        try {
            var refs = context.getServiceReferences(type, filter);
            return refs.isEmpty() ? null : refs.iterator().next();
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("bad service filter " + filter, e);
        }
    }
}
