package io.hyphae.transport.quic;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Which host a transport puts in its endpoints. Identical in transport-quic and transport-tcp but for the package. */
final class AdvertisedHost {
    private static final Logger LOG = LoggerFactory.getLogger(AdvertisedHost.class);

    private AdvertisedHost() {
    }

    /** The configured advertised host; else the bound address; else (wildcard) loopback, with a warning. */
    static String of(String advertisedHost, String pid, InetSocketAddress bound) {
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
