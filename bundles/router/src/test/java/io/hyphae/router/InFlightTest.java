package io.hyphae.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.hyphae.api.Qos;
import io.hyphae.spi.concurrent.VirtualTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InFlightTest {
    private final VirtualTime time = new VirtualTime();
    private final Outbound out = new Outbound(RouterSettings.defaults(), new TransportTable(), new RouterStats(),
            time.clock(), time, new Random(1), new BadPeerLog(60_000, time.clock()), () -> null);

    private PeerDelivery delivery() {
        RouteJob job = new RouteJob(1, (delivery, failure) -> { });
        return new Qos0Delivery(out, job, Fixtures.route(Fixtures.message(time, Fixtures.node(1), Qos.AT_MOST_ONCE)),
                Fixtures.subscriber(Fixtures.node(2)));
    }

    @Test
    void removesFromAnyPlaceOnceAndListsWhatIsLeft() {
        InFlight inFlight = new InFlight();
        List<PeerDelivery> all = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            PeerDelivery d = delivery();
            all.add(d);
            inFlight.add(d);
        }
        Random random = new Random(5);
        List<PeerDelivery> left = new ArrayList<>(all);
        for (int i = 0; i < 60; i++) {
            PeerDelivery d = left.remove(random.nextInt(left.size()));
            assertThat(inFlight.remove(d)).isTrue();
            assertThat(inFlight.remove(d)).as("only once").isFalse();
        }
        assertThat(inFlight.size()).isEqualTo(40);
        assertThat(inFlight.snapshot()).containsExactlyInAnyOrderElementsOf(left);
        left.forEach(inFlight::remove);
        assertThat(inFlight.snapshot()).isEmpty();
        assertThat(inFlight.size()).isZero();
    }
}
