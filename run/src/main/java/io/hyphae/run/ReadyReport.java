package io.hyphae.run;

import io.hyphae.api.PubSub;
import io.hyphae.spi.transport.Endpoint;
import io.hyphae.spi.transport.Transport;
import java.lang.management.ManagementFactory;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.apache.felix.service.command.CommandProcessor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.runtime.ServiceComponentRuntime;

/**
 * Prints {@link ReadyLines} once: when the node's PubSub service is up and every installed transport bundle has
 * registered a listening transport; then, without a terminal, starts {@link StdinCommands} once Gogo is there.
 * Binds happen on the registering bundle's thread; printing a few lines there is cheap.
 *
 * <p>Until then it also watches SCR for a Hyphae component that failed to activate (a port already taken): the
 * launcher then says why in one line and exits with status 1, instead of waiting forever for a transport.
 */
@Component(immediate = true)
public final class ReadyReport {
    private static final String TRANSPORT_BUNDLE_PREFIX = "io.hyphae.transport.";
    private static final long WATCH_INTERVAL_MS = 250;
    static final int EXIT_START_FAILED = 1;

    private final BundleContext context;
    private final ServiceComponentRuntime runtime;
    private final ScheduledExecutorService watch;
    private final List<Transport> transports = new CopyOnWriteArrayList<>();
    private final AtomicBoolean printed = new AtomicBoolean();
    private final AtomicBoolean reading = new AtomicBoolean();
    private volatile PubSub node;
    private volatile CommandProcessor processor;
    private volatile StdinCommands stdin;

    @Activate
    public ReadyReport(BundleContext context, @Reference ServiceComponentRuntime runtime) {
        this.context = context;
        this.runtime = runtime;
        this.watch = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hyphae-run-startup-watch");
            t.setDaemon(true);
            return t;
        });
        watch.scheduleWithFixedDelay(this::watchForFailure, WATCH_INTERVAL_MS, WATCH_INTERVAL_MS,
                TimeUnit.MILLISECONDS);
    }

    private void watchForFailure() {
        if (printed.get()) {
            watch.shutdown();
            return;
        }
        Optional<String> failure = StartupFailure.find(runtime);
        if (failure.isPresent()) {
            watch.shutdown();
            System.err.println("hyphae: cannot start " + failure.get());
            Launch.exitSoon(EXIT_START_FAILED);
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindNode(PubSub node) {
        this.node = node;
        check();
    }

    void unbindNode(PubSub node) {
        if (this.node == node) {
            this.node = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindProcessor(CommandProcessor processor) {
        this.processor = processor;
        startReading();
    }

    void unbindProcessor(CommandProcessor processor) {
        if (this.processor == processor) {
            this.processor = null;
        }
    }

    @Deactivate
    void deactivate() {
        watch.shutdownNow();
        StdinCommands s = stdin;
        if (s != null) {
            s.close();
        }
    }

    private void startReading() {
        CommandProcessor p = processor;
        if (p != null && printed.get() && Boolean.getBoolean(StdinCommands.ENABLED)
                && reading.compareAndSet(false, true)) {
            stdin = new StdinCommands(p);
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addTransport(Transport transport) {
        transports.add(transport);
        check();
    }

    void removeTransport(Transport transport) {
        transports.remove(transport);
    }

    private void check() {
        PubSub n = node;
        if (n == null || printed.get() || transports.size() < expectedTransports()) {
            return;
        }
        List<Endpoint> endpoints = transports.stream()
                .sorted(Comparator.comparing(Transport::scheme))
                .flatMap(t -> t.localEndpoints().stream())
                .toList();
        if (endpoints.isEmpty() || !printed.compareAndSet(false, true)) {
            return;
        }
        boolean shell = false;
        for (Bundle b : context.getBundles()) {
            shell |= Launch.GOGO_SHELL_BSN.equals(b.getSymbolicName()) && b.getState() == Bundle.ACTIVE;
        }
        ReadyLines.of(n.nodeId(), n.realm(), endpoints, ManagementFactory.getRuntimeMXBean().getUptime(), shell)
                .forEach(System.out::println);
        startReading();
    }

    /** Transport bundles (not fragments) that are starting or active: each will register one transport. */
    private int expectedTransports() {
        int expected = 0;
        for (Bundle b : context.getBundles()) {
            String bsn = b.getSymbolicName();
            boolean fragment = b.getHeaders("").get(Constants.FRAGMENT_HOST) != null;
            if (bsn != null && bsn.startsWith(TRANSPORT_BUNDLE_PREFIX) && !fragment
                    && (b.getState() & (Bundle.STARTING | Bundle.ACTIVE)) != 0) {
                expected++;
            }
        }
        return expected;
    }
}
