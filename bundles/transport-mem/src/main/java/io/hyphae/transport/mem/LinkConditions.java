package io.hyphae.transport.mem;

import java.time.Duration;
import java.util.Objects;

/**
 * How a link of a {@link VirtualNetwork} treats each frame: it is lost with probability {@code lossRate}, else
 * delivered after {@code latency} plus a uniformly drawn part of {@code jitter}. Jitter can reorder frames, as a
 * datagram network does. Immutable.
 *
 * @param latency  fixed one-way delay, zero or more
 * @param jitter   largest extra delay, zero or more
 * @param lossRate probability in [0, 1] that a frame is dropped
 */
public record LinkConditions(Duration latency, Duration jitter, double lossRate) {
    /** No delay, no loss. */
    public static final LinkConditions PERFECT = new LinkConditions(Duration.ZERO, Duration.ZERO, 0);

    public LinkConditions {
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(jitter, "jitter");
        if (latency.isNegative()) {
            throw new IllegalArgumentException("link latency must not be negative: " + latency);
        }
        if (jitter.isNegative()) {
            throw new IllegalArgumentException("link jitter must not be negative: " + jitter);
        }
        if (!(lossRate >= 0 && lossRate <= 1)) {
            throw new IllegalArgumentException("link loss rate must be in [0, 1]: " + lossRate);
        }
    }

    /** Latency and jitter in milliseconds, no loss. */
    public static LinkConditions ofMillis(long latencyMs, long jitterMs) {
        return new LinkConditions(Duration.ofMillis(latencyMs), Duration.ofMillis(jitterMs), 0);
    }

    /** The same delays, with {@code rate} loss. */
    public LinkConditions withLossRate(double rate) {
        return new LinkConditions(latency, jitter, rate);
    }
}
