package io.hyphae.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class DhtSimulationTest {
    /** The run of the normal suite: 1,000 nodes, no churn, 2,000 FIND_NODE and 300 FIND_VALUE lookups. */
    @Test
    void thousandNodesWithoutChurnFindTheNearestNodeInAtMostFourHopsOnAverage() {
        SimulationSettings settings = SimulationSettings.defaults().withNodes(1_000).withChurn(0).withMinutes(2)
                .withWorkload(2_000, 300, 30, 5);

        SimulationResult result = new Simulation(settings, System::nanoTime, HeapGauge.jvm()).run();
        System.out.println(result.table());

        assertThat(result.findNode().judged()).isEqualTo(2_000);
        assertThat(result.findNodeSuccess()).isGreaterThanOrEqualTo(0.999);
        assertThat(result.meanHops()).isLessThanOrEqualTo(4.0);
        assertThat(result.findValue().judged()).isEqualTo(300);
        assertThat(result.findValueSuccess()).isGreaterThanOrEqualTo(0.999);
        assertThat(result.findValue().records.mean()).isEqualTo(5.0);
    }

    @Test
    void sameSeedSameFigures() {
        SimulationSettings settings = SimulationSettings.defaults().withNodes(60).withChurn(20).withMinutes(1)
                .withWorkload(100, 20, 3, 2).withPhases(50, 10, 60);

        SimulationResult first = new Simulation(settings, System::nanoTime, HeapGauge.none()).run();
        SimulationResult second = new Simulation(settings, System::nanoTime, HeapGauge.none()).run();

        assertThat(second.events()).isEqualTo(first.events());
        assertThat(second.framesSent()).isEqualTo(first.framesSent());
        assertThat(second.left()).isEqualTo(first.left()).isPositive();
        assertThat(second.findNode().succeeded).isEqualTo(first.findNode().succeeded);
        assertThat(second.findNode().hops.mean()).isEqualTo(first.findNode().hops.mean());
        assertThat(second.findValue().rpcs.mean()).isEqualTo(first.findValue().rpcs.mean());
    }

    @Test
    void churnKeepsTheMeshSizeAndReplacesTheRateAsked() {
        SimulationSettings settings = SimulationSettings.defaults().withNodes(100).withChurn(30).withMinutes(2)
                .withWorkload(50, 10, 2, 2).withPhases(50, 10, 60);

        SimulationResult result = new Simulation(settings, System::nanoTime, HeapGauge.none()).run();

        // 30 % of 100 nodes per minute for two minutes
        assertThat(result.left()).isEqualTo(60);
        assertThat(result.started()).isEqualTo(160);
        assertThat(result.liveAtEnd()).isEqualTo(100);
    }

    @Test
    void flagsBecomeSettings() {
        SimulationSettings s = SimulationFlags.parse(List.of("--nodes", "10000", "--churn-per-min", "10",
                "--minutes", "10", "--seed", "7", "--latency-ms", "40", "--loss", "0.01"));

        assertThat(s.nodes()).isEqualTo(10_000);
        assertThat(s.churnPercentPerMin()).isEqualTo(10.0);
        assertThat(s.minutes()).isEqualTo(10);
        assertThat(s.seed()).isEqualTo(7);
        assertThat(s.latencyMs()).isEqualTo(40);
        assertThat(s.lossRate()).isEqualTo(0.01);
        assertThat(s.effectiveJoinSpacingMs()).isEqualTo(10);
        assertThatThrownBy(() -> SimulationFlags.parse(List.of("--nodes"))).hasMessageContaining("--nodes");
        assertThatThrownBy(() -> SimulationFlags.parse(List.of("--loss", "2"))).hasMessageContaining("loss");
        assertThatThrownBy(() -> SimulationFlags.parse(List.of("--speed", "1"))).hasMessageContaining("--speed");
    }
}
