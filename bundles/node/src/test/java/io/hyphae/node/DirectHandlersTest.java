package io.hyphae.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hyphae.api.PublishReceipt;
import io.hyphae.api.Qos;
import io.hyphae.api.Topic;
import io.hyphae.spi.concurrent.Scheduler;
import io.hyphae.spi.pubsub.NodeIdentity;
import io.hyphae.tls.SelfSignedCredentials;
import io.hyphae.transport.quic.QuicSettings;
import io.hyphae.transport.quic.QuicTransport;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes without handler threads ({@code handlerThreads} 0) over the real QUIC transport on loopback: the
 * subscriber's handler runs on the QUIC event loop that read the message, the publisher's receipt continuations on
 * the one that took the acknowledgement (or the publisher's own thread, when it registers them after that).
 */
class DirectHandlersTest {
    private static final Topic TOPIC = Topic.of("direct.handlers");
    private static final NodeSettings DIRECT = NodeSettings.defaults().withHandlerThreads(0);

    private final Closer toClose = new Closer();

    @AfterEach
    void closeNodesThenTransports() throws Exception {
        toClose.close();
    }

    @Test
    void handlersAndReceiptContinuationsRunOnTheQuicEventLoops() throws Exception {
        List<QuicTransport> aTransport = new ArrayList<>();
        EmbeddedNode a = node(aTransport);
        EmbeddedNode b = node(new ArrayList<>(), aTransport.get(0).localEndpoints().get(0).toString());
        Set<Integer> arrived = ConcurrentHashMap.newKeySet();
        List<String> handlerThreads = new CopyOnWriteArrayList<>();
        b.subscribe(TOPIC, m -> {
            handlerThreads.add(Thread.currentThread().getName());
            arrived.add(ByteBuffer.wrap(m.payload()).getInt());
        });
        await("A to find B's subscription").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> publish(a, -1).get(10, TimeUnit.SECONDS).delivered() == 1);

        List<String> continuationThreads = new CopyOnWriteArrayList<>();
        List<CompletableFuture<PublishReceipt>> receipts = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            CompletableFuture<PublishReceipt> receipt = publish(a, i);
            receipt.whenComplete((r, e) -> continuationThreads.add(Thread.currentThread().getName()));
            receipts.add(receipt);
        }
        CompletableFuture.allOf(receipts.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);

        assertThat(receipts).allSatisfy(r -> assertThat(r.join().delivered()).isOne());
        assertThat(arrived).containsAll(IntStream.range(0, 200).boxed().toList());
        assertThat(handlerThreads).allMatch(name -> name.startsWith("hyphae-transport-quic-"), "a QUIC event loop");
        await("every continuation ran").atMost(Duration.ofSeconds(5)).until(() -> continuationThreads.size() == 200);
        assertThat(continuationThreads).allMatch(name -> name.startsWith("hyphae-transport-quic-")
                || name.equals(Thread.currentThread().getName()), "the event loop, or here when already acknowledged");
    }

    private static CompletableFuture<PublishReceipt> publish(EmbeddedNode from, int n) {
        return from.publish(TOPIC, ByteBuffer.allocate(4).putInt(n).array(), Qos.AT_LEAST_ONCE)
                .toCompletableFuture();
    }

    private EmbeddedNode node(List<QuicTransport> made, String... bootstrap) {
        EmbeddedNode node = Hyphae.node().settings(DIRECT).transport(id -> quic(made, id)).bootstrap(bootstrap)
                .start();
        toClose.add(node);
        return node;
    }

    private QuicTransport quic(List<QuicTransport> made, NodeIdentity id) {
        Scheduler timers = Scheduler.single("direct-handlers-quic-timers");
        toClose.add(timers::close);
        QuicTransport quic = new QuicTransport(QuicSettings.defaults(0),
                new SelfSignedCredentials(id, Clock.systemUTC(), SelfSignedCredentials.DEFAULT_VALIDITY),
                Clock.systemUTC(), timers);
        toClose.add(() -> quic.close().toCompletableFuture().get(5, TimeUnit.SECONDS));
        quic.start();
        made.add(quic);
        return quic;
    }
}
