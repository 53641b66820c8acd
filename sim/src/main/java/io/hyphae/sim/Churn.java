package io.hyphae.sim;

import java.time.Duration;

/**
 * Replaces nodes at a steady rate: every virtual second, {@code percentPerMin / 100 * nodes / 60} random live nodes
 * (the fraction carried over) leave without notice and as many new nodes start and join, so the mesh keeps its
 * size. Runs on the thread driving the time.
 */
final class Churn {
    private static final Duration STEP = Duration.ofSeconds(1);
    private final EventQueue time;
    private final Population population;
    private final double perStep;
    private double owed;

    Churn(EventQueue time, Population population, int nodes, double percentPerMin) {
        this.time = time;
        this.population = population;
        this.perStep = nodes * percentPerMin / 100.0 / 60.0;
    }

    /** Replaces nodes from now until {@code phase} has passed. */
    void schedule(Duration phase) {
        if (perStep <= 0) {
            return;
        }
        long endMs = time.millis() + phase.toMillis();
        time.schedule(STEP, () -> step(endMs));
    }

    private void step(long endMs) {
        owed += perStep;
        while (owed >= 1) {
            owed--;
            population.leaveRandom();
            population.start();
        }
        if (time.millis() + STEP.toMillis() <= endMs) {
            time.schedule(STEP, () -> step(endMs));
        }
    }
}
