package io.hyphae.bench;

import io.hyphae.api.NodeId;
import io.hyphae.spi.dht.Contact;
import io.hyphae.spi.transport.Frame;
import io.hyphae.spi.transport.InboundHandler;
import io.hyphae.spi.transport.Peer;
import io.hyphae.spi.transport.Transport;
import io.hyphae.wire.Frames;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Answers DHT pings with a pong: the smallest request a peer connection carries. */
final class Pinger implements InboundHandler {
    private final NodeId self;

    private Pinger(NodeId self) {
        this.self = self;
    }

    static void serve(Transport transport) {
        transport.register(new Pinger(transport.localEndpoints().get(0).nodeId()));
    }

    static Frames.Ping ping(NodeId from) {
        return new Frames.Ping(new Contact(from, List.of()));
    }

    @Override
    public boolean accepts(Frame frame) {
        return frame instanceof Frames.Ping;
    }

    @Override
    public CompletionStage<? extends Frame> onRequest(Peer from, Frame request) {
        return CompletableFuture.completedFuture(new Frames.Pong(new Contact(self, List.of())));
    }

    @Override
    public void onMessage(Peer from, Frame message) {
    }
}
