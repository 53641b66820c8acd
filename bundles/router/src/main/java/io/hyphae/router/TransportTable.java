package io.hyphae.router;

import io.hyphae.spi.transport.Endpoint;
import io.hyphae.spi.transport.InboundHandler;
import io.hyphae.spi.transport.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transports bound to the router, in the order they came, each with the registration of the router's inbound
 * handler on it. Thread safe and lock free: reads see a snapshot.
 */
final class TransportTable {
    private static final Logger LOG = LoggerFactory.getLogger(TransportTable.class);
    private final CopyOnWriteArrayList<Bound> bound = new CopyOnWriteArrayList<>();
    /** Counts the changes to {@link #bound}, each after it is made, so that {@link #memo} knows when it is stale. */
    private final AtomicInteger changes = new AtomicInteger();
    /** The routes last asked for: a publisher asks for the same subscriber's, same list, for every message. */
    private volatile Memo memo;

    /** Registers {@code inbound} with {@code transport} and uses it for its scheme. Adding twice is harmless. */
    void add(Transport transport, InboundHandler inbound) {
        Objects.requireNonNull(transport, "transport");
        if (find(transport) != null) {
            return;
        }
        Transport.Registration registration = transport.register(inbound);
        Bound b = new Bound(transport, transport.scheme(), registration);
        if (bound.addIfAbsent(b)) {
            changes.incrementAndGet();
            LOG.info("router uses transport {}", b.scheme);
        } else {
            registration.close();
        }
    }

    /** Stops using {@code transport}; true when it was bound. */
    boolean remove(Transport transport) {
        Bound b = find(transport);
        if (b == null || !bound.remove(b)) {
            return false;
        }
        changes.incrementAndGet();
        b.registration.close();
        LOG.info("router stopped using transport {}", b.scheme);
        return true;
    }

    /** Removes every transport (the router closes). */
    void clear() {
        for (Bound b : bound) {
            remove(b.transport);
        }
    }

    boolean contains(Transport transport) {
        return find(transport) != null;
    }

    /** The first bound transport of {@code scheme}, or null. */
    Transport forScheme(String scheme) {
        for (Bound b : bound) {
            if (b.scheme.equals(scheme)) {
                return b.transport;
            }
        }
        return null;
    }

    /**
     * Every (endpoint, transport) pair that could carry a frame to these endpoints: endpoints in their order of
     * preference, and for each every bound transport of its scheme. An unmodifiable list; asked again for the same
     * list object while no transport came or went, the same answer.
     */
    List<Route> routes(List<Endpoint> endpoints) {
        int now = changes.get(); // read before the routes are: a change made meanwhile makes this answer stale
        Memo last = memo;
        if (last != null && last.endpoints == endpoints && last.changes == now) {
            return last.routes;
        }
        List<Route> routes = List.copyOf(routesNow(endpoints));
        memo = new Memo(endpoints, now, routes);
        return routes;
    }

    private List<Route> routesNow(List<Endpoint> endpoints) {
        List<Route> out = new ArrayList<>(endpoints.size());
        for (Endpoint e : endpoints) {
            for (Bound b : bound) {
                if (b.scheme.equals(e.scheme())) {
                    out.add(new Route(e, b.transport));
                }
            }
        }
        return out;
    }

    int size() {
        return bound.size();
    }

    private Bound find(Transport transport) {
        for (Bound b : bound) {
            if (b.transport == transport) {
                return b;
            }
        }
        return null;
    }

    /** The routes of one endpoint list (the very list object), while the table had seen {@code changes}. */
    private record Memo(List<Endpoint> endpoints, int changes, List<Route> routes) {
    }

    /** One way to a subscriber: an endpoint and a transport that reaches it. */
    record Route(Endpoint endpoint, Transport transport) {
    }

    private record Bound(Transport transport, String scheme, Transport.Registration registration) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Bound other && other.transport == transport;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(transport);
        }
    }
}
