package io.hyphae.node;

import io.hyphae.api.PublishReceipt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The stage {@code publish} answers. It is completed on whichever thread ends the publication, often a network event
 * loop, yet no continuation runs there: one registered before completion runs on the handler executor (each
 * non-async method here is its async form on {@link #defaultExecutor()}), one registered after runs on the
 * registering thread, as with any completed future. So a receipt nobody listens to costs no handler task, and a
 * caller blocked in {@code get} or {@code join} is woken by the completing thread itself instead of by a handler
 * thread woken first (#6). Derived stages are receipts too, so the rule holds along a chain. A node without handler
 * threads ({@code handlerThreads} 0) runs those continuations on the completing thread itself, as it runs its handlers.
 */
final class Receipt<T> extends CompletableFuture<T> {
    private final Executor handlers;

    Receipt(Executor handlers) {
        this.handlers = handlers;
    }

    /** A receipt of a publication. */
    static Receipt<PublishReceipt> of(Executor handlers) {
        return new Receipt<>(handlers);
    }

    @Override
    public Executor defaultExecutor() {
        return handlers;
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new Receipt<>(handlers);
    }

    @Override
    public CompletionStage<T> minimalCompletionStage() {
        // A minimal stage's own continuations run where it is completed: complete it on the handler executor.
        return isDone() ? super.minimalCompletionStage()
                : ((Receipt<T>) thenApplyAsync(Function.identity())).minimal();
    }

    private CompletionStage<T> minimal() {
        return super.minimalCompletionStage();
    }

    @Override
    public <U> CompletableFuture<U> thenApply(Function<? super T, ? extends U> fn) {
        return isDone() ? super.thenApply(fn) : thenApplyAsync(fn);
    }

    @Override
    public CompletableFuture<Void> thenAccept(Consumer<? super T> action) {
        return isDone() ? super.thenAccept(action) : thenAcceptAsync(action);
    }

    @Override
    public CompletableFuture<Void> thenRun(Runnable action) {
        return isDone() ? super.thenRun(action) : thenRunAsync(action);
    }

    @Override
    public <U, V> CompletableFuture<V> thenCombine(CompletionStage<? extends U> other,
                                                   BiFunction<? super T, ? super U, ? extends V> fn) {
        return thenCombineAsync(other, fn); // the other stage may complete on any thread
    }

    @Override
    public <U> CompletableFuture<Void> thenAcceptBoth(CompletionStage<? extends U> other,
                                                      BiConsumer<? super T, ? super U> action) {
        return thenAcceptBothAsync(other, action);
    }

    @Override
    public CompletableFuture<Void> runAfterBoth(CompletionStage<?> other, Runnable action) {
        return runAfterBothAsync(other, action);
    }

    @Override
    public <U> CompletableFuture<U> applyToEither(CompletionStage<? extends T> other, Function<? super T, U> fn) {
        return applyToEitherAsync(other, fn);
    }

    @Override
    public CompletableFuture<Void> acceptEither(CompletionStage<? extends T> other, Consumer<? super T> action) {
        return acceptEitherAsync(other, action);
    }

    @Override
    public CompletableFuture<Void> runAfterEither(CompletionStage<?> other, Runnable action) {
        return runAfterEitherAsync(other, action);
    }

    @Override
    public <U> CompletableFuture<U> thenCompose(Function<? super T, ? extends CompletionStage<U>> fn) {
        return isDone() ? super.thenCompose(fn) : thenComposeAsync(fn);
    }

    @Override
    public <U> CompletableFuture<U> handle(BiFunction<? super T, Throwable, ? extends U> fn) {
        return isDone() ? super.handle(fn) : handleAsync(fn);
    }

    @Override
    public CompletableFuture<T> whenComplete(BiConsumer<? super T, ? super Throwable> action) {
        return isDone() ? super.whenComplete(action) : whenCompleteAsync(action);
    }

    @Override
    public CompletableFuture<T> exceptionally(Function<Throwable, ? extends T> fn) {
        return isDone() ? super.exceptionally(fn) : exceptionallyAsync(fn);
    }

    @Override
    public CompletableFuture<T> exceptionallyCompose(Function<Throwable, ? extends CompletionStage<T>> fn) {
        return isDone() ? super.exceptionallyCompose(fn) : exceptionallyComposeAsync(fn);
    }
}
