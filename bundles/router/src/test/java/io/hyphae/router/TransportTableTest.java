package io.hyphae.router;

import static io.hyphae.router.Fixtures.endpoint;
import static io.hyphae.router.Fixtures.node;
import static org.assertj.core.api.Assertions.assertThat;

import io.hyphae.api.NodeId;
import io.hyphae.router.TransportTable.Route;
import io.hyphae.spi.concurrent.VirtualTime;
import io.hyphae.spi.transport.Endpoint;
import io.hyphae.spi.transport.Frame;
import io.hyphae.spi.transport.InboundHandler;
import io.hyphae.spi.transport.Peer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class TransportTableTest {
    private final VirtualTime time = new VirtualTime();
    private final NodeId peer = node(2);
    private final List<Endpoint> endpoints = List.of(endpoint("mem", "a", peer), endpoint("quic", "b", peer));
    private final InboundHandler handler = new InboundHandler() {
        @Override
        public boolean accepts(Frame frame) {
            return false;
        }

        @Override
        public void onMessage(Peer from, Frame message) {
        }

        @Override
        public CompletionStage<Frame> onRequest(Peer from, Frame request) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException());
        }
    };

    @Test
    void theSameEndpointListGetsTheSameRoutesUntilATransportComesOrGoes() {
        TransportTable table = new TransportTable();
        FakeTransport mem = new FakeTransport("mem", time);
        FakeTransport quic = new FakeTransport("quic", time);
        table.add(mem, handler);

        List<Route> first = table.routes(endpoints);
        assertThat(first).extracting(Route::transport).containsExactly(mem);
        assertThat(table.routes(endpoints)).as("asked again: the same answer").isSameAs(first);
        assertThat(table.routes(new ArrayList<>(endpoints))).as("an equal list: worked out again")
                .isNotSameAs(first).isEqualTo(first);

        table.add(quic, handler);
        assertThat(table.routes(endpoints)).extracting(Route::transport).containsExactly(mem, quic);
        table.remove(mem);
        assertThat(table.routes(endpoints)).extracting(Route::transport).containsExactly(quic);
        table.remove(quic);
        assertThat(table.routes(endpoints)).isEmpty();
    }
}
