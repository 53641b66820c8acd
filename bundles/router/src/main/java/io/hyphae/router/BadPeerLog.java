package io.hyphae.router;

import io.hyphae.api.NodeId;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decides when trouble from a peer is worth a log line: the first time in each window per peer. Remembers at most
 * {@link #MAX_PEERS} peers, so a flood of forged ids cannot grow it. Thread safe.
 */
final class BadPeerLog {
    static final int MAX_PEERS = 4_096;
    private final long windowMs;
    private final Clock clock;
    private final LinkedHashMap<NodeId, Long> loggedAtMs = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<NodeId, Long> eldest) {
            return size() > MAX_PEERS;
        }
    };

    BadPeerLog(long windowMs, Clock clock) {
        this.windowMs = windowMs;
        this.clock = clock;
    }

    /** True when nothing was logged for {@code peer} within the window; then the caller logs. */
    synchronized boolean firstInWindow(NodeId peer) {
        long now = clock.millis();
        Long last = loggedAtMs.get(peer);
        if (last != null && now - last < windowMs) {
            return false;
        }
        loggedAtMs.put(peer, now);
        return true;
    }
}
