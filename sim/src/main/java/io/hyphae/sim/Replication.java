package io.hyphae.sim;

import io.hyphae.api.NodeId;
import io.hyphae.spi.dht.Key;
import io.hyphae.spi.dht.Record;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Where the records of the workload lie at the end of a run, seen from outside the nodes: how many live nodes hold a
 * live record under each key (Kademlia wants about k, the nearest ones), how many of the k live nodes nearest to
 * each key hold a record of every publisher of it, and what the nodes accepted and pushed (their counters summed
 * over the live nodes).
 *
 * @param holdersMean       live nodes holding at least one live record of a key, mean over the keys
 * @param holdersMax        the same, largest over the keys
 * @param nearestCompleteMean of the k live nodes nearest to a key, those holding every publisher's record, mean
 * @param nearestCompleteMin  the same, smallest over the keys
 * @param recordsAccepted   records the live nodes accepted (new or newer), summed: each was signature-verified
 * @param recordsPushed     records the live nodes pushed as replication, summed
 */
record Replication(double holdersMean, int holdersMax, double nearestCompleteMean, int nearestCompleteMin,
                   long recordsAccepted, long recordsPushed) {

    static Replication of(Population population, Publishers publishers, Instant now, int k) {
        List<SimNode> live = population.live();
        long holdersSum = 0;
        int holdersMax = 0;
        long completeSum = 0;
        int completeMin = Integer.MAX_VALUE;
        for (int i = 0; i < publishers.keyCount(); i++) {
            Key key = publishers.key(i);
            Set<NodeId> expected = publishers.publishersOf(i);
            int holders = 0;
            for (SimNode node : live) {
                if (!node.dht.recordStore().live(key, now).isEmpty()) {
                    holders++;
                }
            }
            int complete = 0;
            for (SimNode node : nearest(live, key, k)) {
                Set<NodeId> held = new HashSet<>();
                for (Record r : node.dht.recordStore().live(key, now)) {
                    held.add(r.publisher());
                }
                if (held.containsAll(expected)) {
                    complete++;
                }
            }
            holdersSum += holders;
            holdersMax = Math.max(holdersMax, holders);
            completeSum += complete;
            completeMin = Math.min(completeMin, complete);
        }
        long accepted = 0;
        long pushed = 0;
        for (SimNode node : live) {
            accepted += node.dht.stats().get("dht.records.stored");
            pushed += node.dht.stats().get("dht.records.republished");
        }
        int keys = Math.max(1, publishers.keyCount());
        return new Replication(holdersSum / (double) keys, holdersMax, completeSum / (double) keys,
                completeMin == Integer.MAX_VALUE ? 0 : completeMin, accepted, pushed);
    }

    private static List<SimNode> nearest(List<SimNode> live, Key key, int k) {
        List<SimNode> sorted = new ArrayList<>(live);
        sorted.sort((a, b) -> Distance.compare(key, a.id(), b.id()));
        return sorted.subList(0, Math.min(k, sorted.size()));
    }
}
