package io.hyphae.dht;

import io.hyphae.spi.dht.Key;

/** Runs lookups for random targets and prints SPEC's lookup measures. */
final class LookupFigures {
    private LookupFigures() {
    }

    /** Mean hops, rounds and RPCs of {@code lookups} FIND_NODE lookups from random nodes. */
    static double[] measure(Mesh mesh, int lookups) {
        long hops = 0;
        long rounds = 0;
        long rpcs = 0;
        int maxHops = 0;
        for (int i = 0; i < lookups; i++) {
            LookupStats s = mesh.await(mesh.any().lookupNodes(Key.of(Ids.random(mesh.random)))).stats();
            hops += s.hops();
            rounds += s.rounds();
            rpcs += s.rpcs();
            maxHops = Math.max(maxHops, s.hops());
        }
        double[] means = {(double) hops / lookups, (double) rounds / lookups, (double) rpcs / lookups};
        System.out.printf("lookup figures at %d nodes over %d FIND_NODE lookups: hops mean %.2f max %d, "
                + "rounds mean %.2f, RPCs mean %.1f%n", mesh.nodes.size(), lookups, means[0], maxHops, means[1],
                means[2]);
        return means;
    }
}
