package io.hyphae.run;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The ConfigAdmin properties that {@link LaunchOptions} set, by PID. Only what an option names is set; every other
 * property keeps its component default (or what an {@code etc/<pid>.cfg} says).
 */
final class NodeConfigurations {
    static final String QUIC = "io.hyphae.transport.quic";
    static final String TCP = "io.hyphae.transport.tcp";
    static final String DHT = "io.hyphae.dht";
    static final String NODE = "io.hyphae.node";
    static final String IDENTITY = "io.hyphae.identity";
    /** Name of the key file in the data directory. */
    static final String KEY_FILE = "node.key";

    private NodeConfigurations() {
    }

    /** PID to the properties to merge into its configuration; PIDs without any are absent. */
    static Map<String, Map<String, Object>> of(LaunchOptions o) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        o.port().ifPresent(p -> put(out, QUIC, "port", p));
        o.tcpPort().or(o::port).ifPresent(p -> put(out, TCP, "port", p));
        o.bind().ifPresent(b -> {
            put(out, QUIC, "bindHost", b);
            put(out, TCP, "bindHost", b);
        });
        o.advertise().ifPresent(h -> {
            put(out, QUIC, "advertisedHost", h);
            put(out, TCP, "advertisedHost", h);
        });
        if (!o.bootstrap().isEmpty()) {
            put(out, DHT, "bootstrap", o.bootstrap().toArray(String[]::new));
        }
        o.realm().ifPresent(r -> put(out, NODE, "realm", r));
        o.data().ifPresent(d -> put(out, IDENTITY, "keyFile", d.resolve(KEY_FILE).toAbsolutePath().toString()));
        return out;
    }

    private static void put(Map<String, Map<String, Object>> out, String pid, String key, Object value) {
        out.computeIfAbsent(pid, p -> new TreeMap<>()).put(key, value);
    }
}
