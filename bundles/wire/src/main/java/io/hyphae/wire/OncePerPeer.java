package io.hyphae.wire;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides whether trouble from a peer is the first in its window, so a transport logs it once per peer per window
 * and only counts it otherwise (STYLE 8). Remembers at most {@code maxPeers} peers, forgetting all when full: a
 * flood of new peers then logs again, which is bounded by the flood. Peers are compared by {@code equals} (a node
 * id, or an address for trouble before a peer is known). Thread safe; never calls out.
 */
public final class OncePerPeer {
    private static final Clock STILL = Clock.fixed(Instant.EPOCH, ZoneOffset.UTC);

    private final Clock clock;
    private final long windowMs;
    private final int maxPeers;
    private final Map<Object, Long> lastLoggedMs = new ConcurrentHashMap<>();

    /** Once per {@code window} of {@code clock} for each of at most {@code maxPeers} peers. */
    public OncePerPeer(Clock clock, Duration window, int maxPeers) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.windowMs = window.toMillis();
        this.maxPeers = maxPeers;
    }

    /** Once for each of at most {@code maxPeers} peers, with no window (for a transport without a clock). */
    public static OncePerPeer once(int maxPeers) {
        return new OncePerPeer(STILL, Duration.ofMillis(Long.MAX_VALUE), maxPeers);
    }

    /** Whether this is the first call for {@code peer} in the current window. */
    public boolean firstInWindow(Object peer) {
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
