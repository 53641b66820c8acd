package io.hyphae.router;

import io.hyphae.api.NodeId;
import io.hyphae.spi.pubsub.Subscriber;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many messages each peer has outstanding (accepted by the router and not finished), bounded per peer. A route
 * takes one place with every one of its subscribers or none: the message is accepted whole or refused whole.
 *
 * <p>One counter per peer with something outstanding, changed by compare-and-set: no lock, no boxing, no lambda per
 * message. A counter that drops to zero is retired (set to -1) and removed, so peers routed to once are not kept
 * forever; whoever finds a retired counter replaces it. Thread safe.
 */
final class PeerQueues {
    private static final int RETIRED = -1;
    private final int maxPerPeer;
    private final ConcurrentHashMap<NodeId, AtomicInteger> outstanding = new ConcurrentHashMap<>();

    PeerQueues(int maxPerPeer) {
        this.maxPerPeer = maxPerPeer;
    }

    /**
     * Takes one place with the peer of each of {@code targets} (distinct peers).
     *
     * @return null when all were taken, else the first peer whose queue is full (and nothing is taken)
     */
    NodeId reserveAll(List<Subscriber> targets) {
        for (int i = 0; i < targets.size(); i++) {
            if (!reserve(targets.get(i).nodeId())) {
                for (int j = 0; j < i; j++) {
                    release(targets.get(j).nodeId());
                }
                return targets.get(i).nodeId();
            }
        }
        return null;
    }

    /** Gives back a place taken by {@link #reserveAll}. */
    void release(NodeId peer) {
        AtomicInteger n = outstanding.get(peer);
        if (n != null && n.decrementAndGet() == 0 && n.compareAndSet(0, RETIRED)) {
            outstanding.remove(peer, n);
        }
    }

    int outstanding(NodeId peer) {
        AtomicInteger n = outstanding.get(peer);
        return n == null ? 0 : Math.max(0, n.get());
    }

    int maxPerPeer() {
        return maxPerPeer;
    }

    private boolean reserve(NodeId peer) {
        while (true) {
            AtomicInteger n = outstanding.get(peer);
            if (n == null) {
                n = outstanding.computeIfAbsent(peer, k -> new AtomicInteger());
            }
            int now = n.get();
            if (now == RETIRED) {
                outstanding.remove(peer, n); // its last release is removing it: help, then start a new one
            } else if (now >= maxPerPeer) {
                return false;
            } else if (n.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }
}
