package io.hyphae.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.hyphae.testkit.ComponentProperties;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DiscoverySettingsTest {
    @Test
    void realmAndQos1DeadlineComeFromTheNodeConfigurationAndTuningFromDiscoverys() {
        DiscoveryComponent.NodeConfig node = ComponentProperties.of(DiscoveryComponent.NodeConfig.class,
                Map.of("realm", "lab", "qos1DeadlineMs", 7_000L));
        DiscoveryComponent.Config own = ComponentProperties.of(DiscoveryComponent.Config.class,
                Map.of("queryTimeoutMs", 1_500L));

        DiscoverySettings settings = DiscoverySettings.from(node, own);

        assertThat(settings.realm()).isEqualTo("lab");
        assertThat(settings.qos1Deadline()).isEqualTo(Duration.ofSeconds(7));
        assertThat(settings.queryTimeout()).isEqualTo(Duration.ofMillis(1_500));
        assertThat(settings.negativeTtl()).isEqualTo(Duration.ofMillis(DiscoverySettings.DEFAULT_NEGATIVE_TTL_MS));
    }

    @Test
    void unconfiguredComponentGetsTheDefaults() {
        DiscoverySettings settings = DiscoverySettings.from(
                ComponentProperties.of(DiscoveryComponent.NodeConfig.class, Map.of()),
                ComponentProperties.of(DiscoveryComponent.Config.class, Map.of()));

        assertThat(settings).isEqualTo(DiscoverySettings.defaults());
    }

    /** Both are set once, in io.hyphae.node: a copy in io.hyphae.discovery would be a second place. */
    @Test
    void discoveryConfigurationHasNoRealmOrQos1DeadlineOfItsOwn() {
        assertThat(Arrays.stream(DiscoveryComponent.Config.class.getDeclaredMethods()).map(Method::getName))
                .doesNotContain("realm", "qos1DeadlineMs");
    }
}
