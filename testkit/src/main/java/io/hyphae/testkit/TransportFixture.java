package io.hyphae.testkit;

import io.hyphae.api.NodeId;
import io.hyphae.spi.transport.Endpoint;
import io.hyphae.spi.transport.Transport;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * What {@link TransportContract} needs from a transport under test: nodes that can reach each other, a way to close
 * one, an address where nobody listens, and time. A fixture hides whether time is real or virtual:
 * <ul>
 * <li>a socket transport (tcp, quic) binds loopback port 0 and lets the wall clock run: {@link #runUntil} polls the
 *     condition every few milliseconds until it holds or {@code max} has passed; {@link #letTimePass} sleeps;</li>
 * <li>an in-JVM transport on a {@code VirtualTime} scheduler advances virtual time in small steps: no thread
 *     sleeps, and a 30 s deadline takes microseconds.</li>
 * </ul>
 * One fixture serves one test: the contract makes it before each test and closes it after. Every method is called
 * from the test thread; {@link #runUntil} and {@link #letTimePass} are the only places where a virtual-time fixture
 * runs the transports' tasks, so handlers and stage continuations run inside them.
 */
public interface TransportFixture extends AutoCloseable {

    /**
     * A new node with a started transport, reachable from every other node of this fixture, with a node id no other
     * node of the fixture has.
     */
    Node newNode();

    /**
     * Closes {@code node}'s transport the way its owner does (a component's deactivate, a plain {@code close()}).
     * Must not block beyond a short bound. Closing twice must be harmless; the contract checks that.
     */
    void closeTransport(Node node);

    /**
     * An endpoint of this fixture's scheme at which no transport listens (a host nobody attached to, a closed
     * loopback port), naming {@code nodeId}.
     */
    Endpoint deadEndpoint(NodeId nodeId);

    /**
     * Lets time pass until {@code condition} holds, at most {@code max} of this fixture's time.
     *
     * @return whether the condition held
     */
    boolean runUntil(BooleanSupplier condition, Duration max);

    /** Lets {@code duration} of this fixture's time pass (at least that much on a wall clock). */
    void letTimePass(Duration duration);

    /** The time the transports' deadlines are measured in. */
    Clock clock();

    /** Closes every transport this fixture made and stops its time. Closing twice is harmless. */
    @Override
    void close();

    /**
     * One node of a fixture.
     *
     * @param transport the transport under test
     * @param endpoint  where the other nodes reach it; names its node id
     */
    record Node(Transport transport, Endpoint endpoint) {
        public Node {
            Objects.requireNonNull(transport, "transport");
            Objects.requireNonNull(endpoint, "endpoint");
        }

        public NodeId nodeId() {
            return endpoint.nodeId();
        }
    }
}
