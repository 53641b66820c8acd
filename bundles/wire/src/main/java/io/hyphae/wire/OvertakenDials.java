package io.hyphae.wire;

import io.hyphae.spi.transport.Endpoint;
import java.time.Clock;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Endpoints whose dial lost a race to another endpoint of the same peer: a frame or request went past it after
 * {@link io.hyphae.spi.transport.Transport#CONNECTION_ATTEMPT_DELAY}, or a QoS 1 retry went elsewhere while it was
 * still dialling. For {@value #FOR_MS} ms (about one default connect timeout), or until a use that waited for that
 * dial got through, a caller choosing among a peer's endpoints tries such an endpoint last, so that the frames after
 * the first do not wait for the same dial again: where UDP is blocked, a QUIC dial waits out its whole connect
 * timeout. Afterwards it is first again: a dial that failed meanwhile is held down by its transport (a use fails at
 * once, and redials in the background), one still in flight gets raced again. The router and the DHT keep one each.
 *
 * <p>Thread safe, and calls out to nothing, so a caller may ask it holding its own lock; {@link #contains} is a read
 * of an empty map on the usual path.
 *
 * @since 1.4
 */
public final class OvertakenDials {
    /** How long an endpoint whose dial lost a race is tried last. */
    public static final long FOR_MS = 5_000;
    /** Entries above which expired ones are swept out at the next add. */
    private static final int SWEEP_ABOVE = 256;

    /** One race lost; compared by identity, so that a late end of an earlier race does not remove a newer one. */
    private static final class Overtaken {
        final long untilMs;

        Overtaken(long untilMs) {
            this.untilMs = untilMs;
        }
    }

    private final ConcurrentHashMap<Endpoint, Overtaken> dials = new ConcurrentHashMap<>();
    private final Clock clock;

    /** Entries expire on {@code clock}. */
    public OvertakenDials(Clock clock) {
        this.clock = clock;
    }

    /** {@code endpoint}'s dial lost a race; {@code waiting} is a send or request that waits for that dial. */
    public void add(Endpoint endpoint, CompletionStage<?> waiting) {
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
    public boolean contains(Endpoint endpoint) {
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

    /** Entries held, expired ones not swept yet included. */
    int size() {
        return dials.size();
    }
}
