package io.hyphae.transport.mem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hyphae.api.NodeId;
import io.hyphae.spi.dht.Contact;
import io.hyphae.spi.transport.Endpoint;
import io.hyphae.spi.transport.Frame;
import io.hyphae.spi.transport.RequestTimeoutException;
import io.hyphae.spi.transport.TransportClosedException;
import io.hyphae.spi.transport.UnreachablePeerException;
import io.hyphae.testkit.Outcome;
import io.hyphae.testkit.RecordingHandler;
import io.hyphae.wire.FrameCodec;
import io.hyphae.wire.Frames;
import io.hyphae.wire.Packet;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the mem transport does beyond the contract: its network's faults, bad bytes, its address and counters. */
class MemTransportTest {
    private final VirtualTimeFixture fixture = new VirtualTimeFixture(LinkConditions.ofMillis(5, 0));
    private final MemTransport a = fixture.newTransport("alpha", fixture.randomNodeId());
    private final MemTransport b = fixture.newTransport("beta", fixture.randomNodeId());

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void endpointIsSchemeHostPortAndNodeId() {
        assertThat(a.endpoint().toString()).isEqualTo("mem://alpha:1/" + a.endpoint().nodeId().toHex());
        assertThat(Endpoint.parse(a.endpoint().toString())).isEqualTo(a.endpoint());
        assertThat(a.localEndpoints()).containsExactly(a.endpoint());
    }

    @Test
    void undecodableBytesAreCountedAndDroppedNeverThrown() {
        b.register(RecordingHandler.answering(Frames.Ping.class, frame -> new Frames.Pong(contactOf(b))));
        Attachment rogue = fixture.network.attach("rogue", 1, fixture.randomNodeId(), datagram -> { });

        rogue.transmit("beta", 1, b.endpoint().nodeId(), new byte[] {(byte) 0xff, 0x01, 0x02});
        rogue.transmit("beta", 1, b.endpoint().nodeId(), new byte[0]);
        rogue.transmit("beta", 1, b.endpoint().nodeId(), "not cbor at all".getBytes());
        fixture.letTimePass(Duration.ofMillis(10));

        assertThat(b.stats().badFrames()).isEqualTo(3);
        assertThat(fixture.network.stats().receiverFailures()).isZero();
        assertThat(outcome(a.request(b.endpoint(), new Frames.Ping(contactOf(a)), Duration.ofSeconds(1))).value())
                .isEqualTo(new Frames.Pong(contactOf(b)));
    }

    @Test
    void requestAcrossAPartitionRunsIntoItsDeadlineAndWorksAgainWhenHealed() {
        b.register(RecordingHandler.answering(Frames.Ping.class, frame -> new Frames.Pong(contactOf(b))));
        VirtualNetwork.Partition partition = fixture.network.partition(Set.of("beta"));

        Outcome<Frame> cut = outcome(a.request(b.endpoint(), new Frames.Ping(contactOf(a)), Duration.ofSeconds(2)));
        partition.heal();
        Outcome<Frame> healed = outcome(a.request(b.endpoint(), new Frames.Ping(contactOf(a)),
                Duration.ofSeconds(2)));

        assertThat(cut.failure()).isInstanceOf(RequestTimeoutException.class).hasMessageContaining("2000 ms");
        assertThat(healed.value()).isEqualTo(new Frames.Pong(contactOf(b)));
        assertThat(a.stats().timeouts()).isEqualTo(1);
        assertThat(a.stats().responsesMatched()).isEqualTo(1);
    }

