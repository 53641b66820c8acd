package io.hyphae.discovery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Says yes to the first event of each key within a window, so that trouble from a peer is logged once per window
 * while it is counted every time. Holds at most {@code maxKeys} keys (forgetting all when full, which at worst logs
 * once more). Thread safe.
 */
final class OncePerWindow<K> {
    private final Clock clock;
    private final Duration window;
    private final int maxKeys;
    private final Map<K, Instant> last = new HashMap<>();

    OncePerWindow(Clock clock, Duration window, int maxKeys) {
        this.clock = clock;
        this.window = window;
        this.maxKeys = maxKeys;
    }

    synchronized boolean firstInWindow(K key) {
        Instant now = clock.instant();
        Instant previous = last.get(key);
        if (previous != null && now.isBefore(previous.plus(window))) {
            return false;
        }
        if (last.size() >= maxKeys) {
            last.clear();
        }
        last.put(key, now);
        return true;
    }
}
