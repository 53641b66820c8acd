package io.hyphae.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

class ReceiptTest {
    private final List<Runnable> handlerTasks = new ArrayList<>();
    private final Executor handlers = handlerTasks::add;
    private final List<String> ran = new ArrayList<>();

    private void runHandlers() {
        while (!handlerTasks.isEmpty()) {
            handlerTasks.remove(0).run();
        }
    }

    @Test
    void continuationsRegisteredBeforeCompletionRunOnTheHandlerExecutorNotOnTheCompletingThread() {
        Receipt<String> receipt = new Receipt<>(handlers);
        receipt.thenAccept(v -> ran.add("accept " + v));
        receipt.whenComplete((v, e) -> ran.add("when " + v));
        receipt.handle((v, e) -> ran.add("handle " + v));
        receipt.thenApply(v -> v + "!").thenAccept(v -> ran.add("chain " + v));
        receipt.thenCompose(v -> CompletableFuture.completedFuture(v)).thenRun(() -> ran.add("compose"));
        receipt.thenCombine(CompletableFuture.completedFuture(1), (a, b) -> ran.add("combine " + a + b));
        receipt.minimalCompletionStage().thenRun(() -> ran.add("minimal"));

        receipt.complete("ok"); // as a transport thread would
        assertThat(ran).as("nothing ran on the completing thread").isEmpty();
        runHandlers();
        assertThat(ran).containsExactlyInAnyOrder("accept ok", "when ok", "handle ok", "chain ok!", "compose",
                "combine ok1", "minimal");
    }

    @Test
    void failuresReachTheirContinuationsOnTheHandlerExecutorToo() {
        Receipt<String> receipt = new Receipt<>(handlers);
        receipt.exceptionally(e -> {
            ran.add("exceptionally " + e.getMessage());
            return null;
        });
        receipt.completeExceptionally(new IllegalStateException("closed"));
        assertThat(ran).isEmpty();
        runHandlers();
        assertThat(ran).containsExactly("exceptionally closed");
    }

    @Test
    void aReceiptNobodyListensToCostsNoHandlerTaskAndAWaiterIsWokenDirectly() {
        Receipt<String> receipt = new Receipt<>(handlers);
        receipt.complete("ok");
        assertThat(handlerTasks).isEmpty();
        assertThat(receipt.join()).isEqualTo("ok");
    }

    @Test
    void continuationRegisteredAfterCompletionRunsOnTheRegisteringThread() {
        Receipt<String> receipt = new Receipt<>(handlers);
        receipt.complete("ok");
        CompletionStage<Boolean> handled = receipt.handle((v, e) -> ran.add("late " + v));
        assertThat(ran).containsExactly("late ok");
        assertThat(handled.toCompletableFuture()).isCompletedWithValue(true);
        assertThat(handlerTasks).isEmpty();
    }
}
