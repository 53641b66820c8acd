package io.hyphae.node;

import static io.hyphae.node.Fakes.node;
import static io.hyphae.node.Fakes.subscriber;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hyphae.api.BackpressureException;
import io.hyphae.api.Message;
import io.hyphae.api.MessageId;
import io.hyphae.api.NodeClosedException;
import io.hyphae.api.NodeId;
import io.hyphae.api.PayloadTooLargeException;
import io.hyphae.api.PublishReceipt;
import io.hyphae.api.Qos;
import io.hyphae.api.Subscription;
import io.hyphae.api.Topic;
import io.hyphae.spi.concurrent.VirtualTime;
import io.hyphae.spi.pubsub.Router.Delivery;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class HyphaeNodeTest {
    private static final Topic TOPIC = Topic.of("sensors.temp");
    private final VirtualTime time = new VirtualTime();
    private final NodeId self = node(1);
    private final NodeId remote = node(2);
    private final Fakes.FakeAdvertiser advertiser = new Fakes.FakeAdvertiser();
    private final Fakes.FakeDiscovery discovery = new Fakes.FakeDiscovery();
    private final Fakes.FakeRouter router = new Fakes.FakeRouter();
    private final HyphaeNode node = new HyphaeNode(NodeSettings.defaults().withMaxPayloadBytes(16), self,
            advertiser, discovery, router, time, time.clock(), new Random(1)).start();

    private CompletableFuture<PublishReceipt> publish(Qos qos) {
        CompletableFuture<PublishReceipt> r = node.publish(TOPIC, new byte[] {42}, qos).toCompletableFuture();
        time.runDue();
        return r;
    }

    @Test
    void localSubscriberGetsTheMessageWithoutTheNetwork() {
        discovery.cache.put(TOPIC, List.of());
        List<Message> got = new ArrayList<>();
        node.subscribe(TOPIC, got::add);
        CompletableFuture<PublishReceipt> receipt = publish(Qos.AT_LEAST_ONCE);
        assertThat(got).singleElement().satisfies(m -> {
            assertThat(m.payload()).containsExactly(42);
            assertThat(m.publisher()).isEqualTo(self);
            assertThat(m.realm()).isEqualTo("default");
        });
        assertThat(router.routed).isEmpty();
        assertThat(receipt.join()).extracting(PublishReceipt::local, PublishReceipt::subscribers,
                PublishReceipt::delivered).containsExactly(1, 0, 0);
    }

    @Test
    void throwingHandlerHarmsNeitherTheNodeNorOtherHandlers() {
        discovery.cache.put(TOPIC, List.of());
        List<Message> got = new ArrayList<>();
        node.subscribe(TOPIC, m -> {
            throw new IllegalStateException("handler bug");
        });
        node.subscribe(TOPIC, got::add);
        assertThat(publish(Qos.AT_MOST_ONCE).join().local()).isEqualTo(2);
        assertThat(publish(Qos.AT_MOST_ONCE).join().local()).isEqualTo(2);
        assertThat(got).hasSize(2);
        assertThat(node.stats().get("node.handler.errors")).isEqualTo(2);
    }

    @Test
    void handlersRunOnTheHandlerExecutorNotOnTheRouterThread() {
        List<Message> got = new ArrayList<>();
        node.subscribe(TOPIC, got::add);
        Message m = new Message(MessageId.random(new Random(2)), "default", TOPIC, new byte[0], Qos.AT_MOST_ONCE,
                remote, time.now());
        router.inbound(m);
        assertThat(got).as("the router's call returned before the handler ran").isEmpty();
        time.runDue();
        assertThat(got).containsExactly(m);
        assertThat(node.stats().get("node.received")).isEqualTo(1);
    }

    @Test
    void payloadLargerThanTheLimitIsRefusedAndNothingIsSent() {
        List<Message> got = new ArrayList<>();
        node.subscribe(TOPIC, got::add);
        assertThatThrownBy(() -> node.publish(TOPIC, new byte[17], Qos.AT_LEAST_ONCE))
                .isInstanceOf(PayloadTooLargeException.class).hasMessageContaining("17 bytes")
                .hasMessageContaining("maxPayloadBytes 16");
        time.runDue();
        assertThat(got).isEmpty();
        assertThat(discovery.waiting).isEmpty();
        assertThat(router.routed).isEmpty();
    }

    @Test
    void firstSubscriptionAdvertisesAndLastClosedCancels() {
        Subscription a = node.subscribe(TOPIC, m -> { });
        Subscription b = node.subscribe(TOPIC, m -> { });
        assertThat(advertiser.calls).containsExactly("+sensors.temp");
        a.close();
        a.close();
        assertThat(a.isActive()).isFalse();
        assertThat(advertiser.calls).containsExactly("+sensors.temp");
        b.close();
        assertThat(advertiser.calls).containsExactly("+sensors.temp", "-sensors.temp");
        node.subscribe(TOPIC, m -> { });
        assertThat(advertiser.calls).containsExactly("+sensors.temp", "-sensors.temp", "+sensors.temp");
    }

    @Test
    void publishWaitsForTheQueryAnswerAndNeverRoutesToItself() {
        CompletableFuture<PublishReceipt> receipt = publish(Qos.AT_LEAST_ONCE);
        assertThat(discovery.waiting).hasSize(1);
        assertThat(router.routed).isEmpty();
        assertThat(discovery.waiting.get(0).qos()).isEqualTo(Qos.AT_LEAST_ONCE);

        discovery.waiting.get(0).onSubscribers(List.of(subscriber(self), subscriber(remote)));
        assertThat(router.routed).singleElement().satisfies(r ->
                assertThat(r.subscribers()).extracting(s -> s.nodeId()).containsExactly(remote));
        assertThat(receipt).isNotDone();

        router.routed.get(0).delivery().complete(new Delivery(1, 1, List.of()));
        time.runDue();
        assertThat(receipt.join()).extracting(PublishReceipt::local, PublishReceipt::subscribers,
                PublishReceipt::delivered).containsExactly(0, 1, 1);
    }

    @Test
    void receiptCompletesOnTheRouterThreadButItsContinuationsRunOnTheHandlerExecutor() {
        discovery.cache.put(TOPIC, List.of(subscriber(remote)));
        CompletableFuture<PublishReceipt> receipt = publish(Qos.AT_LEAST_ONCE);
        List<String> ran = new ArrayList<>();
        receipt.thenAccept(r -> ran.add("delivered " + r.delivered()));
        router.routed.get(0).delivery().complete(new Delivery(1, 1, List.of())); // the router's thread
        assertThat(receipt).as("a caller blocked on the receipt is woken now").isCompleted();
        assertThat(ran).as("but no continuation ran on the router's thread").isEmpty();
        time.runDue();
        assertThat(ran).containsExactly("delivered 1");
    }

    @Test
    void withoutHandlerThreadsHandlersAndReceiptContinuationsRunOnTheThreadThatDeliversThem() {
        HyphaeNode direct = new HyphaeNode(NodeSettings.defaults().withHandlerThreads(0), self, advertiser, discovery,
                router, task -> {
                    throw new AssertionError("the executor is unused without handler threads");
                }, time.clock(), new Random(1)).start();
        List<String> ran = new ArrayList<>();
        direct.subscribe(TOPIC, m -> ran.add("handler of " + m.publisher().shortHex()));
        Message m = new Message(MessageId.random(new Random(2)), "default", TOPIC, new byte[0], Qos.AT_MOST_ONCE,
                remote, time.now());

        router.inbound(m); // the router's (network) thread
        assertThat(ran).as("ran before the router's call returned").containsExactly("handler of " + remote.shortHex());

        discovery.cache.put(TOPIC, List.of(subscriber(remote)));
        CompletableFuture<PublishReceipt> receipt = direct.publish(TOPIC, new byte[] {1}, Qos.AT_LEAST_ONCE)
                .toCompletableFuture();
        assertThat(ran).as("the local handler ran inside publish").hasSize(2);
        receipt.thenAccept(r -> ran.add("receipt " + r.delivered()));
        router.routed.get(0).delivery().complete(new Delivery(1, 1, List.of())); // the router's thread
        assertThat(ran).as("the continuation ran on the completing thread").endsWith("receipt 1");
        direct.close();
    }

    @Test
    void unreachableSubscriberIsEvictedFromDiscovery() {
        discovery.cache.put(TOPIC, List.of(subscriber(remote)));
        CompletableFuture<PublishReceipt> receipt = publish(Qos.AT_LEAST_ONCE);
        router.routed.get(0).delivery().complete(new Delivery(1, 0, List.of(remote)));
        time.runDue();
        assertThat(receipt.join().missed()).isEqualTo(1);
        assertThat(discovery.evicted).containsExactly("sensors.temp/" + remote.shortHex());
    }

    @Test
    void droppedDiscoveryReachesOnlyLocalHandlers() {
        node.subscribe(TOPIC, m -> { });
        CompletableFuture<PublishReceipt> receipt = publish(Qos.AT_MOST_ONCE);
        discovery.waiting.get(0).onDropped("query timed out");
        discovery.waiting.get(0).onSubscribers(List.of(subscriber(remote)));
        time.runDue();
        assertThat(receipt.join()).extracting(PublishReceipt::local, PublishReceipt::subscribers)
                .containsExactly(1, 0);
        assertThat(router.routed).as("answered once").isEmpty();
    }

    @Test
    void routerBackpressureFailsThePublish() {
        discovery.cache.put(TOPIC, List.of(subscriber(remote)));
        CompletableFuture<PublishReceipt> receipt = publish(Qos.AT_LEAST_ONCE);
        router.routed.get(0).delivery().completeExceptionally(new BackpressureException("queue full"));
        time.runDue();
        assertThat(receipt.handle((r, e) -> e).join()).isInstanceOf(BackpressureException.class);
    }

    @Test
    void closeFailsWaitingPublishesCancelsAdvertisementsAndRefusesNewWork() {
        Subscription s = node.subscribe(TOPIC, m -> { });
        CompletableFuture<PublishReceipt> waiting = publish(Qos.AT_LEAST_ONCE);
        node.close();
        node.close();
        time.runDue();
        assertThat(waiting.handle((r, e) -> e).join()).isInstanceOf(NodeClosedException.class);
        assertThat(s.isActive()).isFalse();
        assertThat(advertiser.calls).containsExactly("+sensors.temp", "-sensors.temp");
        assertThat(router.sinks).isEmpty();
        assertThat(node.publish(TOPIC, new byte[0], Qos.AT_MOST_ONCE).toCompletableFuture())
                .isCompletedExceptionally();
        assertThatThrownBy(() -> node.subscribe(TOPIC, m -> { })).isInstanceOf(NodeClosedException.class);
    }
}
