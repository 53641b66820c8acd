package io.hyphae.advertisement;

import io.hyphae.api.NodeId;
import io.hyphae.spi.transport.Endpoint;
import io.hyphae.spi.transport.Transport;
import io.hyphae.wire.WireLimits;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transports bound to this node and the endpoints they listen on, preferred first: {@code quic}, {@code tcp},
 * {@code mem}, then other schemes by name; at most {@link WireLimits#MAX_ENDPOINTS}. Thread safe; asks the
 * transports on every call and holds no lock while doing so.
 */
final class LocalEndpoints {
    private static final Logger LOG = LoggerFactory.getLogger(LocalEndpoints.class);
    private static final List<String> PREFERRED = List.of("quic", "tcp", "mem");
    private static final Comparator<Transport> ORDER = Comparator
            .comparingInt((Transport t) -> rank(t.scheme()))
            .thenComparing(Transport::scheme);

    private final NodeId self;
    private final CopyOnWriteArrayList<Transport> transports = new CopyOnWriteArrayList<>();

    LocalEndpoints(NodeId self) {
        this.self = self;
    }

    void add(Transport transport) {
        transports.addIfAbsent(transport);
    }

    boolean remove(Transport transport) {
        return transports.remove(transport);
    }

    /** The endpoints to advertise now; those naming another node than this one are left out. */
    List<Endpoint> current() {
        List<Transport> sorted = new ArrayList<>(transports);
        sorted.sort(ORDER); // stable: transports of one scheme keep their bind order
        Set<Endpoint> out = new LinkedHashSet<>();
        for (Transport transport : sorted) {
            for (Endpoint endpoint : transport.localEndpoints()) {
                if (!endpoint.nodeId().equals(self)) {
                    LOG.warn("transport {} listens on {}, which names another node than {}; not advertised",
                            transport.scheme(), endpoint, self.shortHex());
                } else if (out.size() < WireLimits.MAX_ENDPOINTS) {
                    out.add(endpoint);
                }
            }
        }
        return List.copyOf(out);
    }

    private static int rank(String scheme) {
        int i = PREFERRED.indexOf(scheme);
        return i < 0 ? PREFERRED.size() : i;
    }
}
