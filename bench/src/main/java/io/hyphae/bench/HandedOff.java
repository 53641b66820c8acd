package io.hyphae.bench;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A carrier whose callbacks are moved off the network threads, as a messaging library must move them: each
 * delivery runs on the subscriber's handler thread, each completion on the publisher's, one plain single-thread
 * executor per side. Around raw QUIC it gives the ceiling of a library that does nothing but those two hand-offs,
 * which Hyphae's path makes too (handlers and publish receipts never run on an event loop), next to raw QUIC's
 * ceiling of no hand-off at all.
 */
final class HandedOff implements Carrier {
    private final Carrier inner;
    private final ExecutorService subscriberHandler = single("bench-handoff-subscriber");
    private final ExecutorService publisherHandler = single("bench-handoff-publisher");

    HandedOff(Carrier inner) {
        this.inner = inner;
    }

    @Override
    public String name() {
        return inner.name() + "-handoff";
    }

    @Override
    public String describe() {
        return inner.describe() + "; deliveries and completions on a handler thread per side";
    }

    @Override
    public void receiver(Receiver receiver) {
        inner.receiver(sentNanos -> subscriberHandler.execute(() -> receiver.received(sentNanos)));
    }

    @Override
    public CompletionStage<?> send(byte[] payload) {
        return inner.send(payload).whenCompleteAsync((outcome, failure) -> { }, publisherHandler);
    }

    @Override
    public CompletionStage<?> request(byte[] payload) {
        return inner.request(payload).whenCompleteAsync((outcome, failure) -> { }, publisherHandler);
    }

    @Override
    public boolean acknowledged(Object outcome) {
        return inner.acknowledged(outcome);
    }

    @Override
    public void close() {
        inner.close();
        subscriberHandler.shutdown();
        publisherHandler.shutdown();
        try {
            subscriberHandler.awaitTermination(5, TimeUnit.SECONDS);
            publisherHandler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ExecutorService single(String name) {
        return Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        });
    }
}
