package io.hyphae.sim;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/** Measures the heap a simulation holds. */
@FunctionalInterface
public interface HeapGauge {
    /** Bytes of heap in use after a full collection was asked for. */
    long usedAfterGc();

    /** Measures nothing (0): for runs whose heap figure does not matter, without the cost of a full GC. */
    static HeapGauge none() {
        return () -> 0;
    }

    /** This JVM's heap, after two {@code System.gc()} calls (the second collects what the first finalised). */
    static HeapGauge jvm() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        return () -> {
            System.gc();
            System.gc();
            return memory.getHeapMemoryUsage().getUsed();
        };
    }
}
