package io.hyphae.node;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs submitted tasks one at a time in submission order, on whichever calling thread drains first. Submitting is
 * cheap and safe under a lock (it only enqueues); {@link #drain} must be called with no lock held, so the tasks
 * (calls out to other services) never run under one.
 */
final class SerialRunner {
    private static final Logger LOG = LoggerFactory.getLogger(SerialRunner.class);
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();

    void submit(Runnable task) {
        tasks.add(task);
    }

    /** Runs what is queued unless another thread is already at it (that thread then runs it). */
    void drain() {
        while (!tasks.isEmpty() && draining.compareAndSet(false, true)) {
            try {
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    try {
                        task.run();
                    } catch (RuntimeException e) {
                        LOG.error("node task {} failed", task, e);
                    }
                }
            } finally {
                draining.set(false);
            }
        }
    }
}
