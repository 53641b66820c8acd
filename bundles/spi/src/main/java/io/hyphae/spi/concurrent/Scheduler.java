package io.hyphae.spi.concurrent;

import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * Runs tasks soon or after a delay. Components take one through their constructor so that tests and simulations can
 * pass {@link VirtualTime}. Tasks of one scheduler made by {@link #single} run one at a time, in order, which makes
 * it a serial executor for the state its owner confines to it.
 */
public interface Scheduler extends Executor, AutoCloseable {

    /** Runs {@code task} after {@code delay}; a zero or negative delay runs it soon. */
    Cancellable schedule(Duration delay, Runnable task);

    /** Runs {@code task} soon. */
    @Override
    void execute(Runnable task);

    /** Stops running tasks; pending ones are dropped. Closing twice is harmless. */
    @Override
    void close();

    /** A scheduler on one daemon thread named {@code threadName}. */
    static Scheduler single(String threadName) {
        return new ThreadScheduler(threadName);
    }

    /** A scheduled task that can be called off. */
    @FunctionalInterface
    interface Cancellable {
        /** Calls the task off if it has not run yet. Cancelling twice is harmless. */
        void cancel();
    }
}
