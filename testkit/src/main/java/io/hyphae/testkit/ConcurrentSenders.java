package io.hyphae.testkit;

import static io.hyphae.testkit.ContractFrames.isEchoOf;

import io.hyphae.spi.transport.Frame;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntFunction;

/**
 * Threads that fire tagged requests at once, without waiting for answers, so that sends, deadlines and responses of
 * many requests interleave. Request {@code n} expects the echo of ping {@code n}.
 */
final class ConcurrentSenders {
    private final int senders;
    private final int perSender;
    private final IntFunction<CompletionStage<Frame>> request;
    private final AtomicReferenceArray<CompletableFuture<Frame>> results;
    private final CountDownLatch go = new CountDownLatch(1);
    private final List<Thread> threads = new ArrayList<>();

    ConcurrentSenders(int senders, int perSender, IntFunction<CompletionStage<Frame>> request) {
        this.senders = senders;
        this.perSender = perSender;
        this.request = request;
        this.results = new AtomicReferenceArray<>(senders * perSender);
    }

    /** Starts the sender threads and releases them together. */
    void start() {
        for (int s = 0; s < senders; s++) {
            int first = s * perSender;
            Thread thread = new Thread(() -> send(first), "contract-sender-" + s);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        go.countDown();
    }

    /** Whether every request was sent and has completed. */
    boolean allDone() {
        for (int n = 0; n < results.length(); n++) {
            CompletableFuture<Frame> result = results.get(n);
            if (result == null || !result.isDone()) {
                return false;
            }
        }
        return true;
    }

    /** Waits up to 30 s for every sender to have sent; whether all did. */
    boolean join() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (Thread thread : threads) {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        return threads.stream().noneMatch(Thread::isAlive);
    }

    /** Failures of the requests that failed, one line each. */
    List<String> failures() {
        List<String> failures = new ArrayList<>();
        for (int n = 0; n < results.length(); n++) {
            Outcome<Frame> outcome = Outcome.of(results.get(n));
            if (outcome.failed()) {
                failures.add("request " + n + ": " + outcome.failure());
            }
        }
        return failures;
    }

    /** Requests answered with something other than the echo of their own ping. */
    List<Integer> mismatched() {
        List<Integer> mismatched = new ArrayList<>();
        for (int n = 0; n < results.length(); n++) {
            Outcome<Frame> outcome = Outcome.of(results.get(n));
            if (!outcome.failed() && !isEchoOf(outcome.value(), n)) {
                mismatched.add(n);
            }
        }
        return mismatched;
    }

    private void send(int first) {
        try {
            go.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        for (int n = first; n < first + perSender; n++) {
            CompletableFuture<Frame> result;
            try {
                result = request.apply(n).toCompletableFuture();
            } catch (RuntimeException e) {
                result = CompletableFuture.failedFuture(e);
            }
            results.set(n, result);
        }
    }
}
