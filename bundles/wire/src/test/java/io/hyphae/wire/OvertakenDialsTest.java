package io.hyphae.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.hyphae.api.NodeId;
import io.hyphae.spi.concurrent.VirtualTime;
import io.hyphae.spi.transport.Endpoint;
import io.hyphae.spi.transport.UnreachablePeerException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class OvertakenDialsTest {
    private static final Endpoint QUIC = new Endpoint("quic", "127.0.0.2", 4433, node(3));
    private static final Endpoint OTHER = new Endpoint("quic", "127.0.0.3", 4433, node(4));

    private final VirtualTime time = new VirtualTime();
    private final OvertakenDials overtaken = new OvertakenDials(time.clock());

    @Test
    void anEndpointIsOvertakenForFiveSecondsEvenIfItsDialFails() {
        CompletableFuture<Void> waiting = new CompletableFuture<>();
        assertThat(overtaken.contains(QUIC)).isFalse();

        overtaken.add(QUIC, waiting);
        assertThat(overtaken.contains(QUIC)).isTrue();
        assertThat(overtaken.contains(OTHER)).isFalse();

        waiting.completeExceptionally(new UnreachablePeerException("connect timeout"));
        time.advance(Duration.ofMillis(OvertakenDials.FOR_MS - 1));
        assertThat(overtaken.contains(QUIC)).as("a failed dial is held down by its transport, still last").isTrue();
        time.advance(Duration.ofMillis(1));
        assertThat(overtaken.contains(QUIC)).isFalse();
    }

    @Test
    void aUseThatGetsThroughEndsItAtOnce() {
        CompletableFuture<Void> waiting = new CompletableFuture<>();
        overtaken.add(QUIC, waiting);

        waiting.complete(null);

        assertThat(overtaken.contains(QUIC)).isFalse();
    }

    @Test
    void aLateSuccessOfAnEarlierRaceDoesNotEndALaterOne() {
        CompletableFuture<Void> first = new CompletableFuture<>();
        overtaken.add(QUIC, first);
        overtaken.add(QUIC, new CompletableFuture<>()); // the same millisecond: told apart all the same

        first.complete(null);

        assertThat(overtaken.contains(QUIC)).isTrue();
    }

    @Test
    void expiredEntriesAreSweptOnceThereAreMany() {
        for (int i = 0; i < 300; i++) {
            overtaken.add(new Endpoint("quic", "10.0.0." + (i % 250), 1000 + i, node(5)), new CompletableFuture<>());
        }
        time.advance(Duration.ofMillis(OvertakenDials.FOR_MS));
        overtaken.add(QUIC, new CompletableFuture<>());

        assertThat(overtaken.size()).as("only the new entry is left").isOne();
    }

    private static NodeId node(int n) {
        byte[] b = new byte[NodeId.BYTES];
        Arrays.fill(b, (byte) n);
        return NodeId.of(b);
    }
}
