package io.hyphae.router;

import io.hyphae.api.NodeId;
import io.hyphae.spi.pubsub.Subscriber;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * How many messages each peer has outstanding (accepted by the router and not finished), bounded per peer. A route
 * takes one place with every one of its subscribers or none: the message is accepted whole or refused whole.
 *
 * <p>Places are taken on the publisher's thread and given back on the transport thread that ended the delivery, so
 * a peer's count is two counters on cache lines of their own, places taken and places given back, and each side
 * reads the other's through a stale copy that it refreshes only when that copy says the queue is full (or, giving
 * back, empty). Both counters only grow, so a stale copy errs on the safe side. One counter shared by both threads
 * moved its cache line between the cores twice per message (#6). A queue found empty is retired (its taken count set
 * negative) and removed, so peers routed to once are not kept forever; whoever finds a retired queue replaces it.
 * No lock, no boxing, no lambda per message. Thread safe.
 */
final class PeerQueues {
    private final int maxPerPeer;
    private final ConcurrentHashMap<NodeId, Queue> queues = new ConcurrentHashMap<>();

    PeerQueues(int maxPerPeer) {
        this.maxPerPeer = maxPerPeer;
    }

    /** One peer's places. */
    static final class Queue {
        private static final int TAKEN = 7; // 128 bytes apart in the array: never on one cache line
        private static final int GIVEN_BACK = 23;
        private static final long RETIRED = Long.MIN_VALUE;
        private final NodeId peer;
        private final AtomicLongArray counts = new AtomicLongArray(31);
        /** Publishers' copy of GIVEN_BACK, at most what it is. */
        private volatile long givenBackSeen;
        /** The transport threads' copy of TAKEN, at most what it is. */
        private volatile long takenSeen;

        private Queue(NodeId peer) {
            this.peer = peer;
        }

        long outstanding() {
            long taken = counts.get(TAKEN); // first: what was given back since can only make the answer smaller
            return taken < 0 ? 0 : Math.max(0, taken - counts.get(GIVEN_BACK));
        }
    }

    /**
     * Takes one place with the peer of each of {@code targets} (distinct peers).
     *
     * @return null when all were taken, else the first peer whose queue is full (and nothing is taken)
     */
    NodeId reserveAll(List<Subscriber> targets) {
        return reserveAll(targets, new Queue[targets.size()]);
    }

    /**
     * As {@link #reserveAll(List)}; {@code taken[i]} receives the queue of {@code targets.get(i)}'s place, to give
     * back with {@link #release(Queue)} without looking it up again.
     */
    NodeId reserveAll(List<Subscriber> targets, Queue[] taken) {
        for (int i = 0; i < targets.size(); i++) {
            taken[i] = reserve(targets.get(i).nodeId());
            if (taken[i] == null) {
                for (int j = 0; j < i; j++) {
                    release(taken[j]);
                }
                return targets.get(i).nodeId();
            }
        }
        return null;
    }

    /** Gives back a place taken by {@link #reserveAll}. */
    void release(NodeId peer) {
        Queue q = queues.get(peer);
        if (q != null) {
            release(q);
        }
    }

    /** Gives back a place taken in {@code q} by {@link #reserveAll(List, Queue[])}. */
    void release(Queue q) {
        long givenBack = q.counts.incrementAndGet(Queue.GIVEN_BACK);
        if (givenBack < q.takenSeen) {
            return; // more are outstanding: nothing to retire
        }
        long taken = q.counts.get(Queue.TAKEN);
        q.takenSeen = taken;
        if (givenBack == taken && q.counts.compareAndSet(Queue.TAKEN, taken, Queue.RETIRED)) {
            queues.remove(q.peer, q); // a place taken meanwhile made the compare fail: its release retires it
        }
    }

    int outstanding(NodeId peer) {
        Queue q = queues.get(peer);
        return q == null ? 0 : (int) q.outstanding();
    }

    int maxPerPeer() {
        return maxPerPeer;
    }

    /** Takes a place in {@code peer}'s queue: the queue, to give it back in; null when the queue is full. */
    Queue reserve(NodeId peer) {
        while (true) {
            Queue q = queues.get(peer);
            if (q == null) {
                q = queues.computeIfAbsent(peer, Queue::new);
            }
            long taken = q.counts.get(Queue.TAKEN);
            if (taken < 0) {
                queues.remove(peer, q); // its last release is removing it: help, then start a new one
                continue;
            }
            if (taken - q.givenBackSeen >= maxPerPeer) {
                long givenBack = q.counts.get(Queue.GIVEN_BACK);
                q.givenBackSeen = givenBack;
                if (taken - givenBack >= maxPerPeer) {
                    return null;
                }
            }
            if (q.counts.compareAndSet(Queue.TAKEN, taken, taken + 1)) {
                return q;
            }
        }
    }
}
