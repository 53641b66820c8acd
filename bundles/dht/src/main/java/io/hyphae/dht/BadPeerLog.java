package io.hyphae.dht;

import io.hyphae.api.NodeId;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Says whether trouble from a peer should be logged: once per peer per window. Remembers the most recent
 * {@value #PEERS} peers only, so a flood of ids cannot grow it. Thread safe; never calls out under its lock.
 */
final class BadPeerLog {
    static final int PEERS = 256;
    private final Clock clock;
    private final long windowMs;
    private final Map<NodeId, Long> lastLogged = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<NodeId, Long> eldest) {
            return size() > PEERS;
        }
    };

    BadPeerLog(Clock clock, long windowMs) {
        this.clock = clock;
        this.windowMs = windowMs;
    }

    synchronized boolean firstInWindow(NodeId peer) {
        long now = clock.millis();
        Long last = lastLogged.get(peer);
        if (last != null && now - last < windowMs) {
            return false;
        }
        lastLogged.put(peer, now);
        return true;
    }
}
