package io.hyphae.router;

import io.hyphae.api.NodeId;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many messages each peer has outstanding (accepted by the router and not finished), bounded per peer. A route
 * takes one place with every one of its subscribers or none: the message is accepted whole or refused whole.
 */
final class PeerQueues {
    private final int maxPerPeer;
    private final ConcurrentHashMap<NodeId, Integer> outstanding = new ConcurrentHashMap<>();

    PeerQueues(int maxPerPeer) {
        this.maxPerPeer = maxPerPeer;
    }

    /**
     * Takes one place with each of {@code peers}.
     *
     * @return null when all were taken, else the first peer whose queue is full (and nothing is taken)
     */
    NodeId reserveAll(List<NodeId> peers) {
        for (int i = 0; i < peers.size(); i++) {
            if (!reserve(peers.get(i))) {
                for (int j = 0; j < i; j++) {
                    release(peers.get(j));
                }
                return peers.get(i);
            }
        }
        return null;
    }

    /** Gives back a place taken by {@link #reserveAll}. */
    void release(NodeId peer) {
        outstanding.computeIfPresent(peer, (k, n) -> n <= 1 ? null : n - 1);
    }

    int outstanding(NodeId peer) {
        return outstanding.getOrDefault(peer, 0);
    }

    int maxPerPeer() {
        return maxPerPeer;
    }

    private boolean reserve(NodeId peer) {
        boolean[] taken = new boolean[1];
        outstanding.compute(peer, (k, n) -> {
            int now = n == null ? 0 : n;
            if (now >= maxPerPeer) {
                return n;
            }
            taken[0] = true;
            return now + 1;
        });
        return taken[0];
    }
}
