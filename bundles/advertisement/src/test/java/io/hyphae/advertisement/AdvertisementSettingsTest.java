package io.hyphae.advertisement;

import static org.assertj.core.api.Assertions.assertThat;

import io.hyphae.testkit.ComponentProperties;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdvertisementSettingsTest {
    @Test
    void realmComesFromTheNodeConfigurationAndTuningFromTheAdvertisers() {
        AdvertisementComponent.NodeConfig node = ComponentProperties.of(AdvertisementComponent.NodeConfig.class,
                Map.of("realm", "lab"));
        AdvertisementComponent.Config own = ComponentProperties.of(AdvertisementComponent.Config.class,
                Map.of("ttlSeconds", 60L));

        AdvertisementSettings settings = AdvertisementSettings.from(node, own);

        assertThat(settings.realm()).isEqualTo("lab");
        assertThat(settings.ttl()).isEqualTo(Duration.ofSeconds(60));
        assertThat(settings.withdrawDeadline())
                .isEqualTo(Duration.ofMillis(AdvertisementSettings.DEFAULT_WITHDRAW_DEADLINE_MS));
    }

    @Test
    void unconfiguredComponentGetsTheDefaults() {
        AdvertisementSettings settings = AdvertisementSettings.from(
                ComponentProperties.of(AdvertisementComponent.NodeConfig.class, Map.of()),
                ComponentProperties.of(AdvertisementComponent.Config.class, Map.of()));

        assertThat(settings).isEqualTo(AdvertisementSettings.defaults());
    }

    /** The realm is set once, in io.hyphae.node: a realm in io.hyphae.advertisement would be a second place. */
    @Test
    void advertiserConfigurationHasNoRealmOfItsOwn() {
        assertThat(Arrays.stream(AdvertisementComponent.Config.class.getDeclaredMethods()).map(Method::getName))
                .doesNotContain("realm");
    }
}
