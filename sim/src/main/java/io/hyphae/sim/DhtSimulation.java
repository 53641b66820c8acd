package io.hyphae.sim;

import java.util.List;

/**
 * Command-line entry of the simulator: {@code java -Xmx4g -cp ... io.hyphae.sim.DhtSimulation --nodes 10000
 * --churn-per-min 10 --minutes 10 --seed 1}. Prints the run's table to standard output; exit status 2 on bad flags.
 */
public final class DhtSimulation {
    private DhtSimulation() {
    }

    public static void main(String[] args) {
        SimulationSettings settings;
        try {
            settings = SimulationFlags.parse(List.of(args));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(SimulationFlags.USAGE);
            System.exit(2);
            return;
        }
        SimulationResult result = new Simulation(settings, System::nanoTime, HeapGauge.jvm()).run();
        System.out.println(result.table());
    }
}
