package io.hyphae.router;

import io.hyphae.spi.concurrent.Scheduler;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** A scheduler that counts what is scheduled on it and hands everything to another. */
final class CountingScheduler implements Scheduler {
    final AtomicInteger scheduled = new AtomicInteger();
    private final Scheduler delegate;

    CountingScheduler(Scheduler delegate) {
        this.delegate = delegate;
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        scheduled.incrementAndGet();
        return delegate.schedule(delay, task);
    }

    @Override
    public void execute(Runnable task) {
        scheduled.incrementAndGet();
        delegate.execute(task);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
