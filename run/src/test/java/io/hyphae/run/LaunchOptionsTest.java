package io.hyphae.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LaunchOptionsTest {
    private static final String NODE = "ab".repeat(32);

    private static LaunchOptions parse(List<String> args, Map<String, String> properties) {
        return LaunchOptions.parse(args, properties::get);
    }

    @Test
    void nothingGivenLeavesEveryComponentDefault() {
        LaunchOptions o = parse(List.of(), Map.of());

        assertThat(o.port()).isEmpty();
        assertThat(o.shell()).isEmpty();
        assertThat(o.help()).isFalse();
        assertThat(NodeConfigurations.of(o)).isEmpty();
    }

    @Test
    void flagsBecomeTheConfigurationOfEachPid() {
        LaunchOptions o = parse(List.of("--port", "4434", "--bind=0.0.0.0", "--advertise", "node1.example",
                "--bootstrap", "quic://127.0.0.1:4433/" + NODE + ", tcp://127.0.0.1:4433/" + NODE,
                "--realm", "lab", "--data", "/tmp/n1", "--no-shell"), Map.of());

        assertThat(o.shell()).contains(false);
        Map<String, Map<String, Object>> c = NodeConfigurations.of(o);
        assertThat(c.get("io.hyphae.transport.quic")).containsEntry("port", 4434)
                .containsEntry("bindHost", "0.0.0.0").containsEntry("advertisedHost", "node1.example");
        assertThat(c.get("io.hyphae.transport.tcp")).containsEntry("port", 4434).containsEntry("bindHost", "0.0.0.0");
        assertThat((String[]) c.get("io.hyphae.dht").get("bootstrap"))
                .containsExactly("quic://127.0.0.1:4433/" + NODE, "tcp://127.0.0.1:4433/" + NODE);
        assertThat(c.get("io.hyphae.node")).containsEntry("realm", "lab");
        assertThat(c.get("io.hyphae.identity")).containsEntry("keyFile", Path.of("/tmp/n1/node.key").toString());
    }

    @Test
    void aTcpPortOfItsOwnLeavesQuicOnThePort() {
        Map<String, Map<String, Object>> c = NodeConfigurations.of(
                parse(List.of("--port", "5000", "--tcp-port", "5001"), Map.of()));

        assertThat(c.get("io.hyphae.transport.quic")).containsEntry("port", 5000);
        assertThat(c.get("io.hyphae.transport.tcp")).containsEntry("port", 5001);
    }

    @Test
    void systemPropertiesStandInForFlagsAndFlagsWin() {
        LaunchOptions o = parse(List.of("--port", "7000"),
                Map.of("hyphae.port", "6000", "hyphae.realm", "lab", "hyphae.no-shell", "true"));

        assertThat(o.port()).contains(7000);
        assertThat(o.realm()).contains("lab");
        assertThat(o.shell()).contains(false);
    }

    @Test
    void theLastOfARepeatedFlagWins() {
        assertThat(parse(List.of("--port", "1", "--port", "2"), Map.of()).port()).contains(2);
    }

    @Test
    void badFlagsNameTheFlagAndTheValue() {
        assertThatThrownBy(() -> parse(List.of("--port", "70000"), Map.of()))
                .hasMessage("--port must be a port number 0..65535: 70000");
        assertThatThrownBy(() -> parse(List.of("--port"), Map.of())).hasMessage("--port needs a value");
        assertThatThrownBy(() -> parse(List.of("--wat"), Map.of())).hasMessage("unknown option --wat");
        assertThatThrownBy(() -> parse(List.of("4433"), Map.of())).hasMessage("unexpected argument \"4433\"");
        assertThatThrownBy(() -> parse(List.of("--bootstrap", "127.0.0.1:4433"), Map.of()))
                .hasMessageStartingWith("--bootstrap: endpoint has no scheme");
        assertThatThrownBy(() -> parse(List.of("--log-level", "loud"), Map.of()))
                .hasMessage("--log-level must be one of [error, warn, info, debug, trace]: loud");
        assertThatThrownBy(() -> parse(List.of("--realm", " "), Map.of())).hasMessage("--realm is empty");
    }

    @Test
    void helpAndShellSwitches() {
        assertThat(parse(List.of("--help"), Map.of()).help()).isTrue();
        assertThat(parse(List.of("--shell"), Map.of()).shell()).isEqualTo(Optional.of(true));
    }
}
