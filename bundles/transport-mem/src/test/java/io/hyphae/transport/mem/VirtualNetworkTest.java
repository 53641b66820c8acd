package io.hyphae.transport.mem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hyphae.api.NodeId;
import io.hyphae.spi.concurrent.VirtualTime;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class VirtualNetworkTest {
    private final VirtualTime time = new VirtualTime();
    private final Instant start = time.now();

    @Test
    void framesArriveAfterTheLatencyOfTheirLink() {
        VirtualNetwork network = new VirtualNetwork(time, new SplittableRandom(1));
        network.setConditions("a", "b", LinkConditions.ofMillis(10, 0));
        network.setConditions("a", "c", LinkConditions.ofMillis(50, 0));
        Attachment a = network.attach("a", 1, id(1), datagram -> { });
        List<String> arrivals = new ArrayList<>();
        network.attach("b", 1, id(2), datagram -> arrivals.add("b@" + elapsedMs()));
        network.attach("c", 1, id(3), datagram -> arrivals.add("c@" + elapsedMs()));

        a.transmit("c", 1, id(3), frame(0));
        a.transmit("b", 1, id(2), frame(1));
        time.advance(Duration.ofMillis(49));
        assertThat(arrivals).containsExactly("b@10");
        time.advance(Duration.ofMillis(1));

        assertThat(arrivals).containsExactly("b@10", "c@50");
        assertThat(network.conditions("b", "a")).isEqualTo(LinkConditions.ofMillis(10, 0));
    }

    @Test
    void jitterDelaysEachFrameWithinItsBound() {
        VirtualNetwork network = new VirtualNetwork(time, new SplittableRandom(2), LinkConditions.ofMillis(10, 5));
        Attachment a = network.attach("a", 1, id(1), datagram -> { });
        List<Long> delaysMs = new ArrayList<>();
        network.attach("b", 1, id(2), datagram -> delaysMs.add(elapsedMs()));

        for (int i = 0; i < 1000; i++) {
            a.transmit("b", 1, id(2), frame(i));
        }
        time.advance(Duration.ofMillis(100));

        assertThat(delaysMs).hasSize(1000).allSatisfy(ms -> assertThat(ms).isBetween(10L, 15L));
        assertThat(Set.copyOf(delaysMs)).as("distinct delays").hasSizeGreaterThan(3);
    }

    @Test
    void lossRateDropsAboutThatShareOfFrames() {
        VirtualNetwork network = new VirtualNetwork(time, new SplittableRandom(3),
                LinkConditions.PERFECT.withLossRate(0.1));
        Attachment a = network.attach("a", 1, id(1), datagram -> { });
        int[] received = new int[1];
        network.attach("b", 1, id(2), datagram -> received[0]++);

        for (int i = 0; i < 10_000; i++) {
            assertThat(a.transmit("b", 1, id(2), frame(i))).isEqualTo(Attachment.Transmission.SENT);
        }
        time.advance(Duration.ofMillis(1));

        NetworkStats stats = network.stats();
        assertThat(stats.droppedByLoss()).isBetween(900L, 1100L);
        assertThat(stats.sent()).isEqualTo(10_000);
        assertThat(stats.delivered()).isEqualTo(received[0]).isEqualTo(10_000 - stats.droppedByLoss());
    }

    @Test
    void partitionDropsFramesBothWaysIncludingThoseInFlightUntilHealed() {
        VirtualNetwork network = new VirtualNetwork(time, new SplittableRandom(4), LinkConditions.ofMillis(10, 0));
        List<String> arrivals = new ArrayList<>();
        Attachment a = network.attach("a", 1, id(1), datagram -> arrivals.add("a<-" + datagram.fromHost()));
        Attachment b = network.attach("b", 1, id(2), datagram -> arrivals.add("b<-" + datagram.fromHost()));
        network.attach("c", 1, id(3), datagram -> arrivals.add("c<-" + datagram.fromHost()));

        a.transmit("b", 1, id(2), frame(0)); // in flight when the partition comes
        time.advance(Duration.ofMillis(5));
        VirtualNetwork.Partition partition = network.partition(Set.of("b"));
        assertThat(b.transmit("a", 1, id(1), frame(1))).isEqualTo(Attachment.Transmission.SENT);
        a.transmit("c", 1, id(3), frame(2));
        time.advance(Duration.ofMillis(20));

        assertThat(arrivals).containsExactly("c<-a");
        assertThat(network.connected("a", "b")).isFalse();
        assertThat(network.stats().droppedByPartition()).isEqualTo(2);

        partition.heal();
        partition.heal();
        a.transmit("b", 1, id(2), frame(3));
        b.transmit("a", 1, id(1), frame(4));
        time.advance(Duration.ofMillis(20));
        assertThat(arrivals).containsExactly("c<-a", "b<-a", "a<-b");
    }

    @Test
    void hostsOnTheSameSideOfAPartitionStillTalk() {
        VirtualNetwork network = new VirtualNetwork(time, new SplittableRandom(5));
        List<String> arrivals = new ArrayList<>();
        Attachment b = network.attach("b", 1, id(2), datagram -> { });
        network.attach("c", 1, id(3), datagram -> arrivals.add("c<-" + datagram.fromHost()));
        network.partition(Set.of("b", "c"));
        network.partition(Set.of("x"));

        b.transmit("c", 1, id(3), frame(0));
        time.runDue();

        assertThat(arrivals).containsExactly("c<-b");
        network.healAll();
        assertThat(network.connected("a", "x")).isTrue();
    }

    @Test
    void sameSeedReplaysTheSameRunAndAnotherSeedDoesNot() {
        List<String> first = lossyRun(42);
        List<String> again = lossyRun(42);
        List<String> other = lossyRun(43);

        assertThat(first).hasSizeBetween(600, 800);
        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
    }

    @Test
    void addressNobodyHoldsOrHeldByAnotherNodeIsRefused() {
        VirtualNetwork network = new VirtualNetwork(time, new SplittableRandom(6));
        Attachment a = network.attach("a", 1, id(1), datagram -> { });
        network.attach("b", 1, id(2), datagram -> { });

        assertThat(a.transmit("b", 2, id(2), frame(0))).isEqualTo(Attachment.Transmission.NO_SUCH_ADDRESS);
        assertThat(a.transmit("nowhere", 1, id(2), frame(0))).isEqualTo(Attachment.Transmission.NO_SUCH_ADDRESS);
        assertThat(a.transmit("b", 1, id(9), frame(0))).isEqualTo(Attachment.Transmission.WRONG_NODE);
        assertThat(network.stats().refused()).isEqualTo(3);
        assertThat(network.stats().sent()).isZero();
    }

    @Test
    void anAddressHasOneHolderAtATime() {
        VirtualNetwork network = new VirtualNetwork(time, new SplittableRandom(7));
        Attachment first = network.attach("a", 1, id(1), datagram -> { });

        assertThatThrownBy(() -> network.attach("a", 1, id(2), datagram -> { }))
                .isInstanceOf(AddressInUseException.class).hasMessageContaining("a:1");
        first.close();
        first.close();
        assertThat(first.transmit("a", 1, id(1), frame(0))).isEqualTo(Attachment.Transmission.DETACHED);
        assertThat(network.attach("a", 1, id(2), datagram -> { }).nodeId()).isEqualTo(id(2));
    }

    @Test
    void framesInFlightToADetachedReceiverAreDropped() {
        VirtualNetwork network = new VirtualNetwork(time, new SplittableRandom(8), LinkConditions.ofMillis(10, 0));
        Attachment a = network.attach("a", 1, id(1), datagram -> { });
        List<Datagram> received = new ArrayList<>();
        Attachment b = network.attach("b", 1, id(2), received::add);

        a.transmit("b", 1, id(2), frame(0));
        b.close();
        time.advance(Duration.ofMillis(20));

        assertThat(received).isEmpty();
        assertThat(network.stats().droppedDetached()).isEqualTo(1);
    }

    @Test
    void receiverThatThrowsIsCountedAndTheNetworkCarriesOn() {
        VirtualNetwork network = new VirtualNetwork(time, new SplittableRandom(9));
        Attachment a = network.attach("a", 1, id(1), datagram -> { });
        List<Integer> received = new ArrayList<>();
        network.attach("b", 1, id(2), datagram -> {
            received.add(tagOf(datagram));
            if (tagOf(datagram) == 0) {
                throw new IllegalStateException("receiver failure on purpose");
            }
        });

        a.transmit("b", 1, id(2), frame(0));
        a.transmit("b", 1, id(2), frame(1));
        time.runDue();

        assertThat(received).containsExactly(0, 1);
        assertThat(network.stats().receiverFailures()).isEqualTo(1);
        assertThat(network.stats().delivered()).isEqualTo(2);
    }

    @Test
    void datagramCarriesTheAuthenticatedSender() {
        VirtualNetwork network = new VirtualNetwork(time, new SplittableRandom(10));
        Attachment a = network.attach("a", 7, id(1), datagram -> { });
        List<Datagram> received = new ArrayList<>();
        network.attach("b", 1, id(2), received::add);

        a.transmit("b", 1, id(2), frame(5));
        time.runDue();

        assertThat(received).singleElement().satisfies(d -> {
            assertThat(d.fromNode()).isEqualTo(id(1));
            assertThat(d.fromAddress()).isEqualTo("a:7");
            assertThat(tagOf(d)).isEqualTo(5);
        });
    }

    @Test
    void linkConditionsRefuseImpossibleValues() {
        assertThatThrownBy(() -> LinkConditions.PERFECT.withLossRate(1.5)).hasMessageContaining("1.5");
        assertThatThrownBy(() -> LinkConditions.PERFECT.withLossRate(Double.NaN)).hasMessageContaining("NaN");
        assertThatThrownBy(() -> LinkConditions.ofMillis(-1, 0)).hasMessageContaining("latency");
    }

    /** 1000 frames over a link with 30% loss and jitter; which arrive, and when. */
    private static List<String> lossyRun(long seed) {
        VirtualTime time = new VirtualTime();
        VirtualNetwork network = new VirtualNetwork(time, new SplittableRandom(seed),
                LinkConditions.ofMillis(5, 20).withLossRate(0.3));
        Attachment a = network.attach("a", 1, id(1), datagram -> { });
        List<String> arrivals = new ArrayList<>();
        network.attach("b", 1, id(2), datagram -> arrivals.add(tagOf(datagram) + "@" + time.now()));
        for (int i = 0; i < 1000; i++) {
            a.transmit("b", 1, id(2), frame(i));
        }
        time.advance(Duration.ofSeconds(1));
        return arrivals;
    }

    private long elapsedMs() {
        return Duration.between(start, time.now()).toMillis();
    }

    private static byte[] frame(int tag) {
        return ByteBuffer.allocate(4).putInt(tag).array();
    }

    private static int tagOf(Datagram datagram) {
        return ByteBuffer.wrap(datagram.bytes()).getInt();
    }

    static NodeId id(int n) {
        byte[] bytes = new byte[NodeId.BYTES];
        bytes[NodeId.BYTES - 1] = (byte) n;
        return NodeId.of(bytes);
    }
}
