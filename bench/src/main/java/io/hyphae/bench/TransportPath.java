package io.hyphae.bench;

import io.hyphae.api.MessageId;
import io.hyphae.api.Qos;
import io.hyphae.api.Topic;
import io.hyphae.spi.transport.Endpoint;
import io.hyphae.spi.transport.Frame;
import io.hyphae.spi.transport.InboundHandler;
import io.hyphae.spi.transport.Peer;
import io.hyphae.wire.Frames;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Hyphae's {@code Transport} alone, between two transports of one scheme: QoS 0 is {@code send} of a
 * {@link Frames.Route}, QoS 1 is {@code request} of a Route answered by an {@link Frames.Ack} (what the router does).
 * No DHT, no router: the transport's share of the cost.
 */
final class TransportPath implements Carrier {
    private static final Topic TOPIC = Topic.of("bench.transport");
    private final Transports.Kind kind;
    private final Transports.Owned sender;
    private final Transports.Owned subscriber;
    private final Endpoint to;
    private final SplittableRandom random = new SplittableRandom(1);
    private volatile Receiver receiver = Receiver.NONE;

    TransportPath(Transports.Kind kind) {
        this.kind = kind;
        this.sender = Transports.start(kind);
        this.subscriber = Transports.start(kind);
        this.to = subscriber.transport().localEndpoints().get(0);
        subscriber.transport().register(new InboundHandler() {
            @Override
            public boolean accepts(Frame frame) {
                return frame instanceof Frames.Route;
            }

            @Override
            public CompletionStage<? extends Frame> onRequest(Peer from, Frame request) {
                Frames.Route route = (Frames.Route) request;
                receiver.received(Carrier.sentNanos(route.payloadBuffer()));
                return CompletableFuture.completedFuture(new Frames.Ack(route.id()));
            }

            @Override
            public void onMessage(Peer from, Frame message) {
                receiver.received(Carrier.sentNanos(((Frames.Route) message).payloadBuffer()));
            }
        });
    }

    @Override
    public String name() {
        return "hyphae-" + kind.scheme() + " transport";
    }

    @Override
    public String describe() {
        return "Transport.request(Route) -> Ack";
    }

    @Override
    public void receiver(Receiver r) {
        receiver = r;
    }

    @Override
    public CompletionStage<?> send(byte[] payload) {
        return sender.transport().send(to, route(payload, Qos.AT_MOST_ONCE));
    }

    @Override
    public CompletionStage<?> request(byte[] payload) {
        return sender.transport().request(to, route(payload, Qos.AT_LEAST_ONCE), Transports.deadline());
    }

    private Frames.Route route(byte[] payload, Qos qos) {
        MessageId id;
        synchronized (random) {
            id = MessageId.random(random);
        }
        return new Frames.Route(id, "default", TOPIC, payload, qos, sender.transport().localEndpoints().get(0)
                .nodeId(), Instant.now(), 0);
    }

    @Override
    public void close() {
        sender.close();
        subscriber.close();
    }
}
