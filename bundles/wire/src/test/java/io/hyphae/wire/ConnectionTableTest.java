package io.hyphae.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hyphae.api.NodeId;
import io.hyphae.spi.concurrent.VirtualTime;
import io.hyphae.spi.transport.Endpoint;
import io.hyphae.spi.transport.TransportClosedException;
import io.hyphae.spi.transport.UnreachablePeerException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The connection-per-peer table without a network: a dialer that records its dials and a virtual clock. */
class ConnectionTableTest {
    private static final NodeId PEER = node(7);
    private static final Endpoint TO = new Endpoint("test", "127.0.0.1", 4000, PEER);
    /** Where the same node listens after its transport restarted on another port. */
    private static final Endpoint MOVED = new Endpoint("test", "127.0.0.1", 4001, PEER);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

    private final VirtualTime time = new VirtualTime();
    private final List<Dial> dials = new ArrayList<>();
    private final ConnectionTable<FakeConnection> table = new ConnectionTable<>("test", time.clock(), time,
            CONNECT_TIMEOUT, host -> host.equals("127.0.0.1") ? new byte[] {127, 0, 0, 1} : null, this::connect);

    @Test
    void concurrentFirstUsesShareOneDialAndLaterUsesReuseTheConnection() {
        CompletableFuture<FakeConnection> first = table.to(TO);
        CompletableFuture<FakeConnection> second = table.to(TO);
        assertThat(second).isSameAs(first);
        assertThat(dials).hasSize(1);
        assertThat(dials.get(0).address).isEqualTo(new InetSocketAddress("127.0.0.1", 4000));

        FakeConnection connection = new FakeConnection(PEER);
        table.established(connection, dials.get(0).dial);

        assertThat(table.to(TO).join()).isSameAs(connection);
        assertThat(table.live()).containsExactly(connection);
        assertThat(dials).hasSize(1);
    }

    @Test
    void aNodeIsConnectedFromItsHandshakeUntilItsConnectionEnds() {
        assertThat(table.isConnected(PEER)).as("never used").isFalse();
        table.to(TO);
        assertThat(table.isConnected(PEER)).as("dialling").isFalse();

        FakeConnection connection = new FakeConnection(PEER);
        table.established(connection, dials.get(0).dial);
        assertThat(table.isConnected(PEER)).isTrue();
        assertThat(table.isConnected(node(8))).isFalse();

        connection.active = false;
        assertThat(table.isConnected(PEER)).as("inactive").isFalse();
        table.forget(connection);
        assertThat(table.isConnected(PEER)).as("forgotten").isFalse();

        FakeConnection accepted = new FakeConnection(PEER);
        table.established(accepted, null); // the peer dialled this node
        assertThat(table.isConnected(PEER)).as("accepted").isTrue();
    }

    @Test
    void anEndpointWhoseDialFailedIsHeldDownThenDialledInTheBackground() {
        CompletableFuture<FakeConnection> first = table.to(TO);
        dials.get(0).dial.completeExceptionally(new UnreachablePeerException("refused"));
        assertThat(first).isCompletedExceptionally();

        assertThatThrownBy(() -> table.to(TO).join()).hasCauseInstanceOf(UnreachablePeerException.class)
                .hasMessageContaining("refused").hasMessageContaining("not dialled again for 1000 ms");
        assertThat(dials).as("no dial while held down").hasSize(1);

        time.advance(Duration.ofMillis(ConnectionTable.FIRST_HOLD_MS));
        assertThat(table.to(TO)).as("the first use after the hold").isCompletedExceptionally();
        assertThat(dials).as("dialled in the background").hasSize(2);
        assertThat(table.to(TO)).isCompletedExceptionally();
        assertThat(dials).as("one background dial at a time").hasSize(2);

        FakeConnection connection = new FakeConnection(PEER);
        table.established(connection, dials.get(1).dial);
        assertThat(table.to(TO).join()).isSameAs(connection);

        connection.active = false; // it ended: the endpoint answered last time, so the next use waits for a dial
        assertThat(table.to(TO)).isNotDone();
        assertThat(dials).hasSize(3);
    }

    @Test
    void eachFailedDialInARowHoldsTheEndpointDownTwiceAsLongUpToTheLongestHold() {
        long[] holds = {1_000, 2_000, 4_000, 8_000, ConnectionTable.MAX_HOLD_MS, ConnectionTable.MAX_HOLD_MS};
        table.to(TO);
        for (int i = 0; i < holds.length; i++) {
            dials.get(i).dial.completeExceptionally(new UnreachablePeerException("refused " + i));
            assertThatThrownBy(() -> table.to(TO).join())
                    .hasMessageContaining("not dialled again for " + holds[i] + " ms");
            time.advance(Duration.ofMillis(holds[i] - 1));
            table.to(TO);
            assertThat(dials).as("held down %d ms after failure %d", holds[i] - 1, i).hasSize(i + 1);
            time.advance(Duration.ofMillis(1));
            table.to(TO);
            assertThat(dials).as("dialled again %d ms after failure %d", holds[i], i).hasSize(i + 2);
        }
    }

