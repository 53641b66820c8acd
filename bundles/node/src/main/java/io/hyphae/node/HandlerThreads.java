package io.hyphae.node;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The executor that runs message handlers: a fixed pool of daemon threads with a bounded queue. */
final class HandlerThreads {
    private HandlerThreads() {
    }

    /**
     * {@code threads} threads named {@code hyphae-node-<n>}; a full queue rejects (the node drops and counts).
     * Shut it down after closing the node.
     */
    static ThreadPoolExecutor create(int threads, int queueCapacity) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queueCapacity), runnable -> {
                    Thread t = new Thread(runnable, "hyphae-node-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }
}
