package io.hyphae.spi.dht;

import io.hyphae.api.NodeId;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A Kademlia distributed hash table. Thread safe; no method blocks: results arrive through the returned stages, on
 * a DHT thread.
 */
@ProviderType
public interface Dht {
    /** This node's id. */
    NodeId localId();

    /**
     * Stores {@code record} on the nodes closest to its key (and locally when this node is among them).
     *
     * @return completes with the number of nodes that accepted it; exceptionally with {@link DhtException} when the
     *     record does not verify or no node could be reached
     */
    CompletionStage<Integer> store(Record record);

    /** Every live, verified record under {@code key} that the closest nodes hold; empty when none. */
    CompletionStage<List<Record>> findValue(Key key);

    /** The closest nodes to {@code target} that answered, nearest first, at most k. */
    CompletionStage<List<Contact>> findNode(Key target);
}
