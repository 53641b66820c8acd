package io.hyphae.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.hyphae.api.NodeId;
import io.hyphae.spi.concurrent.VirtualTime;
import io.hyphae.spi.dht.Contact;
import io.hyphae.spi.transport.Frame;
import io.hyphae.spi.transport.InboundHandler;
import io.hyphae.spi.transport.Peer;
import io.hyphae.spi.transport.RequestTimeoutException;
import io.hyphae.spi.transport.TransportClosedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/** The pieces every transport shares: pending requests, inbound dispatch, once-per-peer logging. */
class TransportPiecesTest {
    private static final NodeId A = node(1);
    private static final NodeId B = node(2);
    private static final Duration DEADLINE = Duration.ofSeconds(5);

    private final VirtualTime time = new VirtualTime();
    private final LongAdder timedOut = new LongAdder();
    private final LongAdder stray = new LongAdder();
    private final PendingRequests pending = new PendingRequests(time, timedOut, stray);

    @Test
    void errorAnswerFailsTheRequestWithItsCode() {
        PendingRequests.Pending request = pending.open(pending.nextId(), B, ping(), DEADLINE);

        assertThat(pending.answer(request.id(), B, new Frames.Error(Frames.Error.Code.UNSUPPORTED, "no"))).isTrue();

        assertThat(request.result()).isCompletedExceptionally();
        Throwable failure = request.result().handle((ok, e) -> e).join();
        assertThat(failure).isInstanceOf(RemoteErrorException.class).hasMessageContaining("UNSUPPORTED");
        assertThat(((RemoteErrorException) failure).code()).isEqualTo(Frames.Error.Code.UNSUPPORTED);
    }

    @Test
    void answerFromAnotherNodeIsStrayAndTheDeadlineStillFails() {
        PendingRequests.Pending request = pending.open(pending.nextId(), B, ping(), DEADLINE);

        assertThat(pending.answer(request.id(), A, ping())).isFalse();
        time.advance(DEADLINE);

        assertThat(stray.sum()).isEqualTo(1);
        assertThat(timedOut.sum()).isEqualTo(1);
        assertThat(request.result().handle((ok, e) -> e).join()).isInstanceOf(RequestTimeoutException.class);
        assertThat(pending.size()).isZero();
    }

    @Test
    void sweptRequestFailsNotBeforeItsDeadlineAndAtMostOneSweepAfterIt() {
        Duration sweepEvery = Duration.ofMillis(10);
        PendingRequests swept = new PendingRequests(time, time.clock(), sweepEvery, timedOut, stray);
        PendingRequests.Pending request = swept.open(swept.nextId(), B, ping(), DEADLINE);

        time.advance(DEADLINE.minusMillis(1));
        assertThat(request.result()).as("a millisecond before its deadline").isNotDone();
        time.advance(sweepEvery.plusMillis(2));

        assertThat(request.result().handle((ok, e) -> e).join()).isInstanceOf(RequestTimeoutException.class)
                .hasMessageContaining("Ping request");
        assertThat(timedOut.sum()).isEqualTo(1);
        assertThat(swept.size()).isZero();
    }

    @Test
    void sweepRunsOnlyWhileRequestsArePending() {
        PendingRequests swept = new PendingRequests(time, time.clock(), Duration.ofMillis(10), timedOut, stray);
        PendingRequests.Pending answered = swept.open(swept.nextId(), B, ping(), DEADLINE);
        assertThat(swept.answer(answered.id(), B, ping())).isTrue();

        time.advance(Duration.ofMillis(50));
        assertThat(time.pending()).as("timers left once nothing is pending").isZero();
        PendingRequests.Pending later = swept.open(swept.nextId(), B, ping(), DEADLINE);
        time.advance(DEADLINE.plusMillis(20));

        assertThat(later.result()).isCompletedExceptionally();
        assertThat(answered.result().join()).isEqualTo(ping());
        assertThat(time.pending()).isZero();
    }

    @Test
    void losingAConnectionFailsOnlyTheRequestsWrittenToIt() {
        Object lost = new Object();
        PendingRequests.Pending onLost = pending.open(pending.nextId(), B, ping(), DEADLINE);
        PendingRequests.Pending elsewhere = pending.open(pending.nextId(), B, ping(), DEADLINE);
        onLost.writtenTo(lost);
        elsewhere.writtenTo(new Object());

        pending.failWrittenTo(lost, () -> new TransportClosedException("gone"));

        assertThat(onLost.result()).isCompletedExceptionally();
        assertThat(elsewhere.result()).isNotDone();
        assertThat(pending.size()).isEqualTo(1);
    }

    @Test
    void requestsGoToTheFirstHandlerThatAcceptsAndAThrowingAcceptsIsPassedOver() {
        LongAdder unsupported = new LongAdder();
        InboundDispatcher inbound = new InboundDispatcher(pending, unsupported, new LongAdder());
        inbound.register(new Answering(frame -> {
            throw new IllegalStateException("accepts fails on purpose");
        }));
        inbound.register(new Answering(frame -> true));
        List<Packet> replies = new ArrayList<>();

        inbound.onPacket(new Peer(A, "test", "here"), Packet.request(7, ping()), replies::add);
        inbound.onPacket(new Peer(A, "test", "here"), Packet.request(8, new Frames.Stored(1)), replies::add);

        assertThat(replies.get(0)).isEqualTo(Packet.response(7, new Frames.Stored(42)));
        assertThat(replies.get(1).frame()).isInstanceOf(Frames.Error.class)
                .extracting(f -> ((Frames.Error) f).code()).isEqualTo(Frames.Error.Code.UNSUPPORTED);
        assertThat(unsupported.sum()).isEqualTo(1);
    }

    @Test
    void longErrorMessagesAreShortenedToFitTheWire() {
        Frames.Error error = InboundDispatcher.errorFrame(Frames.Error.Code.INTERNAL, "x".repeat(10_000));
        assertThat(error.message()).hasSizeLessThan(200).endsWith("...");
    }

    @Test
    void troubleIsFirstOncePerPeerPerWindow() {
        OncePerPeer log = new OncePerPeer(time.clock(), Duration.ofMinutes(1), 10);
        assertThat(log.firstInWindow(A)).isTrue();
        assertThat(log.firstInWindow(A)).isFalse();
        assertThat(log.firstInWindow(B)).isTrue();
        time.advance(Duration.ofMinutes(1));
        assertThat(log.firstInWindow(A)).isTrue();

        OncePerPeer once = OncePerPeer.once(10);
        assertThat(once.firstInWindow(A)).isTrue();
        assertThat(once.firstInWindow(A)).isFalse();
    }

    private static Frames.Ping ping() {
        return new Frames.Ping(new Contact(A, List.of()));
    }

    private static NodeId node(int fill) {
        byte[] bytes = new byte[NodeId.BYTES];
        Arrays.fill(bytes, (byte) fill);
        return NodeId.of(bytes);
    }

    /** Takes Ping requests when {@code accepts} says so, answering Stored(42). */
    private record Answering(java.util.function.Predicate<Frame> accepts) implements InboundHandler {
        @Override
        public boolean accepts(Frame frame) {
            return frame instanceof Frames.Ping && accepts.test(frame);
        }

        @Override
        public CompletionStage<? extends Frame> onRequest(Peer from, Frame request) {
            return CompletableFuture.completedFuture(new Frames.Stored(42));
        }

        @Override
        public void onMessage(Peer from, Frame message) {
        }
    }
}
