package io.hyphae.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.hyphae.api.PublishReceipt;
import io.hyphae.api.Qos;
import io.hyphae.api.Topic;
import io.hyphae.identity.Ed25519Identity;
import io.hyphae.testkit.ComponentProperties;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The OSGi wiring of the node, built as SCR would build it, without a framework; real handler threads. */
class NodeComponentTest {
    private static final Topic TOPIC = Topic.of("sensors.temp");

    private final Fakes.FakeDiscovery discovery = new Fakes.FakeDiscovery();

    @Test
    void takesItsRealmFromTheConfigurationAndRegistersItsCountersAsTheNodeModule() throws Exception {
        NodeComponent component = new NodeComponent(
                ComponentProperties.of(NodeComponent.Config.class, Map.of("realm", "lab")),
                new Fakes.FakeAdvertiser(), discovery, new Fakes.FakeRouter(), Ed25519Identity.generate());
        try {
            discovery.cache.put(TOPIC, List.of());
            PublishReceipt receipt = component.publish(TOPIC, new byte[] {1}, Qos.AT_MOST_ONCE)
                    .toCompletableFuture().get(5, TimeUnit.SECONDS);

            assertThat(receipt.subscribers()).isZero();
            assertThat(component.realm()).isEqualTo("lab");
            assertThat(component.module()).isEqualTo("node");
            assertThat(component.snapshot()).containsEntry("node.published", 1L);
            assertThat(List.copyOf(component.snapshot().keySet())).isSorted()
                    .allMatch(name -> name.startsWith("node."));
        } finally {
            component.deactivate();
        }
    }

    @Test
    void withNoHandlerThreadsItRunsHandlersOnTheDeliveringThread() throws Exception {
        Fakes.FakeRouter router = new Fakes.FakeRouter();
        NodeComponent component = new NodeComponent(
                ComponentProperties.of(NodeComponent.Config.class, Map.of("handlerThreads", 0)),
                new Fakes.FakeAdvertiser(), discovery, router, Ed25519Identity.generate());
        try {
            List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
            component.subscribe(TOPIC, m -> threads.add(Thread.currentThread().getName()));
            discovery.cache.put(TOPIC, List.of());
            component.publish(TOPIC, new byte[] {1}, Qos.AT_MOST_ONCE).toCompletableFuture().get(5, TimeUnit.SECONDS);

            assertThat(threads).containsExactly(Thread.currentThread().getName());
        } finally {
            component.deactivate();
        }
    }
}
