package io.hyphae.router;

import io.hyphae.router.TransportTable.Route;
import io.hyphae.spi.transport.Endpoint;
import io.hyphae.wire.OvertakenDials;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Where one delivery sends: the subscriber's endpoints in order of preference, each over every bound transport of
 * its scheme (endpoints that timed out before, and those whose dial lost a race, go last), the route of the attempt
 * in flight, and a count of attempts so that a late outcome of an earlier one can be told apart. Not thread safe: its
 * {@link PeerDelivery} calls it holding its own lock; it never calls out.
 */
final class Attempts {
    private List<Endpoint> endpoints;
    private List<Endpoint> tried = List.of();
    private Set<Endpoint> slow; // made on the first timeout: most deliveries never see one
    private List<Route> routes = List.of();
    private int routeIndex;
    private Route current;
    private long attempt;

    Attempts(List<Endpoint> endpoints) {
        this.endpoints = endpoints;
    }

    /**
     * Starts a round over the endpoints known now.
     *
     * @return its first route, now the current attempt; null when no bound transport serves any endpoint
     */
    Route begin(TransportTable table, OvertakenDials overtaken) {
        tried = endpoints;
        routes = promisingFirst(table.routes(endpoints), overtaken);
        routeIndex = 0;
        current = routes.isEmpty() ? null : routes.get(0);
        if (current != null) {
            attempt++;
        }
        return current;
    }

    /** The next route of this round whose transport is still bound, now the current attempt; null when none is. */
    Route next(TransportTable table) {
        while (++routeIndex < routes.size()) {
            Route candidate = routes.get(routeIndex);
            if (table.contains(candidate.transport())) { // one may have left since the round began
                current = candidate;
                attempt++;
                return candidate;
            }
        }
        return null;
    }

    /** Whether this round has a route after the current one (its transport may have left since). */
    boolean hasNext() {
        return routeIndex + 1 < routes.size();
    }

    /** The number of the current attempt. */
    long attempt() {
        return attempt;
    }

    /** The route awaiting its outcome; null between rounds and once the peer answered busy. */
    Route current() {
        return current;
    }

    void clearCurrent() {
        current = null;
    }

    /** The endpoints the last round went through. */
    List<Endpoint> tried() {
        return tried;
    }

    /** {@code endpoint} did not answer in time: later rounds try it last. */
    void slow(Endpoint endpoint) {
        if (slow == null) {
            slow = new HashSet<>();
        }
        slow.add(endpoint);
    }

    /**
     * Discovery names these endpoints for the subscriber now.
     *
     * @param lastRoundFailed whether the last round failed on every endpoint
     * @return whether a round over them should start at once: they differ from the ones tried, and the last round
     *         failed, or the attempt in flight went to an endpoint no longer advertised
     */
    boolean moveTo(List<Endpoint> now, boolean lastRoundFailed) {
        endpoints = now;
        if (slow != null) {
            slow.retainAll(now);
        }
        return !now.equals(tried) && (current == null ? lastRoundFailed : !now.contains(current.endpoint()));
    }

    /** {@code all} with the routes to slow and overtaken endpoints moved last, each part in its order. */
    private List<Route> promisingFirst(List<Route> all, OvertakenDials overtaken) {
        List<Route> first = null; // made at the first route that goes last: most rounds have none
        List<Route> last = null;
        for (int i = 0; i < all.size(); i++) {
            Route route = all.get(i);
            Endpoint e = route.endpoint();
            if ((slow != null && slow.contains(e)) || overtaken.contains(e)) {
                if (last == null) {
                    first = new ArrayList<>(all.subList(0, i));
                    last = new ArrayList<>(2);
                }
                last.add(route);
            } else if (first != null) {
                first.add(route);
            }
        }
        if (last == null) {
            return all;
        }
        first.addAll(last);
        return first;
    }
}
