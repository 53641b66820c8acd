package io.hyphae.spi.transport;

import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Takes the frames a transport receives. A transport offers each inbound frame to its registered handlers in
 * registration order and gives it to the first that {@link #accepts} it; a request no handler accepts is answered
 * with an error frame. All methods are called on transport threads: they must return quickly and never block.
 */
@ConsumerType
public interface InboundHandler {
    /** Whether this handler takes {@code frame}; decided by the frame's type alone. */
    boolean accepts(Frame frame);

    /**
     * Answers a request. The transport sends the stage's value back to the requester; a stage that completes
     * exceptionally is answered with an error frame.
     */
    CompletionStage<? extends Frame> onRequest(Peer from, Frame request);

    /** Takes a one-way frame. */
    void onMessage(Peer from, Frame message);
}
