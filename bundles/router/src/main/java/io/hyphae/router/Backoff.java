package io.hyphae.router;

import java.time.Duration;
import java.util.Random;
import java.util.random.RandomGenerator;

/**
 * The QoS 1 retry schedule: {@code initial * multiplier^n}, capped at {@code max}, each delay moved at random by up
 * to {@code jitter} of itself (and still never above the cap), so that many publishers that lost the same peer do not
 * retry in step. Thread safe.
 */
final class Backoff {
    private final long initialMs;
    private final double multiplier;
    private final long maxMs;
    private final double jitter;
    private final Random random;

    /**
     * @param random seeds this schedule's own generator once: jitter needs no cryptographic strength, and the
     *               router's may be a {@code SecureRandom}, too slow to ask once per message; a seeded one still
     *               makes a replayable schedule
     */
    Backoff(RouterSettings settings, RandomGenerator random) {
        this.initialMs = settings.retryInitialMs();
        this.multiplier = settings.retryMultiplier();
        this.maxMs = settings.retryMaxMs();
        this.jitter = settings.retryJitter();
        this.random = new Random(random.nextLong());
    }

    /** The delay before retry {@code retry} (0 for the first retry, after the first send). */
    Duration delay(int retry) {
        return Duration.ofMillis(delayMs(retry));
    }

    /** {@link #delay} in milliseconds, at least 1. */
    long delayMs(int retry) {
        double base = Math.min(maxMs, initialMs * Math.pow(multiplier, Math.min(retry, 64)));
        double jittered = jitter == 0 ? base : base * (1 + jitter * (2 * random.nextDouble() - 1));
        return Math.max(1, Math.round(Math.min(maxMs, jittered)));
    }

    /** No first retry comes sooner than this after the first send, whatever the jitter. */
    long minFirstDelayMs() {
        return Math.max(1, (long) Math.floor(Math.min(maxMs, initialMs * (1 - jitter))));
    }
}
