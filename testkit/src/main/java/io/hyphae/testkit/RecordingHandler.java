package io.hyphae.testkit;

import io.hyphae.spi.transport.Frame;
import io.hyphae.spi.transport.InboundHandler;
import io.hyphae.spi.transport.Peer;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * An {@link InboundHandler} for tests: takes the frames a predicate accepts, answers requests with a function, and
 * records every request and one-way frame it was given, with the peer it came from. Thread safe.
 */
public final class RecordingHandler implements InboundHandler {
    private final Predicate<Frame> accepts;
    private final BiFunction<Peer, Frame, CompletionStage<? extends Frame>> answer;
    private final List<Received> requests = new CopyOnWriteArrayList<>();
    private final List<Received> messages = new CopyOnWriteArrayList<>();

    public RecordingHandler(Predicate<Frame> accepts, BiFunction<Peer, Frame, CompletionStage<? extends Frame>> answer) {
        this.accepts = Objects.requireNonNull(accepts, "accepts");
        this.answer = Objects.requireNonNull(answer, "answer");
    }

    /** Takes frames of {@code type} and answers requests with {@code answer(request)}, completed at once. */
    public static RecordingHandler answering(Class<? extends Frame> type, Function<Frame, ? extends Frame> answer) {
        return new RecordingHandler(type::isInstance, (peer, frame) -> CompletableFuture.completedFuture(
                answer.apply(frame)));
    }

    /** Takes frames of {@code type}, answers requests with {@code stage}. */
    public static RecordingHandler answeringWith(Class<? extends Frame> type, CompletionStage<? extends Frame> stage) {
        return new RecordingHandler(type::isInstance, (peer, frame) -> stage);
    }

    /** Takes frames of {@code type}; requests are never answered. */
    public static RecordingHandler silent(Class<? extends Frame> type) {
        return answeringWith(type, new CompletableFuture<>());
    }

    @Override
    public boolean accepts(Frame frame) {
        return accepts.test(frame);
    }

    @Override
    public CompletionStage<? extends Frame> onRequest(Peer from, Frame request) {
        requests.add(new Received(from, request));
        return answer.apply(from, request);
    }

    @Override
    public void onMessage(Peer from, Frame message) {
        messages.add(new Received(from, message));
    }

    /** Requests given to this handler, in arrival order. */
    public List<Received> requests() {
        return List.copyOf(requests);
    }

    /** One-way frames given to this handler, in arrival order. */
    public List<Received> messages() {
        return List.copyOf(messages);
    }

    /** Requests and one-way frames given so far. */
    public int received() {
        return requests.size() + messages.size();
    }

    /** A frame and its sender. */
    public record Received(Peer from, Frame frame) {
    }
}
