package io.hyphae.testkit;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * How a completed stage ended: its value, or the failure it completed with (unwrapped from
 * {@link CompletionException}).
 *
 * @param value   the value, null when it failed
 * @param failure the failure, null when it succeeded
 */
public record Outcome<T>(T value, Throwable failure) {

    /** The outcome of {@code future}, which must be done. */
    public static <T> Outcome<T> of(CompletableFuture<T> future) {
        if (!future.isDone()) {
            throw new IllegalStateException("the future is not done yet");
        }
        return future.handle((value, failure) -> new Outcome<T>(value, unwrap(failure))).join();
    }

    public boolean failed() {
        return failure != null;
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
