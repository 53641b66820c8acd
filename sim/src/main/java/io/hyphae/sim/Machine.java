package io.hyphae.sim;

/**
 * Where a simulation ran, for its report.
 *
 * @param cores        processors available to the JVM
 * @param maxHeapBytes the JVM's heap limit
 * @param jdk          runtime name and version
 */
public record Machine(int cores, long maxHeapBytes, String jdk) {
    static Machine current() {
        Runtime runtime = Runtime.getRuntime();
        return new Machine(runtime.availableProcessors(), runtime.maxMemory(), System.getProperty("java.vm.name")
                + " " + System.getProperty("java.runtime.version"));
    }

    @Override
    public String toString() {
        return cores + " cores, max heap " + maxHeapBytes / (1 << 20) + " MiB, " + jdk;
    }
}
