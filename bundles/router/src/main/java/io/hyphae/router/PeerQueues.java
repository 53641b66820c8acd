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
        return reserveAll(targets, new AtomicInteger[targets.size()]);
    }

    /**
     * As {@link #reserveAll(List)}; {@code taken[i]} receives the counter of {@code targets.get(i)}'s place, to give
     * back with {@link #release(NodeId, AtomicInteger)} without looking it up again.
     */
    NodeId reserveAll(List<Subscriber> targets, AtomicInteger[] taken) {
        for (int i = 0; i < targets.size(); i++) {
            taken[i] = reserve(targets.get(i).nodeId());
            if (taken[i] == null) {
                for (int j = 0; j < i; j++) {
                    release(targets.get(j).nodeId(), taken[j]);
                }
                return targets.get(i).nodeId();
            }
        }
        return null;
    }

    /** Gives back a place taken by {@link #reserveAll}. */
    void release(NodeId peer) {
        AtomicInteger n = outstanding.get(peer);
        if (n != null) {
            release(peer, n);
        }
    }

    /** Gives back the place {@code peer} took in counter {@code n}, from {@link #reserveAll(List, AtomicInteger[])}. */
    void release(NodeId peer, AtomicInteger n) {
        if (n.decrementAndGet() == 0 && n.compareAndSet(0, RETIRED)) {
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

    /** The counter in which a place was taken, or null when the peer's queue is full. */
    private AtomicInteger reserve(NodeId peer) {
        while (true) {
            AtomicInteger n = outstanding.get(peer);
            if (n == null) {
                n = outstanding.computeIfAbsent(peer, k -> new AtomicInteger());
            }
            int now = n.get();
            if (now == RETIRED) {
                outstanding.remove(peer, n); // its last release is removing it: help, then start a new one
            } else if (now >= maxPerPeer) {
                return null;
            } else if (n.compareAndSet(now, now + 1)) {
                return n;
            }
        }
    }
}
