package io.hyphae.transport.mem;

import io.hyphae.api.NodeId;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Says whether trouble from a peer is the first from that peer, so it is logged once and counted every time. Remembers
 * at most {@code capacity} peers; beyond that every peer counts as seen, so a flood of new ids cannot grow memory or
 * the log. Thread safe.
 */
final class OncePerPeer {
    private final int capacity;
    private final Set<NodeId> seen = ConcurrentHashMap.newKeySet();

    OncePerPeer(int capacity) {
        this.capacity = capacity;
    }

    boolean first(NodeId peer) {
        return seen.size() < capacity && seen.add(peer);
    }
}
