package io.hyphae.wire;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Which host a socket transport puts in its endpoints. Stateless; any thread. */
public final class AdvertisedHost {
    private static final Logger LOG = LoggerFactory.getLogger(AdvertisedHost.class);

    private AdvertisedHost() {
    }

    /**
     * The configured {@code advertisedHost} when not blank; else the address {@code bound}; else, when bound to the
     * wildcard address, loopback, with a warning naming the configuration {@code pid} (other hosts cannot dial it).
     */
    public static String of(String advertisedHost, String pid, InetSocketAddress bound) {
        if (!advertisedHost.isBlank()) {
            return advertisedHost;
        }
        InetAddress address = bound.getAddress();
        if (!address.isAnyLocalAddress()) {
            return address.getHostAddress();
        }
        LOG.warn("{} binds all interfaces but advertisedHost is not set; advertising {} (local only)",
                pid, InetAddress.getLoopbackAddress().getHostAddress());
        return InetAddress.getLoopbackAddress().getHostAddress();
    }
}
