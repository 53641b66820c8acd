package io.hyphae.node;

import io.hyphae.api.MessageId;
import io.hyphae.api.NodeId;
import io.hyphae.api.Topic;
import io.hyphae.spi.transport.Endpoint;
import io.hyphae.spi.transport.Frame;
import io.hyphae.spi.transport.InboundHandler;
import io.hyphae.spi.transport.Transport;
import io.hyphae.wire.Frames;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/** A transport that notes every route it carries out, then hands everything to the real one. */
final class RecordingTransport implements Transport {
    /** One route frame sent to {@code to}. */
    record Sent(Endpoint to, Topic topic, MessageId id) {
        NodeId nodeId() {
            return to.nodeId();
        }
    }

    private final Transport delegate;
    final List<Sent> routes;

    RecordingTransport(Transport delegate, List<Sent> routes) {
        this.delegate = delegate;
        this.routes = routes;
    }

    RecordingTransport(Transport delegate) {
        this(delegate, new CopyOnWriteArrayList<>());
    }

    @Override
    public String scheme() {
        return delegate.scheme();
    }

    @Override
    public List<Endpoint> localEndpoints() {
        return delegate.localEndpoints();
    }

    @Override
    public int maxFrameBytes() {
        return delegate.maxFrameBytes();
    }

    @Override
    public CompletionStage<Frame> request(Endpoint to, Frame request, Duration timeout) {
        note(to, request);
        return delegate.request(to, request, timeout);
    }

    @Override
    public CompletionStage<Void> send(Endpoint to, Frame message) {
        note(to, message);
        return delegate.send(to, message);
    }

    @Override
    public Registration register(InboundHandler handler) {
        return delegate.register(handler);
    }

    private void note(Endpoint to, Frame frame) {
        if (frame instanceof Frames.Route r) {
            routes.add(new Sent(to, r.topic(), r.id()));
        }
    }
}
