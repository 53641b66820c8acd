package io.hyphae.spi.transport;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Moves frames to endpoints of one scheme. Registered as a service with {@link #SCHEME} set to {@link #scheme()}.
 * Thread safe; no method blocks on the network: outcomes arrive through the returned stages, which complete on a
 * transport thread, so callers must not block in their continuations either.
 */
@ProviderType
public interface Transport {
    /** Service property naming the endpoint scheme a transport serves. */
    String SCHEME = "transport.scheme";

    /**
     * How long a caller that has another endpoint of a peer lets a frame wait for a connection that is still being
     * made before it sends over that other endpoint too: RFC 8305's connection attempt delay. Where UDP is dropped,
     * a QUIC dial never answers, and without it every frame to a new peer would wait out the connect timeout.
     */
    Duration CONNECTION_ATTEMPT_DELAY = Duration.ofMillis(250);

    /** The scheme of the endpoints this transport reaches, such as {@code quic}. */
    String scheme();

    /** Endpoints on which this node receives through this transport; empty when it is not listening. */
    List<Endpoint> localEndpoints();

    /**
     * Whether a frame to {@code to} leaves at once over a connection already made, rather than waiting for one to be
     * dialled first. A cheap read, any thread. A transport without connections answers true, as this default does.
     *
     * @since 1.1
     */
    default boolean connectedTo(Endpoint to) {
        return true;
    }

    /** Largest encoded frame this transport carries, in bytes. */
    int maxFrameBytes();

    /**
     * Sends {@code request} to {@code to} and completes with the response. Fails with
     * {@link RequestTimeoutException} when no response arrives within {@code timeout}, with
     * {@link UnreachablePeerException} when the peer cannot be reached or is not {@code to.nodeId()}, with
     * {@link TransportClosedException} when this transport closes first.
     */
    CompletionStage<Frame> request(Endpoint to, Frame request, Duration timeout);

    /**
     * Sends {@code message} one way. Completes when the frame was handed to the network (not when it arrived);
     * fails as {@link #request} does.
     */
    CompletionStage<Void> send(Endpoint to, Frame message);

    /**
     * Sends {@code message} one way as {@link #send(Endpoint, Frame)} does and tells {@code outcome} instead of
     * completing a stage: once, with a null failure when the frame was handed to the network, else with the failure
     * {@code send} would fail with; on a transport thread, or on the calling thread when the frame is refused at
     * once. For a caller that sends a frame per message and needs no stage per frame. {@code outcome} must not block
     * nor throw. This default adapts {@link #send(Endpoint, Frame)}.
     *
     * @since 1.2
     */
    default void send(Endpoint to, Frame message, BiConsumer<? super Void, ? super Throwable> outcome) {
        send(to, message).whenComplete(outcome);
    }

    /** Adds a handler of inbound frames until the returned registration is closed. */
    Registration register(InboundHandler handler);

    /** Undoes a {@link Transport#register}. Closing twice is harmless. */
    interface Registration extends AutoCloseable {
        @Override
        void close();
    }
}
