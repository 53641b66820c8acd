package io.hyphae.transport.quic;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Which host a transport puts in its endpoints. */
final class AdvertisedHost {
    private static final Logger LOG = LoggerFactory.getLogger(AdvertisedHost.class);

    private AdvertisedHost() {
    }

    /** The configured advertised host; else the bound address; else (wildcard) loopback, with a warning. */
    static String of(QuicSettings settings, InetSocketAddress bound) {
        if (!settings.advertisedHost().isBlank()) {
            return settings.advertisedHost();
        }
        InetAddress address = bound.getAddress();
        if (!address.isAnyLocalAddress()) {
            return address.getHostAddress();
        }
        LOG.warn("{} binds all interfaces but advertisedHost is not set; advertising {} (local only)",
                QuicSettings.PID, InetAddress.getLoopbackAddress().getHostAddress());
        return InetAddress.getLoopbackAddress().getHostAddress();
    }
}
