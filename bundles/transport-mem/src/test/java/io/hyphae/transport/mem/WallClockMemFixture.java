package io.hyphae.transport.mem;

import io.hyphae.api.NodeId;
import io.hyphae.spi.concurrent.Scheduler;
import io.hyphae.spi.transport.Endpoint;
import io.hyphae.testkit.WallClockFixture;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Mem transports on a network timed by a real scheduler thread: deliveries, handlers and deadlines run on
 * {@code hyphae-mem-test-1} while the test thread polls, as with a socket transport.
 */
final class WallClockMemFixture extends WallClockFixture {
    private final Scheduler scheduler = Scheduler.single("hyphae-mem-test-1");
    private final VirtualNetwork network = new VirtualNetwork(scheduler, new SplittableRandom(5),
            LinkConditions.ofMillis(1, 1));
    private final SplittableRandom ids = new SplittableRandom(13);
    private final List<MemTransport> transports = new CopyOnWriteArrayList<>();

    @Override
    public Node newNode() {
        byte[] id = new byte[NodeId.BYTES];
        ids.nextBytes(id);
        MemTransport transport = new MemTransport(network, "node-" + transports.size(), 1, NodeId.of(id),
                scheduler).start();
        transports.add(transport);
        return new Node(transport, transport.endpoint());
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
    public void close() {
        transports.forEach(MemTransport::close);
        scheduler.close();
    }
}
