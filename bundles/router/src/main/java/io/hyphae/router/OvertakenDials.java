package io.hyphae.router;

import io.hyphae.spi.transport.Endpoint;
import java.time.Clock;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Endpoints whose dial lost a race to another endpoint of the same peer: a QoS 0 send went past it after the
 * connection attempt delay, or a QoS 1 retry went elsewhere while it was still dialling. For {@value #FOR_MS} ms
 * (about one default connect timeout), or until a send that waited for that dial got through, rounds that start try
 * such an endpoint last, so that the messages after the first do not wait for the same dial again: where UDP is
 * blocked, a QUIC dial waits out its whole connect timeout. Afterwards it is first again: a dial that failed
 * meanwhile is held down by its transport (a use fails at once, and redials in the background), one still in flight
 * gets raced again. Thread safe, and calls out to nothing, so rounds may ask it holding their lock; {@link #contains}
 * is a read of an empty map on the usual path.
 */
final class OvertakenDials {
    static final long FOR_MS = 5_000;
    /** Entries above which expired ones are swept out at the next add. */
    private static final int SWEEP_ABOVE = 256;

    private record Overtaken(long untilMs) {
    }

    private final ConcurrentHashMap<Endpoint, Overtaken> dials = new ConcurrentHashMap<>();
    private final Clock clock;

    OvertakenDials(Clock clock) {
        this.clock = clock;
    }

    /** {@code endpoint}'s dial lost a race; {@code waiting} is a send that waits for that dial. */
    void add(Endpoint endpoint, CompletionStage<?> waiting) {
        long now = clock.millis();
        if (dials.size() >= SWEEP_ABOVE) {
            dials.values().removeIf(o -> o.untilMs <= now);
        }
        Overtaken entry = new Overtaken(now + FOR_MS);
        dials.put(endpoint, entry);
        waiting.whenComplete((sent, failed) -> {
            if (failed == null) {
                dials.remove(endpoint, entry); // the dial came up after all
            }
        });
    }

    /** Whether {@code endpoint} lost a race within {@value #FOR_MS} ms and no send has got through it since. */
    boolean contains(Endpoint endpoint) {
        if (dials.isEmpty()) {
            return false;
        }
        Overtaken o = dials.get(endpoint);
        if (o == null) {
            return false;
        }
        if (o.untilMs <= clock.millis()) {
            dials.remove(endpoint, o);
            return false;
        }
        return true;
    }
}
