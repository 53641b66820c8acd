package io.hyphae.router;

import static io.hyphae.router.Fixtures.message;
import static io.hyphae.router.Fixtures.node;
import static io.hyphae.router.Fixtures.peer;
import static io.hyphae.router.Fixtures.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.hyphae.api.Message;
import io.hyphae.api.MessageId;
import io.hyphae.api.NodeId;
import io.hyphae.api.Qos;
import io.hyphae.api.Topic;
import io.hyphae.spi.concurrent.VirtualTime;
import io.hyphae.spi.dht.Key;
import io.hyphae.spi.dht.Record;
import io.hyphae.spi.pubsub.Router;
import io.hyphae.spi.transport.Frame;
import io.hyphae.wire.Frames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MessageRouterInboundTest {
    private final VirtualTime time = new VirtualTime();
    private final NodeId publisher = node(5);
    private final FakeTransport mem = new FakeTransport("mem", time);
    private final List<Message> received = new ArrayList<>();
    private final List<Record> withdrawn = new ArrayList<>();

    private MessageRouter router(RouterSettings settings) {
        MessageRouter r = new MessageRouter(settings, time.clock(), time, new Random(1), withdrawn::add);
        r.addTransport(mem);
        r.deliverTo(received::add);
        return r;
    }

    @Test
    void duplicateMessageIdIsDeliveredOnceAndStillAcked() {
        MessageRouter router = router(RouterSettings.defaults());
        Frames.Route r = route(message(time, publisher, Qos.AT_LEAST_ONCE));
        assertThat(mem.inboundRequest(peer(publisher), r)).isEqualTo(new Frames.Ack(r.id()));
        assertThat(mem.inboundRequest(peer(publisher), r)).isEqualTo(new Frames.Ack(r.id()));
        assertThat(received).singleElement().satisfies(m -> {
            assertThat(m.id()).isEqualTo(r.id());
            assertThat(m.payload()).containsExactly(1, 2, 3);
            assertThat(m.topic()).isEqualTo(Topic.of("a.b"));
        });
        assertThat(router.stats().get("router.duplicates")).isEqualTo(1);
        assertThat(router.stats().get("router.received")).isEqualTo(1);
    }

    /** Ids as nodes make them, numbered in a stream, go through the router's sequence window; retries are dropped. */
    @Test
    void sequencedIdsAreDeliveredOnceAndTheirRetriesDropped() {
        MessageRouter router = router(RouterSettings.defaults());
        List<Frames.Route> routes = new ArrayList<>();
        for (long n = 0; n < 2_000; n++) {
            routes.add(route(new Message(MessageId.ofSequence(42, n), "default", Topic.of("a.b"), new byte[] {1},
                    Qos.AT_LEAST_ONCE, publisher, time.now())));
        }
        for (int n = 0; n < routes.size(); n++) {
            mem.inboundMessage(peer(publisher), routes.get(n));
            if (n >= 500) {
                mem.inboundMessage(peer(publisher), routes.get(n - 500)); // a retry whose ack was lost
            }
        }
        routes.subList(1_500, 2_000).forEach(r -> mem.inboundMessage(peer(publisher), r));
        assertThat(received).extracting(Message::id).containsExactlyElementsOf(routes.stream().map(Frames.Route::id)
                .toList());
        assertThat(router.stats().get("router.duplicates")).isEqualTo(2_000);
    }

    @Test
    void anotherPublisherReusingAnIdCannotShadowTheFirstOnesMessage() {
        MessageRouter router = router(RouterSettings.defaults());
        NodeId other = node(6);
        Message original = message(time, publisher, Qos.AT_LEAST_ONCE);
        Message copycat = new Message(original.id(), original.realm(), original.topic(), new byte[] {9},
                original.qos(), other, original.publishedAt());
        mem.inboundRequest(peer(other), route(copycat));
        mem.inboundRequest(peer(publisher), route(original));
        assertThat(received).extracting(Message::publisher).containsExactly(other, publisher);
        assertThat(router.stats().get("router.duplicates")).isZero();
    }

    @Test
    void dedupeWindowIsBoundedInTimeAndInCount() {
        router(RouterSettings.defaults().withDedupe(2, 10_000));
        Frames.Route a = route(message(time, publisher, Qos.AT_MOST_ONCE));
        Frames.Route b = route(message(time, publisher, Qos.AT_MOST_ONCE));
        Frames.Route c = route(message(time, publisher, Qos.AT_MOST_ONCE));
        mem.inboundMessage(peer(publisher), a);
        mem.inboundMessage(peer(publisher), a);
        assertThat(received).hasSize(1);

        time.advance(Duration.ofSeconds(10));
        mem.inboundMessage(peer(publisher), a);
        assertThat(received).as("forgotten after the window").hasSize(2);

        mem.inboundMessage(peer(publisher), b);
        mem.inboundMessage(peer(publisher), c);
        mem.inboundMessage(peer(publisher), a);
        assertThat(received).as("forgotten when two newer ids came").hasSize(5);
    }

    @Test
    void qos1RouteSentOneWayIsAckedOneWayToItsSender() {
        router(RouterSettings.defaults());
        Frames.Route r = route(message(time, publisher, Qos.AT_LEAST_ONCE));
        mem.inboundMessage(peer(publisher), r);
        assertThat(mem.sent).singleElement().satisfies(s -> {
            assertThat(s.frame()).isEqualTo(new Frames.Ack(r.id()));
            assertThat(s.to().nodeId()).isEqualTo(publisher);
            assertThat(s.to().host()).isEqualTo("host-" + publisher.shortHex());
        });
    }

    @Test
    void badFramesAreCountedAndRefusedNeverThrown() {
        MessageRouter router = router(RouterSettings.defaults().withMaxPayloadBytes(2));
        Message m = message(time, publisher, Qos.AT_LEAST_ONCE);
        Frames.Route otherRealm = new Frames.Route(m.id(), "elsewhere", m.topic(), new byte[1], m.qos(), publisher,
                m.publishedAt(), 0);
        Frames.Route oversized = route(m);
        Frames.Route relayed = new Frames.Route(m.id(), "default", m.topic(), new byte[1], m.qos(), publisher,
                m.publishedAt(), 3);
        Frames.Route forged = new Frames.Route(m.id(), "default", m.topic(), new byte[1], m.qos(), node(8),
                m.publishedAt(), 0);
        for (Frames.Route bad : List.of(otherRealm, oversized, relayed, forged)) {
            Frame answer = mem.inboundRequest(peer(publisher), bad);
            assertThat(answer).isInstanceOfSatisfying(Frames.Error.class,
                    e -> assertThat(e.code()).isEqualTo(Frames.Error.Code.BAD_REQUEST));
            assertThatCode(() -> mem.inboundMessage(peer(publisher), bad)).doesNotThrowAnyException();
        }
        assertThat(received).isEmpty();
        assertThat(mem.sent).as("no ack for a refused route").isEmpty();
        assertThat(router.stats().get("router.bad.frames")).isEqualTo(8);
    }

    @Test
    void routeWithoutSinkIsNotAckedSoTheSenderRetries() {
        MessageRouter router = new MessageRouter(RouterSettings.defaults(), time.clock(), time);
        router.addTransport(mem);
        Frames.Route r = route(message(time, publisher, Qos.AT_LEAST_ONCE));
        assertThat(mem.inboundRequest(peer(publisher), r)).isInstanceOf(Frames.Error.class);

        Router.Registration registration = router.deliverTo(received::add);
        assertThat(mem.inboundRequest(peer(publisher), r)).isEqualTo(new Frames.Ack(r.id()));
        assertThat(received).hasSize(1);
        registration.close();
        registration.close();
        assertThat(router.stats().get("router.no.sink")).isEqualTo(1);
    }

    @Test
    void throwingSinkIsCountedAndOtherSinksStillGetTheMessage() {
        MessageRouter router = router(RouterSettings.defaults());
        router.deliverTo(m -> {
            throw new IllegalStateException("boom");
        });
        List<Message> third = new ArrayList<>();
        router.deliverTo(third::add);
        Frames.Route r = route(message(time, publisher, Qos.AT_LEAST_ONCE));
        assertThat(mem.inboundRequest(peer(publisher), r)).isEqualTo(new Frames.Ack(r.id()));
        assertThat(received).hasSize(1);
        assertThat(third).hasSize(1);
        assertThat(router.stats().get("router.sink.errors")).isEqualTo(1);
    }

    @Test
    void withdrawalFromItsSubscriberGoesToTheHookAndAForwardedOneDoesNot() {
        MessageRouter router = router(RouterSettings.defaults());
        Record withdrawal = new Record(Key.ofTopic("default", Topic.of("a.b")), publisher, 2, time.now(),
                new byte[0], new byte[44], new byte[64]);
        mem.inboundMessage(peer(publisher), new Frames.Withdraw(withdrawal));
        mem.inboundMessage(peer(node(9)), new Frames.Withdraw(withdrawal));
        assertThat(withdrawn).containsExactly(withdrawal);
        assertThat(router.stats().get("router.withdrawals")).isEqualTo(1);
        assertThat(router.stats().get("router.bad.frames")).isEqualTo(1);
    }

    @Test
    void routerTakesOnlyItsOwnFrameTypes() {
        router(RouterSettings.defaults());
        assertThat(mem.handlers).singleElement().satisfies(h -> {
            assertThat(h.accepts(new Frames.Ack(message(time, publisher, Qos.AT_MOST_ONCE).id()))).isTrue();
            assertThat(h.accepts(new Frames.Stored(1))).isFalse();
        });
    }
}
