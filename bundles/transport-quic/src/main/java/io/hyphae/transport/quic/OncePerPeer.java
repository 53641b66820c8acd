package io.hyphae.transport.quic;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides whether trouble from a peer is the first in its window, so it is logged once per peer per window and only
 * counted otherwise. Remembers at most {@code maxPeers} peers (forgetting all when full: a flood of new peers then
 * logs again, which is bounded by the flood). Thread safe. Identical in transport-quic and transport-tcp but for the
 * package (see #6).
 */
final class OncePerPeer {
    private final Clock clock;
    private final long windowMs;
    private final int maxPeers;
    private final Map<Object, Long> lastLoggedMs = new ConcurrentHashMap<>();

    OncePerPeer(Clock clock, Duration window, int maxPeers) {
        this.clock = clock;
        this.windowMs = window.toMillis();
        this.maxPeers = maxPeers;
    }

    /** Whether this is the first call for {@code peer} in the current window. */
    boolean firstInWindow(Object peer) {
        if (lastLoggedMs.size() >= maxPeers) {
            lastLoggedMs.clear();
        }
        long now = clock.millis();
        boolean[] first = {false};
        lastLoggedMs.compute(peer, (key, last) -> {
            if (last == null || now - last >= windowMs) {
                first[0] = true;
                return now;
            }
            return last;
        });
        return first[0];
    }
}
