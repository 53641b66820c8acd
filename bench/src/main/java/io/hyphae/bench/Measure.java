package io.hyphae.bench;

import java.lang.management.ManagementFactory;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/** The four measurements of one path and payload size. Runs on the calling thread (the publisher). */
final class Measure {
    private static final long PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(60);

    private Measure() {
    }

    /**
     * Messages per second over {@code count} messages with at most {@code window} unfinished sends, the CPU time the
     * whole process (both sides, every thread) spent per finished message (on a shared box this moves far less than
     * the rate when other processes compete for the cores), and the heap allocated per finished message by every
     * thread (which does not move with the box at all: what a change to the path's code saves shows here first).
     */
    record Rate(long done, long failed, double perSecond, double cpuUsPerMessage, double heapBytesPerMessage) {
    }

    /**
     * QoS 0 ({@code qos1 == false}): sends as fast as the window allows; the rate counts deliveries from the first
     * send to the last delivery. QoS 1: requests; the rate counts acknowledgements up to the last one.
     */
    static Rate throughput(Carrier path, int size, int count, boolean qos1, int window) {
        LongAdder delivered = new LongAdder();
        LongAdder acked = new LongAdder();
        LongAdder failed = new LongAdder();
        AtomicLong lastNanos = new AtomicLong();
        long start = System.nanoTime();
        path.receiver(sent -> {
            if (sent - start < 0) {
                return; // a straggler of the previous measurement (a handler that ran behind its acknowledgement)
            }
            delivered.increment();
            if (!qos1) {
                lastNanos.accumulateAndGet(System.nanoTime(), Math::max);
            }
        });
        Semaphore permits = new Semaphore(window);
        long heapStart = allocatedBytes();
        long cpuStart = processCpuNanos();
        for (int i = 0; i < count; i++) {
            if (!acquire(permits, 1)) {
                failed.add(count - i); // the path stopped answering (a closed connection): count the rest as failed
                break;
            }
            CompletionStage<?> stage;
            try {
                stage = qos1 ? path.request(Carrier.stamped(size)) : path.send(Carrier.stamped(size));
            } catch (RuntimeException e) {
                failed.increment();
                permits.release();
                continue;
            }
            stage.whenComplete((outcome, failure) -> {
                if (failure != null || (qos1 && !path.acknowledged(outcome))) {
                    failed.increment();
                } else if (qos1) {
                    acked.increment();
                    lastNanos.accumulateAndGet(System.nanoTime(), Math::max);
                }
                permits.release();
            });
        }
        LongAdder done = qos1 ? acked : delivered;
        long deadline = System.nanoTime() + PATIENCE_NANOS;
        while (done.sum() + failed.sum() < count && System.nanoTime() < deadline) {
            LockSupport.parkNanos(200_000);
        }
        long cpuNanos = processCpuNanos() - cpuStart;
        long heapBytes = allocatedBytes() - heapStart;
        acquire(permits, window); // every stage finished (or was counted failed), or patience ran out
        path.receiver(Carrier.Receiver.NONE);
        long n = done.sum();
        double seconds = Math.max(1, lastNanos.get() - start) / 1e9;
        return new Rate(n, count - n, n / seconds, n == 0 ? Double.NaN : cpuNanos / 1e3 / n,
                n == 0 || heapStart < 0 ? Double.NaN : (double) heapBytes / n);
    }

    private static boolean acquire(Semaphore permits, int n) {
        try {
            return permits.tryAcquire(n, PATIENCE_NANOS, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** CPU time of this process so far (every thread), in nanoseconds; -1 where the JVM cannot tell. */
    static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }

    /** Heap allocated so far by the threads alive now (all of them), in bytes; -1 where the JVM cannot tell. */
    static long allocatedBytes() {
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads)
                || !threads.isThreadAllocatedMemorySupported() || !threads.isThreadAllocatedMemoryEnabled()) {
            return -1;
        }
        long sum = 0;
        for (long bytes : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
            sum += Math.max(0, bytes); // -1: the thread ended meanwhile
        }
        return sum;
    }

    /** One-way latency of QoS 0 messages sent at {@code perSecond}, measured at the receiver. */
    static Latencies pacedOneWay(Carrier path, int size, int count, int perSecond) {
        Latencies latencies = new Latencies(count);
        long start = System.nanoTime();
        path.receiver(sent -> {
            if (sent - start >= 0) { // not a straggler of the previous measurement
                latencies.record(System.nanoTime() - sent);
            }
        });
        long interval = 1_000_000_000L / perSecond;
        long next = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long wait;
            while ((wait = next - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            path.send(Carrier.stamped(size));
            next += interval;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (latencies.count() < count && System.nanoTime() < deadline) {
            LockSupport.parkNanos(1_000_000);
        }
        path.receiver(Carrier.Receiver.NONE);
        return latencies;
    }

    /** Round trip of QoS 1 messages, one at a time: send until acknowledged. */
    static Latencies roundTrips(Carrier path, int size, int count) throws Exception {
        Latencies latencies = new Latencies(count);
        path.receiver(Carrier.Receiver.NONE);
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            Object outcome = path.request(Carrier.stamped(size)).toCompletableFuture().get(30, TimeUnit.SECONDS);
            latencies.record(System.nanoTime() - start);
            if (!path.acknowledged(outcome)) {
                throw new IllegalStateException(path.name() + ": not acknowledged: " + outcome);
            }
        }
        return latencies;
    }
}