    @Test
    void anEndpointNobodyUsedLongAfterItsHoldIsDialledAsIfItHadNeverFailed() {
        table.to(TO);
        dials.get(0).dial.completeExceptionally(new UnreachablePeerException("refused"));
        time.advance(Duration.ofMillis(ConnectionTable.FIRST_HOLD_MS + ConnectionTable.FORGET_MS));

        assertThat(table.to(TO)).as("a dial the use waits for").isNotDone();
        assertThat(dials).hasSize(2);
    }

    @Test
    void aBackgroundDialGivenUpForAnotherEndpointLeavesItsOwnToBeTriedAgain() {
        table.to(TO);
        dials.get(0).dial.completeExceptionally(new UnreachablePeerException("refused"));
        time.advance(Duration.ofMillis(ConnectionTable.FIRST_HOLD_MS));
        table.to(TO); // background dial 1
        CompletableFuture<FakeConnection> link = table.to(MOVED); // dial 2, in the same link
        FakeConnection connection = new FakeConnection(PEER);
        table.established(connection, dials.get(2).dial);
        assertThat(link.join()).isSameAs(connection);
        assertThat(dials.get(1).dial).as("the background dial, given up").isCompletedExceptionally();

        connection.active = false;
        time.advance(CONNECT_TIMEOUT);
        assertThat(table.to(TO)).isCompletedExceptionally();
        assertThat(dials).as("dialled in the background again").hasSize(4);
    }

    @Test
    void aDialThatOutlivesTheConnectTimeoutFailsGivesUpAndClosesALateConnection() {
        CompletableFuture<FakeConnection> dial = table.to(TO);
        time.advance(CONNECT_TIMEOUT.minusMillis(1));
        assertThat(dial).isNotDone();

        time.advance(Duration.ofMillis(1));
        assertThatThrownBy(dial::join).hasCauseInstanceOf(UnreachablePeerException.class)
                .hasMessageContaining("within 3000 ms");
        assertThat(dials.get(0).gaveUp).isTrue();

        FakeConnection late = new FakeConnection(PEER);
        table.established(late, dials.get(0).dial);
        assertThat(late.closed).isTrue();
        assertThat(table.live()).isEmpty();
    }

    @Test
    void aDialThatEndsInTimeIsNotGivenUp() {
        table.to(TO);
        table.established(new FakeConnection(PEER), dials.get(0).dial);
        time.advance(CONNECT_TIMEOUT.multipliedBy(2));
        assertThat(dials.get(0).gaveUp).isFalse();
    }

    @Test
    void aUseOfAnotherEndpointOfTheNodeDialsItTooAndTheFirstHandshakeServesBoth() {
        CompletableFuture<FakeConnection> toOld = table.to(TO);
        CompletableFuture<FakeConnection> toMoved = table.to(MOVED);
        assertThat(table.to(MOVED)).isSameAs(toMoved);
        assertThat(toMoved).as("one link per node").isSameAs(toOld);
        assertThat(dials).extracting(d -> d.address.getPort()).containsExactly(4000, 4001);

        FakeConnection connection = new FakeConnection(PEER);
        table.established(connection, dials.get(1).dial);

        assertThat(toOld.join()).isSameAs(connection);
        assertThat(dials.get(0).dial).as("the dial to the old endpoint").isCompletedExceptionally();
        assertThat(dials.get(0).gaveUp).isTrue();
        assertThat(dials.get(1).gaveUp).isFalse();
        FakeConnection late = new FakeConnection(PEER);
        table.established(late, dials.get(0).dial);
        assertThat(late.closed).as("a late handshake at the old endpoint").isTrue();
        assertThat(table.to(TO).join()).isSameAs(connection);
        assertThat(table.live()).containsExactly(connection);
        assertThat(dials).hasSize(2);
    }

    @Test
    void aDialToAnEndpointThatNeverAnswersDoesNotHoldUpOneToWhereTheNodeMoved() {
        CompletableFuture<FakeConnection> link = table.to(TO);
        time.advance(CONNECT_TIMEOUT.minusSeconds(1));
        table.to(MOVED);

        time.advance(Duration.ofSeconds(1));
        assertThat(dials.get(0).dial).as("the dial to the old endpoint timed out").isCompletedExceptionally();
        assertThat(link).as("the link waits for the other dial").isNotDone();

        FakeConnection connection = new FakeConnection(PEER);
        table.established(connection, dials.get(1).dial);
        assertThat(link.join()).isSameAs(connection);
    }

