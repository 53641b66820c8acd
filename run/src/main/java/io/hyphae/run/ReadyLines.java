package io.hyphae.run;

import io.hyphae.api.NodeId;
import io.hyphae.spi.transport.Endpoint;
import java.util.ArrayList;
import java.util.List;

/**
 * What the launcher prints once the node is up: a first line scripts wait for ({@code node ready}), then one line
 * per endpoint, which is what other nodes pass to {@code --bootstrap}.
 */
final class ReadyLines {
    /** Start of the first line; {@code run/mesh.sh} and the launcher test wait for it. */
    static final String READY = "hyphae: node ready";
    /** Start of each endpoint line. */
    static final String ENDPOINT = "hyphae:   endpoint ";

    private ReadyLines() {
    }

    static List<String> of(NodeId node, String realm, List<Endpoint> endpoints, long uptimeMs, boolean shell) {
        List<String> lines = new ArrayList<>();
        lines.add(READY + " in " + uptimeMs + " ms: node " + node.toHex() + ", realm \"" + realm + "\"");
        endpoints.forEach(e -> lines.add(ENDPOINT + e));
        if (shell) {
            lines.add("hyphae: shell commands: hyphae:subscribe, publish, topics, peers, discover, transports,"
                    + " stats (help hyphae:<command>; exit 0 or Ctrl-D to stop)");
        }
        return lines;
    }
}