    @Test
    void responseFromAnotherNodeThanTheOneAskedIsIgnored() {
        b.register(RecordingHandler.silent(Frames.Ping.class));
        Attachment rogue = fixture.network.attach("rogue", 1, fixture.randomNodeId(), datagram -> { });
        CompletableFuture<Frame> request = a.request(b.endpoint(), new Frames.Ping(contactOf(a)),
                Duration.ofSeconds(5)).toCompletableFuture();

        for (long id = 0; id < 4; id++) {
            rogue.transmit("alpha", 1, a.endpoint().nodeId(), new FrameCodec().encode(
                    Packet.response(id, new Frames.Stored(1))));
        }
        fixture.letTimePass(Duration.ofMillis(100));

        assertThat(request).isNotDone();
        assertThat(a.stats().strayResponses()).isEqualTo(4);
    }

    @Test
    void endpointOfAnotherSchemeIsUnreachable() {
        Endpoint quic = new Endpoint("quic", "beta", 1, b.endpoint().nodeId());

        assertThat(outcome(a.send(quic, new Frames.Ack(io.hyphae.api.MessageId.of(new byte[16])))).failure())
                .isInstanceOf(UnreachablePeerException.class).hasMessageContaining("not a mem endpoint");
        assertThat(a.stats().unreachable()).isEqualTo(1);
    }

    @Test
    void twoTransportsCannotHoldOneAddress() {
        MemTransport second = new MemTransport(fixture.network, "alpha", 1, fixture.randomNodeId(), fixture.time);

        assertThatThrownBy(second::start).isInstanceOf(AddressInUseException.class);
        assertThat(second.localEndpoints()).isEmpty();
    }

    @Test
    void startTwiceIsHarmlessAndStartAfterCloseFails() {
        assertThat(a.start()).isSameAs(a);
        a.close();

        assertThatThrownBy(a::start).isInstanceOf(TransportClosedException.class);
        assertThat(fixture.network.attach("alpha", 1, fixture.randomNodeId(), datagram -> { })).isNotNull();
    }

    @Test
    void handlerAnsweringLaterOnAnotherThreadIsSentBack() throws InterruptedException {
        CompletableFuture<Frames.Pong> later = new CompletableFuture<>();
        b.register(RecordingHandler.answeringWith(Frames.Ping.class, later));
        CompletableFuture<Frame> request = a.request(b.endpoint(), new Frames.Ping(contactOf(a)),
                Duration.ofSeconds(5)).toCompletableFuture();
        fixture.letTimePass(Duration.ofMillis(10));

        Thread other = new Thread(() -> later.complete(new Frames.Pong(contactOf(b))));
        other.start();
        other.join();
        fixture.letTimePass(Duration.ofMillis(10));

        assertThat(request).isCompletedWithValue(new Frames.Pong(contactOf(b)));
    }

    @Test
    void countersFollowTheTraffic() {
        b.register(RecordingHandler.answering(Frames.Ping.class, frame -> new Frames.Pong(contactOf(b))));

        outcome(a.request(b.endpoint(), new Frames.Ping(contactOf(a)), Duration.ofSeconds(1)));
        outcome(a.request(b.endpoint(), new Frames.Stored(1), Duration.ofSeconds(1)));
        outcome(a.request(b.endpoint().withNodeId(fixture.randomNodeId()), new Frames.Stored(1),
                Duration.ofSeconds(1)));

        assertThat(a.stats().requestsSent()).isEqualTo(2);
        assertThat(a.stats().responsesMatched()).isEqualTo(2);
        assertThat(a.stats().unreachable()).isEqualTo(1);
        assertThat(b.stats().unsupported()).isEqualTo(1);
        assertThat(a.stats().toString()).contains("transport.mem.requestsSent=2");
    }

    private <T> Outcome<T> outcome(CompletionStage<T> stage) {
        CompletableFuture<T> future = stage.toCompletableFuture();
        assertThat(fixture.runUntil(future::isDone, Duration.ofSeconds(30))).as("stage completes").isTrue();
        return Outcome.of(future);
    }

    private static Contact contactOf(MemTransport transport) {
        NodeId id = transport.endpoint().nodeId();
        return new Contact(id, List.of(transport.endpoint()));
    }
}