    @Test
    void aUseOfANewEndpointWhileTheNodesLastDialIsFailingDialsItInANewLink() {
        // The window between the last dial's failure settling the link and the link failing: the table holds the
        // endpoint down in it, and reads its clock there. A use of the node's new endpoint comes in right then.
        Runnable[] atNextClockRead = new Runnable[1];
        Clock hooked = new Clock() {
            @Override
            public long millis() {
                Runnable hook = atNextClockRead[0];
                atNextClockRead[0] = null;
                if (hook != null) {
                    hook.run();
                }
                return time.clock().millis();
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(millis());
            }

            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                throw new UnsupportedOperationException();
            }
        };
        ConnectionTable<FakeConnection> racy = new ConnectionTable<>("test", hooked, time, CONNECT_TIMEOUT,
                host -> new byte[] {127, 0, 0, 1}, this::connect);
        CompletableFuture<FakeConnection> toOld = racy.to(TO);
        List<CompletableFuture<FakeConnection>> toNew = new ArrayList<>();
        atNextClockRead[0] = () -> toNew.add(racy.to(MOVED));

        dials.get(0).dial.completeExceptionally(new UnreachablePeerException("connection refused"));

        assertThat(toOld).isCompletedExceptionally();
        assertThat(toNew).singleElement().satisfies(use -> assertThat(use)
                .as("waits for its own dial, not the old endpoint's failure").isNotDone());
        assertThat(dials).extracting(d -> d.address.getPort()).containsExactly(4000, 4001);
        FakeConnection connection = new FakeConnection(PEER);
        racy.established(connection, dials.get(1).dial);
        assertThat(toNew.get(0).join()).isSameAs(connection);
    }

    @Test
    void theLinkFailsWithTheLastFailureOnlyOnceEveryDialToTheNodeFailed() {
        CompletableFuture<FakeConnection> link = table.to(TO);
        table.to(MOVED);

        dials.get(0).dial.completeExceptionally(new UnreachablePeerException("refused at 4000"));
        assertThat(link).isNotDone();
        dials.get(1).dial.completeExceptionally(new UnreachablePeerException("refused at 4001"));
        assertThatThrownBy(link::join).hasCauseInstanceOf(UnreachablePeerException.class)
                .hasMessageContaining("refused at 4001");

        assertThat(table.to(MOVED)).as("held down now").isCompletedExceptionally();
        assertThat(dials).hasSize(2);
    }

    @Test
    void twoHandshakesThatFinishTogetherLeaveOneConnection() {
        table.to(TO);
        table.to(MOVED);
        FakeConnection first = new FakeConnection(PEER);
        FakeConnection second = new FakeConnection(PEER);
        CompletableFuture<FakeConnection> secondDial = dials.get(1).dial;
        // The second handshake completes its dial while the first one's is being taken.
        dials.get(0).dial.whenComplete((c, failure) -> secondDial.complete(second));

        table.established(first, dials.get(0).dial);

        FakeConnection kept = table.to(TO).join();
        assertThat(kept).isIn(first, second);
        assertThat(List.of(first, second)).filteredOn(c -> c.closed).containsExactly(kept == first ? second : first);
        assertThat(table.live()).containsExactly(kept);
    }

    @Test
    void aConnectionThePeerDialledCarriesThisNodesFramesButDoesNotReplaceALiveOne() {
        FakeConnection accepted = new FakeConnection(PEER);
        table.established(accepted, null);
        assertThat(table.to(TO).join()).isSameAs(accepted);
        assertThat(dials).isEmpty();

        FakeConnection another = new FakeConnection(PEER);
        table.established(another, null);
        assertThat(table.to(TO).join()).isSameAs(accepted);

        accepted.active = false; // ended, not yet reported: the next accepted one takes its place
        table.established(another, null);
        assertThat(table.to(TO).join()).isSameAs(another);
    }

    @Test
    void anInactiveConnectionIsReplacedByADialOnNextUse() {
        FakeConnection accepted = new FakeConnection(PEER);
        table.established(accepted, null);
        accepted.active = false;

        assertThat(table.to(TO)).isNotDone();
        assertThat(dials).hasSize(1);
        assertThat(table.live()).isEmpty();
    }

    @Test
    void forgettingAConnectionMakesTheNextUseDialButAStaleOneForgetsNothing() {
        FakeConnection current = new FakeConnection(PEER);
        table.established(current, null);
        table.forget(new FakeConnection(PEER)); // an older connection of the same peer ended
        assertThat(table.to(TO).join()).isSameAs(current);

        table.forget(current);
        assertThat(table.to(TO)).isNotDone();
        assertThat(dials).hasSize(1);
    }

    @Test
    void closingFailsDialsInFlightAndForgetsEveryConnection() {
        table.established(new FakeConnection(node(8)), null);
        CompletableFuture<FakeConnection> dial = table.to(TO);

        table.close();

        assertThatThrownBy(dial::join).hasCauseInstanceOf(TransportClosedException.class)
                .hasMessageContaining("the test transport is closed");
        assertThat(dials.get(0).dial).isCompletedExceptionally();
        assertThat(dials.get(0).gaveUp).isTrue();
        assertThat(table.live()).isEmpty();
    }

    @Test
    void aDialerThatThrowsFailsTheDialInsteadOfLeavingItOpen() {
        ConnectionTable<FakeConnection> broken = new ConnectionTable<>("test", time.clock(), time, CONNECT_TIMEOUT,
                host -> new byte[] {127, 0, 0, 1}, (to, address, dial) -> {
                    throw new IllegalStateException("boom");
                });
        assertThatThrownBy(() -> broken.to(TO).join()).hasCauseInstanceOf(UnreachablePeerException.class)
                .hasMessageContaining("boom");
    }

    @Test
    void theConstructorOfWire12StillMakesAWorkingTable() {
        ConnectionTable<FakeConnection> onTheSystemClock = new ConnectionTable<>("test", time, CONNECT_TIMEOUT,
                host -> new byte[] {127, 0, 0, 1}, this::connect);
        CompletableFuture<FakeConnection> link = onTheSystemClock.to(TO);
        FakeConnection connection = new FakeConnection(PEER);
        onTheSystemClock.established(connection, dials.get(0).dial);
        assertThat(link.join()).isSameAs(connection);
    }

    @Test
    void aHostNameIsResolvedOffTheCallersThread() throws Exception {
        CompletableFuture<Thread> dialledOn = new CompletableFuture<>();
        CompletableFuture<InetSocketAddress> dialledTo = new CompletableFuture<>();
        ConnectionTable<FakeConnection> byName = new ConnectionTable<>("test", time.clock(), time, CONNECT_TIMEOUT,
                host -> null, (to, address, dial) -> {
                    dialledOn.complete(Thread.currentThread());
                    dialledTo.complete(address);
                    return () -> { };
                });

        byName.to(new Endpoint("test", "localhost", 4000, PEER));

        assertThat(dialledOn.get(10, TimeUnit.SECONDS)).isNotSameAs(Thread.currentThread());
        assertThat(dialledTo.get().isUnresolved()).isFalse();
        assertThat(dialledTo.get().getAddress().isLoopbackAddress()).isTrue();
        assertThat(dialledTo.get().getPort()).isEqualTo(4000);
    }

    @Test
    void aBadIpLiteralFailsTheDial() {
        ConnectionTable<FakeConnection> badLiteral = new ConnectionTable<>("test", time.clock(), time, CONNECT_TIMEOUT,
                host -> new byte[3], this::connect);
        assertThatThrownBy(() -> badLiteral.to(TO).get()).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(UnreachablePeerException.class);
        assertThat(dials).isEmpty();
    }

    private Runnable connect(Endpoint to, InetSocketAddress address, CompletableFuture<FakeConnection> dial) {
        Dial d = new Dial(address, dial);
        dials.add(d);
        return () -> d.gaveUp = true;
    }

    private static NodeId node(int fill) {
        byte[] bytes = new byte[NodeId.BYTES];
        Arrays.fill(bytes, (byte) fill);
        return NodeId.of(bytes);
    }

    private static final class Dial {
        final InetSocketAddress address;
        final CompletableFuture<FakeConnection> dial;
        boolean gaveUp;

        Dial(InetSocketAddress address, CompletableFuture<FakeConnection> dial) {
            this.address = address;
            this.dial = dial;
        }
    }

    private static final class FakeConnection implements ConnectionTable.Connection {
        final NodeId node;
        boolean active = true;
        boolean closed;

        FakeConnection(NodeId node) {
            this.node = node;
        }

        @Override
        public NodeId nodeId() {
            return node;
        }

        @Override
        public boolean isActive() {
            return active;
        }

        @Override
        public void close() {
            closed = true;
            active = false;
        }

        @Override
        public void write(OutboundPacket packet) {
            throw new UnsupportedOperationException();
        }
    }
}
