package io.hyphae.testkit;

import static io.hyphae.testkit.ContractFrames.echo;
import static io.hyphae.testkit.ContractFrames.isEchoOf;
import static io.hyphae.testkit.ContractFrames.ping;
import static io.hyphae.testkit.ContractFrames.route;
import static io.hyphae.testkit.ContractFrames.tag;
import static org.assertj.core.api.Assertions.assertThat;

import io.hyphae.api.MessageId;
import io.hyphae.spi.transport.Frame;
import io.hyphae.spi.transport.Peer;
import io.hyphae.spi.transport.RequestTimeoutException;
import io.hyphae.spi.transport.Transport;
import io.hyphae.spi.transport.TransportClosedException;
import io.hyphae.spi.transport.TransportException;
import io.hyphae.spi.transport.UnreachablePeerException;
import io.hyphae.testkit.TransportFixture.Node;
import io.hyphae.wire.Frames;
import io.hyphae.wire.RemoteErrorException;
import io.hyphae.wire.WireException;
import io.hyphae.wire.WireLimits;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Transport} must do. A transport's test extends this class and supplies a
 * {@link TransportFixture}; every test here then runs against it. The rules, beyond the {@link Transport} javadoc:
 * <ol>
 * <li>A request is answered by the first registered handler that accepts it; the response completes the stage.</li>
 * <li>A request without a response fails with {@link RequestTimeoutException}, not before its deadline; an answer
 *     that comes later is dropped and harms nothing.</li>
 * <li>An error answer (no handler accepts the request: {@code UNSUPPORTED}; the handler threw or its stage failed:
 *     {@code INTERNAL}) fails the stage with a {@link RemoteErrorException} of that code, named in its message. The
 *     transport keeps working.</li>
 * <li>An endpoint where nobody listens, or whose node is not the node the endpoint names, fails requests and sends
 *     with {@link UnreachablePeerException}, and within {@link #PATIENCE}, well before a {@link #DEADLINE}: a
 *     transport finds out that nobody is there (connection refused, handshake timeout) rather than letting the
 *     request run into its deadline. A frame to the wrong node never reaches a handler.</li>
 * <li>A node may be reached at any endpoint that names it: a request to its live endpoint is not held up by one to
 *     an endpoint of the same node where nobody answers any more (its transport restarted on another port).</li>
 * <li>A frame within {@link WireLimits} goes through; one above is refused at send: the stage fails with a
 *     {@link TransportException} caused by the codec's {@link WireException}, and nothing is sent.</li>
 * <li>The {@link Peer} given to a handler carries the sender's node id and the transport's scheme.</li>
 * <li>A thousand requests may be in flight at once; each gets its own answer.</li>
 * <li>Closing fails pending requests with {@link TransportClosedException}, so do later requests and sends;
 *     closing twice is harmless; a closed transport lists no endpoints and is unreachable for others.</li>
 * </ol>
 */
public abstract class TransportContract {
    /** Deadline of requests that must not time out. */
    protected static final Duration DEADLINE = Duration.ofSeconds(60);
    /** How long the contract waits for an outcome that must come. */
    protected static final Duration PATIENCE = Duration.ofSeconds(40);
    private static final int SENDERS = 8;
    private static final int REQUESTS_PER_SENDER = 200;
    private static final int IN_FLIGHT = 1000;

    private TransportFixture fixture;

    /** A fresh fixture for one test. */
    protected abstract TransportFixture createFixture();

    @BeforeEach
    void createTheFixture() {
        fixture = createFixture();
    }

    @AfterEach
    void closeTheFixture() {
        fixture.close();
    }

    /** The fixture of the running test. */
    protected final TransportFixture fixture() {
        return fixture;
    }

    @Test
    void requestIsAnsweredByTheHandlerOfTheRemoteNode() {
        Node a = fixture.newNode();
        Node b = fixture.newNode();
        RecordingHandler echo = RecordingHandler.answering(Frames.Ping.class, ContractFrames::echo);
        b.transport().register(echo);

        Outcome<Frame> outcome = await(a.transport().request(b.endpoint(), ping(1), DEADLINE));

        assertThat(outcome.failure()).isNull();
        assertThat(isEchoOf(outcome.value(), 1)).as("response %s echoes ping 1", outcome.value()).isTrue();
        assertThat(echo.requests()).extracting(RecordingHandler.Received::frame).containsExactly(ping(1));
    }

    @Test
    void bothNodesAreConnectedToEachOtherOnceARequestWasAnswered() {
        Node a = fixture.newNode();
        Node b = fixture.newNode();
        b.transport().register(RecordingHandler.answering(Frames.Ping.class, ContractFrames::echo));

        assertThat(await(a.transport().request(b.endpoint(), ping(1), DEADLINE)).failure()).isNull();

        assertThat(a.transport().connectedTo(b.endpoint())).as("the dialling side").isTrue();
        assertThat(b.transport().connectedTo(a.endpoint())).as("the side that accepted").isTrue();
    }

    @Test
    void localEndpointsNameTheNodeAndTheScheme() {
        Node a = fixture.newNode();
        assertThat(a.transport().localEndpoints()).contains(a.endpoint());
        assertThat(a.endpoint().scheme()).isEqualTo(a.transport().scheme());
        assertThat(fixture.newNode().nodeId()).isNotEqualTo(a.nodeId());
    }

    @Test
    void requestWithoutAnswerFailsWithRequestTimeoutAtItsDeadline() {
        Node a = fixture.newNode();
        Node b = fixture.newNode();
        CompletableFuture<Frame> answerTooLate = new CompletableFuture<>();
        b.transport().register(RecordingHandler.answeringWith(Frames.Ping.class, answerTooLate));
        Duration deadline = Duration.ofMillis(500);
        Instant sentAt = fixture.clock().instant();
        CompletableFuture<Frame> request = a.transport().request(b.endpoint(), ping(1), deadline)
                .toCompletableFuture();
        // A stage of its own: join() on the request may return before a continuation of it has run.
        CompletableFuture<Instant> failedAt = request.handle((response, failure) -> fixture.clock().instant());
        fixture.letTimePass(Duration.ofMillis(200));
        assertThat(request).as("request before its deadline").isNotDone();
        Outcome<Frame> outcome = await(request);

        assertThat(outcome.failure()).isInstanceOf(RequestTimeoutException.class);
        assertThat(Duration.between(sentAt, await(failedAt).value())).isGreaterThanOrEqualTo(deadline);
        answerTooLate.complete(echo(ping(1)));
        fixture.letTimePass(Duration.ofMillis(200));
        assertThat(isEchoOf(await(a.transport().request(b.endpoint(), ping(2), DEADLINE)).value(), 1))
                .as("the transport still answers after a late response").isTrue();
    }

    @Test
    void oneWaySendReachesTheHandler() {
        Node a = fixture.newNode();
        Node b = fixture.newNode();
        RecordingHandler routes = RecordingHandler.silent(Frames.Route.class);
        b.transport().register(routes);
        Frames.Route route = route(100, a.nodeId());

        Outcome<Void> sent = await(a.transport().send(b.endpoint(), route));

        assertThat(sent.failure()).isNull();
        awaitCondition(() -> routes.messages().size() == 1, "the route arrives");
        assertThat(routes.messages().get(0).frame()).isEqualTo(route);
        assertThat(routes.requests()).isEmpty();
    }

    @Test
    void oneWaySendWithACallbackIsToldOnceThatItWentOrWhyNot() {
        Node a = fixture.newNode();
        Node b = fixture.newNode();
        RecordingHandler routes = RecordingHandler.silent(Frames.Route.class);
        b.transport().register(routes);
        List<Object> told = new CopyOnWriteArrayList<>();
        BiConsumer<Void, Throwable> tell = (ok, failure) -> told.add(failure == null ? "sent" : failure);

        a.transport().send(b.endpoint(), route(100, a.nodeId()), tell);
        awaitCondition(() -> routes.messages().size() == 1 && told.size() == 1, "the route arrives, told sent");
        assertThat(told).containsExactly("sent");

        a.transport().send(fixture.deadEndpoint(tag(9)), route(1, a.nodeId()), tell);
        awaitCondition(() -> told.size() == 2, "the send to nobody is told its failure");
        assertThat(told.get(1)).isInstanceOf(UnreachablePeerException.class);

        fixture.closeTransport(a);
        a.transport().send(b.endpoint(), route(1, a.nodeId()), tell);
        awaitCondition(() -> told.size() == 3, "the send after close is told its failure");
        assertThat(told.get(2)).isInstanceOf(TransportClosedException.class);
        fixture.letTimePass(Duration.ofMillis(200));
        assertThat(told).as("each told once").hasSize(3);
        assertThat(routes.messages()).hasSize(1);
    }

    /**
     * A connection that shortens what repeats from route to route (realm, topic, publisher; an id numbered after the
     * one before, a time close to it) must restore it.
     */
    @Test
    void routesOfManyTopicsRealmsAndPublishersArriveAsSent() {
        Node a = fixture.newNode();
        Node b = fixture.newNode();
        RecordingHandler routes = RecordingHandler.silent(Frames.Route.class);
        b.transport().register(routes);
        List<Frames.Route> sent = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            Frames.Route base = route(i, i % 4 == 0 ? b.nodeId() : a.nodeId());
            MessageId id = i % 9 == 8 ? MessageId.random(new SplittableRandom(i)) : MessageId.ofSequence(11, i + i / 20);
            Frames.Route route = new Frames.Route(id, i % 5 == 0 ? "lab" : base.realm(),
                    io.hyphae.api.Topic.of("contract.t" + (i % 7)), base.payload(), base.qos(), base.publisher(),
                    base.publishedAt().plusMillis(i), i % 2);
            sent.add(route);
            assertThat(await(a.transport().send(b.endpoint(), route)).failure()).isNull();
        }

        awaitCondition(() -> routes.messages().size() == sent.size(), "every route arrives");
        assertThat(routes.messages()).extracting(m -> m.frame()).containsExactlyInAnyOrderElementsOf(sent);
    }

    @Test
    void peerGivenToTheHandlerCarriesTheSendersNodeIdAndScheme() {
        Node a = fixture.newNode();
        Node b = fixture.newNode();
        RecordingHandler handler = new RecordingHandler(frame -> true,
                (peer, frame) -> CompletableFuture.completedFuture(echo(frame)));
        b.transport().register(handler);

        await(a.transport().send(b.endpoint(), route(1, a.nodeId())));
        await(a.transport().request(b.endpoint(), ping(1), DEADLINE));
        awaitCondition(() -> handler.received() == 2, "the route and the ping arrive");

        List<Peer> peers = List.of(handler.messages().get(0).from(), handler.requests().get(0).from());
        assertThat(peers).extracting(Peer::nodeId).containsOnly(a.nodeId());
        assertThat(peers).extracting(Peer::scheme).containsOnly(b.transport().scheme());
    }

    @Test
    void requestAndSendToAnEndpointWhereNobodyListensFailUnreachable() {
        Node a = fixture.newNode();
        var dead = fixture.deadEndpoint(tag(9));

        assertThat(await(a.transport().request(dead, ping(1), DEADLINE)).failure())
                .isInstanceOf(UnreachablePeerException.class);
        assertThat(await(a.transport().send(dead, route(1, a.nodeId()))).failure())
                .isInstanceOf(UnreachablePeerException.class);
    }

    @Test
    void aNodeThatMovedIsReachedAtItsNewEndpointWhileADialToItsOldOneIsInFlight() {
        Node a = fixture.newNode();
        Node b = fixture.newNode();
        b.transport().register(RecordingHandler.answering(Frames.Ping.class, ContractFrames::echo));
        var old = fixture.deadEndpoint(b.nodeId()); // where b listened before its transport restarted elsewhere
        CompletionStage<Frame> toOld = a.transport().request(old, ping(1), DEADLINE);

        Outcome<Frame> toNew = await(a.transport().request(b.endpoint(), ping(2), DEADLINE));

        assertThat(toNew.failure()).as("request to b's new endpoint").isNull();
        assertThat(isEchoOf(toNew.value(), 2)).as("response %s echoes ping 2", toNew.value()).isTrue();
        Outcome<Frame> atOld = await(toOld);
        assertThat(atOld.failure() == null ? isEchoOf(atOld.value(), 1)
                : atOld.failure() instanceof UnreachablePeerException)
                .as("the request to the old endpoint was answered by b or failed unreachable: %s", atOld).isTrue();
    }

    @Test
    void requestToAClosedNodeFailsUnreachable() {
        Node a = fixture.newNode();
        Node b = fixture.newNode();
        b.transport().register(RecordingHandler.answering(Frames.Ping.class, ContractFrames::echo));
        assertThat(await(a.transport().request(b.endpoint(), ping(1), DEADLINE)).failure()).isNull();

        fixture.closeTransport(b);

        assertThat(await(a.transport().request(b.endpoint(), ping(2), DEADLINE)).failure())
                .isInstanceOf(UnreachablePeerException.class);
    }

    @Test
    void endpointNamingAnotherNodeIsRefused() {
        Node a = fixture.newNode();
        Node b = fixture.newNode();
        RecordingHandler handler = new RecordingHandler(frame -> true,
                (peer, frame) -> CompletableFuture.completedFuture(echo(frame)));
        b.transport().register(handler);
        var impostor = b.endpoint().withNodeId(tag(9));

        assertThat(await(a.transport().request(impostor, ping(1), DEADLINE)).failure())
                .isInstanceOf(UnreachablePeerException.class);
        assertThat(await(a.transport().send(impostor, route(1, a.nodeId()))).failure())
                .isInstanceOf(UnreachablePeerException.class);
        fixture.letTimePass(Duration.ofMillis(500));
        assertThat(handler.received()).as("frames that reached the handler").isZero();
    }

    @Test
    void frameAtTheWireLimitsGoesThroughAndOneAboveIsRefusedAtSend() {
        Node a = fixture.newNode();
        Node b = fixture.newNode();
        RecordingHandler routes = RecordingHandler.silent(Frames.Route.class);
        b.transport().register(routes);
        assertThat(a.transport().maxFrameBytes()).isGreaterThanOrEqualTo(WireLimits.MAX_FRAME_BYTES);

        Outcome<Void> largest = await(a.transport().send(b.endpoint(), route(WireLimits.MAX_PAYLOAD_BYTES,
                a.nodeId())));
        Outcome<Void> tooLarge = await(a.transport().send(b.endpoint(), route(WireLimits.MAX_PAYLOAD_BYTES + 1,
                a.nodeId())));

        assertThat(largest.failure()).isNull();
        assertThat(tooLarge.failure()).isInstanceOf(TransportException.class).hasCauseInstanceOf(WireException.class);
        awaitCondition(() -> routes.messages().size() == 1, "the largest route arrives");
        fixture.letTimePass(Duration.ofMillis(500));
        assertThat(routes.messages()).hasSize(1);
        assertThat(((Frames.Route) routes.messages().get(0).frame()).payloadSize())
                .isEqualTo(WireLimits.MAX_PAYLOAD_BYTES);
    }

    @Test
    void responsesAreMatchedToTheirRequestsUnderConcurrentSenders() throws InterruptedException {
        Node a = fixture.newNode();
        Node b = fixture.newNode();
        b.transport().register(RecordingHandler.answering(Frames.Ping.class, ContractFrames::echo));

        ConcurrentSenders senders = new ConcurrentSenders(SENDERS, REQUESTS_PER_SENDER,
                n -> a.transport().request(b.endpoint(), ping(n), DEADLINE));
        senders.start();
        // every request is sent before time is let pass: a virtual clock would otherwise run out the patience while
        // sender threads the machine has not scheduled yet still wait to send (seen on a loaded 2-core build)
        assertThat(senders.join()).as("sender threads finished sending").isTrue();
        awaitCondition(senders::allDone, SENDERS * REQUESTS_PER_SENDER + " requests answered");

        assertThat(senders.failures()).isEmpty();
        assertThat(senders.mismatched()).as("responses that do not echo their request").isEmpty();
    }

    @Test
    void aThousandRequestsInFlightAtOnceAreAllAnsweredAndMatched() {
        Node a = fixture.newNode();
        Node b = fixture.newNode();
        Queue<Runnable> held = new ConcurrentLinkedQueue<>();
        AtomicInteger arrived = new AtomicInteger();
        b.transport().register(new RecordingHandler(frame -> frame instanceof Frames.Ping, (peer, frame) -> {
            CompletableFuture<Frame> answer = new CompletableFuture<>();
            held.add(() -> answer.complete(echo(frame)));
            if (arrived.incrementAndGet() == IN_FLIGHT) {
                held.forEach(Runnable::run); // answered only once every request is in flight
            }
            return answer;
        }));
        List<CompletableFuture<Frame>> answers = new ArrayList<>();

        for (int i = 0; i < IN_FLIGHT; i++) {
            answers.add(a.transport().request(b.endpoint(), ping(i), DEADLINE).toCompletableFuture());
        }
        awaitCondition(() -> answers.stream().allMatch(CompletableFuture::isDone), IN_FLIGHT + " requests answered");

        for (int i = 0; i < IN_FLIGHT; i++) {
            Outcome<Frame> outcome = Outcome.of(answers.get(i));
            assertThat(outcome.failure()).as("failure of request %d", i).isNull();
            assertThat(isEchoOf(outcome.value(), i)).as("request %d answered by its echo: %s", i, outcome.value())
                    .isTrue();
        }
    }

    @Test
    void handlerThatThrowsGivesTheRequesterAnErrorAndTheTransportKeepsWorking() {
        Node a = fixture.newNode();
        Node b = fixture.newNode();
        b.transport().register(new RecordingHandler(frame -> frame instanceof Frames.Ping, (peer, frame) -> {
            throw new IllegalStateException("handler failure on purpose");
        }));
        b.transport().register(RecordingHandler.answering(Frames.Stored.class, frame -> frame));

        assertRemoteError(await(a.transport().request(b.endpoint(), ping(1), DEADLINE)), Frames.Error.Code.INTERNAL);
        assertThat(await(a.transport().request(b.endpoint(), new Frames.Stored(3), DEADLINE)).value())
                .isEqualTo(new Frames.Stored(3));
    }

    @Test
    void handlerWhoseStageFailsGivesTheRequesterAnError() {
        Node a = fixture.newNode();
        Node b = fixture.newNode();
        b.transport().register(RecordingHandler.answeringWith(Frames.Ping.class,
                CompletableFuture.failedFuture(new IllegalStateException("failed stage on purpose"))));

        assertRemoteError(await(a.transport().request(b.endpoint(), ping(1), DEADLINE)), Frames.Error.Code.INTERNAL);
        assertRemoteError(await(a.transport().request(b.endpoint(), ping(2), DEADLINE)), Frames.Error.Code.INTERNAL);
    }

    @Test
    void requestNoHandlerAcceptsIsAnsweredUnsupported() {
        Node a = fixture.newNode();
        Node b = fixture.newNode();
        assertRemoteError(await(a.transport().request(b.endpoint(), ping(1), DEADLINE)),
                Frames.Error.Code.UNSUPPORTED);

        b.transport().register(RecordingHandler.answering(Frames.Stored.class, frame -> frame));
        assertRemoteError(await(a.transport().request(b.endpoint(), ping(2), DEADLINE)),
                Frames.Error.Code.UNSUPPORTED);

        Transport.Registration echo = b.transport().register(
                RecordingHandler.answering(Frames.Ping.class, ContractFrames::echo));
        assertThat(isEchoOf(await(a.transport().request(b.endpoint(), ping(3), DEADLINE)).value(), 3)).isTrue();
        echo.close();
        echo.close();
        assertRemoteError(await(a.transport().request(b.endpoint(), ping(4), DEADLINE)),
                Frames.Error.Code.UNSUPPORTED);
    }

    @Test
    void firstRegisteredHandlerThatAcceptsTakesTheFrame() {
        Node a = fixture.newNode();
        Node b = fixture.newNode();
        RecordingHandler stores = RecordingHandler.answering(Frames.Stored.class, frame -> frame);
        RecordingHandler first = RecordingHandler.answering(Frames.Ping.class, frame -> echo(ping(100)));
        RecordingHandler second = RecordingHandler.answering(Frames.Ping.class, frame -> echo(ping(200)));
        b.transport().register(stores);
        b.transport().register(first);
        b.transport().register(second);

        assertThat(isEchoOf(await(a.transport().request(b.endpoint(), ping(1), DEADLINE)).value(), 100)).isTrue();
        assertThat(stores.received()).isZero();
        assertThat(second.received()).isZero();
    }

    @Test
    void closeFailsPendingRequestsAndLaterSendsAndIsHarmlessTwice() {
        Node a = fixture.newNode();
        Node b = fixture.newNode();
        b.transport().register(RecordingHandler.silent(Frames.Ping.class));
        CompletableFuture<Frame> pending = a.transport().request(b.endpoint(), ping(1), DEADLINE)
                .toCompletableFuture();
        fixture.letTimePass(Duration.ofMillis(200));
        assertThat(pending).isNotDone();

        fixture.closeTransport(a);
        fixture.closeTransport(a);

        assertThat(await(pending).failure()).isInstanceOf(TransportClosedException.class);
        assertThat(await(a.transport().request(b.endpoint(), ping(2), DEADLINE)).failure())
                .isInstanceOf(TransportClosedException.class);
        assertThat(await(a.transport().send(b.endpoint(), route(1, a.nodeId()))).failure())
                .isInstanceOf(TransportClosedException.class);
        assertThat(a.transport().localEndpoints()).isEmpty();
    }

    /** Lets time pass until {@code stage} completes, failing the test when it does not within {@link #PATIENCE}. */
    protected final <T> Outcome<T> await(CompletionStage<T> stage) {
        CompletableFuture<T> future = stage.toCompletableFuture();
        awaitCondition(future::isDone, "the stage completes");
        return Outcome.of(future);
    }

    /** Lets time pass until {@code condition} holds, failing the test when it does not within {@link #PATIENCE}. */
    protected final void awaitCondition(BooleanSupplier condition, String what) {
        assertThat(fixture.runUntil(condition, PATIENCE)).as("%s within %s", what, PATIENCE).isTrue();
    }

    private static void assertRemoteError(Outcome<Frame> outcome, Frames.Error.Code code) {
        assertThat(outcome.failure())
                .as("outcome of a request answered %s (response %s)", code, outcome.value())
                .isInstanceOf(RemoteErrorException.class)
                .hasMessageContaining(code.name());
        assertThat(((RemoteErrorException) outcome.failure()).code()).isEqualTo(code);
    }
}
