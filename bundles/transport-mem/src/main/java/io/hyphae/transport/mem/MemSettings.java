package io.hyphae.transport.mem;

import java.util.Objects;

/**
 * Settings of a {@link MemTransport} and the network its component owns: where it attaches and what its links do to
 * frames. Holds the defaults the component's configuration refers to.
 *
 * @param host           host name on the virtual network
 * @param port           port on that host, 0..65535
 * @param defaultLink    conditions of every link of the component's network
 */
public record MemSettings(String host, int port, LinkConditions defaultLink) {
    public static final String DEFAULT_HOST = "local";
    public static final int DEFAULT_PORT = 1;
    public static final long DEFAULT_LATENCY_MS = 0;
    public static final long DEFAULT_JITTER_MS = 0;
    public static final double DEFAULT_LOSS_RATE = 0;

    public MemSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(defaultLink, "defaultLink");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("mem port must be 0..65535: " + port);
        }
    }

    /** The defaults. */
    public static MemSettings defaults() {
        return new MemSettings(DEFAULT_HOST, DEFAULT_PORT,
                LinkConditions.ofMillis(DEFAULT_LATENCY_MS, DEFAULT_JITTER_MS).withLossRate(DEFAULT_LOSS_RATE));
    }

    static MemSettings from(MemTransportComponent.Config config) {
        return new MemSettings(config.host(), config.port(),
                LinkConditions.ofMillis(config.latencyMs(), config.jitterMs()).withLossRate(config.lossRate()));
    }
}
