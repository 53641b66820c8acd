package io.hyphae.bench;

import io.hyphae.api.PublishReceipt;
import io.hyphae.api.Qos;
import io.hyphae.api.Topic;
import io.hyphae.node.EmbeddedNode;
import io.hyphae.node.Hyphae;
import io.hyphae.node.NodeSettings;
import io.hyphae.spi.transport.Endpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The full publish path between two embedded nodes (plain-Java {@link Hyphae} builder: Kademlia DHT, advertisement,
 * discovery with the lru cache, router, node) over one network transport each: {@code PubSub.publish} on node A,
 * the subscriber's handler on node B. QoS 1 completes when B acknowledged (the publish receipt). By default both
 * nodes run handlers and receipt continuations on their handler threads; {@code direct} nodes
 * ({@code handlerThreads} 0) run them on the network thread that delivers them, as raw QUIC's callbacks run.
 */
final class PubSubPath implements Carrier {
    private static final Topic TOPIC = Topic.of("bench.pubsub");
    private final Transports.Kind kind;
    private final boolean direct;
    private final List<Transports.Owned> transports = new ArrayList<>();
    private final EmbeddedNode publisher;
    private final EmbeddedNode subscriber;
    private volatile Receiver receiver = Receiver.NONE;

    PubSubPath(Transports.Kind kind) throws Exception {
        this(kind, false);
    }

    PubSubPath(Transports.Kind kind, boolean direct) throws Exception {
        this.kind = kind;
        this.direct = direct;
        NodeSettings settings = direct ? NodeSettings.defaults().withHandlerThreads(0) : NodeSettings.defaults();
        publisher = Hyphae.node().settings(settings).transport(id -> own(Transports.start(kind, id))).start();
        Endpoint seed = transports.get(0).transport().localEndpoints().get(0);
        subscriber = Hyphae.node().settings(settings).transport(id -> own(Transports.start(kind, id)))
                .bootstrap(seed.toString()).start();
        subscriber.subscribe(TOPIC, message -> receiver.received(Carrier.sentNanos(message.payloadBuffer())));
        awaitRoute();
    }

    private io.hyphae.spi.transport.Transport own(Transports.Owned owned) {
        transports.add(owned);
        return owned.transport();
    }

    /** Publishes QoS 1 probes until one reaches the subscriber: the DHT joined, B advertised, A discovered B. */
    private void awaitRoute() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            PublishReceipt receipt = publisher.publish(TOPIC, Carrier.stamped(16), Qos.AT_LEAST_ONCE)
                    .toCompletableFuture().get(40, TimeUnit.SECONDS);
            if (receipt.delivered() >= 1) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(name() + ": the subscriber was not reached within 60 s");
    }

    @Override
    public String name() {
        return "hyphae-" + kind.scheme() + " pubsub" + (direct ? " direct" : "");
    }

    @Override
    public String describe() {
        return "PubSub.publish between two embedded nodes" + (direct ? ", handlers on the network thread" : "");
    }

    @Override
    public void receiver(Receiver r) {
        receiver = r;
    }

    @Override
    public CompletionStage<?> send(byte[] payload) {
        return publisher.publish(TOPIC, payload, Qos.AT_MOST_ONCE);
    }

    /** The publish receipt as it is: a caller waiting on it is woken by the thread that completes it. */
    @Override
    public CompletionStage<?> request(byte[] payload) {
        return publisher.publish(TOPIC, payload, Qos.AT_LEAST_ONCE);
    }

    @Override
    public boolean acknowledged(Object outcome) {
        return outcome instanceof PublishReceipt receipt && receipt.delivered() == 1;
    }

    /**
     * Where messages were dropped on purpose, counted: the subscriber's full handler queue, and the publisher's
     * router and transport refusing a send (a QoS 0 publish then completes without reaching the subscriber).
     */
    @Override
    public String drops() {
        long handlerQueueFull = subscriber.stats().get("node.handler.rejected");
        long routerRefused = publisher.router().stats().get("router.backpressure");
        long transportQueueFull = transports.get(0).transport() instanceof io.hyphae.transport.quic.QuicTransport q
                ? q.stats().sendsRefusedQueueFull() : 0;
        return "node.handler.rejected " + handlerQueueFull + ", router.backpressure " + routerRefused
                + ", transport send queue full " + transportQueueFull;
    }

    @Override
    public void close() {
        subscriber.close();
        publisher.close();
        transports.forEach(Transports.Owned::close);
    }
}
