package io.hyphae.spi.stats;

import java.util.SortedMap;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A module's counters. Registered as a service by each module (DHT, router, discovery, advertisement, transports)
 * so that {@code hyphae:stats} and monitoring read them without importing private packages. Thread safe and cheap:
 * a snapshot reads counters, it never waits.
 */
@ConsumerType
public interface StatsSource {
    /** The module, e.g. {@code dht}; counter names start with it. */
    String module();

    /** Counter name (e.g. {@code router.qos1.retries}) to its current value, sorted by name. */
    SortedMap<String, Long> snapshot();
}
