package io.hyphae.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.hyphae.testkit.ComponentProperties;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The OSGi wiring of the router, built as SCR would build it, without a framework. */
class RouterComponentTest {
    @Test
    void registersItsCountersAsTheRouterModule() {
        RouterComponent component = new RouterComponent(ComponentProperties.of(RouterComponent.Config.class, Map.of()),
                ComponentProperties.of(RouterComponent.NodeConfig.class, Map.of()));
        try {
            assertThat(component.module()).isEqualTo("router");
            assertThat(component.snapshot()).containsEntry("router.qos1.retries", 0L)
                    .containsOnlyKeys(component.stats().snapshot().keySet());
            assertThat(List.copyOf(component.snapshot().keySet())).isSorted()
                    .allMatch(name -> name.startsWith("router."));
        } finally {
            component.deactivate();
        }
    }

    @Test
    void realmPayloadLimitAndQos1DeadlineComeFromTheNodeConfiguration() {
        RouterSettings settings = RouterSettings.from(
                ComponentProperties.of(RouterComponent.NodeConfig.class,
                        Map.of("realm", "lab", "maxPayloadBytes", 512, "qos1DeadlineMs", 9_000L)),
                ComponentProperties.of(RouterComponent.Config.class, Map.of("retryInitialMs", 50L)));

        assertThat(settings).isEqualTo(RouterSettings.defaults().withRealm("lab").withMaxPayloadBytes(512)
                .withQos1DeadlineMs(9_000).withRetry(50, RouterSettings.DEFAULT_RETRY_MULTIPLIER,
                        RouterSettings.DEFAULT_RETRY_MAX_MS, RouterSettings.DEFAULT_RETRY_JITTER));
    }
}
