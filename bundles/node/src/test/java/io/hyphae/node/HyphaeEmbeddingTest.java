package io.hyphae.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.hyphae.api.Message;
import io.hyphae.api.PublishReceipt;
import io.hyphae.api.Qos;
import io.hyphae.spi.concurrent.VirtualTime;
import io.hyphae.transport.mem.MemTransport;
import io.hyphae.transport.mem.VirtualNetwork;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The README's embedding example, run: two nodes built without OSGi talk over the mem network. */
class HyphaeEmbeddingTest {
    @Test
    void twoEmbeddedNodesPublishAndSubscribeOverTheMemNetwork() throws InterruptedException {
        VirtualTime time = new VirtualTime();
        VirtualNetwork network = new VirtualNetwork(time, new Random(1));
        BlockingQueue<Message> got = new LinkedBlockingQueue<>();

        try (EmbeddedNode seed = Hyphae.node().realm("demo").scheduler(time).clock(time.clock())
                .transport(id -> new MemTransport(network, "seed", 1, id.nodeId(), time).start()).start();
             EmbeddedNode node = Hyphae.node().realm("demo").scheduler(time).clock(time.clock())
                     .transport(id -> new MemTransport(network, "n1", 1, id.nodeId(), time).start())
                     .bootstrap("mem://seed:1/" + seed.nodeId().toHex()).start()) {
            time.advance(Duration.ofSeconds(5));
            seed.subscribe("sensors.temp", got::add);
            time.advance(Duration.ofSeconds(5));

            CompletableFuture<PublishReceipt> receipt = node.publish("sensors.temp", new byte[] {21},
                    Qos.AT_LEAST_ONCE).toCompletableFuture();
            time.advance(Duration.ofSeconds(5));

            assertThat(receipt.join()).extracting(PublishReceipt::subscribers, PublishReceipt::delivered)
                    .containsExactly(1, 1);
            // The acknowledgement can overtake the handler, which runs on a handler thread of the subscriber.
            Message m = got.poll(10, TimeUnit.SECONDS);
            assertThat(m).isNotNull();
            assertThat(m.realm()).isEqualTo("demo");
            assertThat(m.publisher()).isEqualTo(node.nodeId());
            assertThat(m.payload()).containsExactly(21);
            assertThat(got).isEmpty();
        }
    }
}
