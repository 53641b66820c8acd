package io.hyphae.testkit;

import java.time.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The time half of a {@link TransportFixture} for transports on real threads and sockets (tcp, quic): the wall
 * clock runs by itself, {@link #runUntil} polls the condition every few milliseconds, {@link #letTimePass} parks the
 * test thread. A subclass supplies the nodes.
 */
public abstract class WallClockFixture implements TransportFixture {
    private static final long POLL_MILLIS = 5;
    private final Clock clock = Clock.systemUTC();

    @Override
    public boolean runUntil(BooleanSupplier condition, Duration max) {
        long deadlineNanos = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadlineNanos >= 0 || !pause(POLL_MILLIS)) {
                return condition.getAsBoolean();
            }
        }
        return true;
    }

    @Override
    public void letTimePass(Duration duration) {
        pause(duration.toMillis());
    }

    @Override
    public Clock clock() {
        return clock;
    }

    /** Parks the test thread; false when it was interrupted (the flag is restored). */
    private static boolean pause(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
