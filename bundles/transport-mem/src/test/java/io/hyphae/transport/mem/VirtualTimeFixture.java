package io.hyphae.transport.mem;

import io.hyphae.api.NodeId;
import io.hyphae.spi.concurrent.VirtualTime;
import io.hyphae.spi.transport.Endpoint;
import io.hyphae.testkit.TransportFixture;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/**
 * Mem transports on one {@link VirtualNetwork} driven by {@link VirtualTime}: {@link #runUntil} advances virtual
 * time a millisecond at a time on the test thread, which runs every delivery, handler and deadline.
 */
final class VirtualTimeFixture implements TransportFixture {
    private static final Duration STEP = Duration.ofMillis(1);

    final VirtualTime time = new VirtualTime();
    final VirtualNetwork network;
    private final SplittableRandom ids = new SplittableRandom(11);
    private final List<MemTransport> transports = new CopyOnWriteArrayList<>();

    VirtualTimeFixture(LinkConditions links) {
        network = new VirtualNetwork(time, new SplittableRandom(7), links);
    }

    @Override
    public Node newNode() {
        MemTransport transport = newTransport("node-" + transports.size(), randomNodeId());
        return new Node(transport, transport.endpoint());
    }

    MemTransport newTransport(String host, NodeId nodeId) {
        MemTransport transport = new MemTransport(network, host, 1, nodeId, time).start();
        transports.add(transport);
        return transport;
    }

    NodeId randomNodeId() {
        byte[] bytes = new byte[NodeId.BYTES];
        ids.nextBytes(bytes);
        return NodeId.of(bytes);
    }

    @Override
    public void closeTransport(Node node) {
        ((MemTransport) node.transport()).close();
    }

    @Override
    public Endpoint deadEndpoint(NodeId nodeId) {
        return new Endpoint(MemTransport.SCHEME, "nowhere", 1, nodeId);
    }

    @Override
    public boolean runUntil(BooleanSupplier condition, Duration max) {
        for (Duration waited = Duration.ZERO; !condition.getAsBoolean(); waited = waited.plus(STEP)) {
            if (waited.compareTo(max) >= 0) {
                return false;
            }
            time.advance(STEP);
        }
        return true;
    }

    @Override
    public void letTimePass(Duration duration) {
        time.advance(duration);
    }

    @Override
    public Clock clock() {
        return time.clock();
    }

    @Override
    public void close() {
        transports.forEach(MemTransport::close);
        time.close();
    }
}
