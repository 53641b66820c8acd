package io.hyphae.dht;

import io.hyphae.api.NodeId;
import io.hyphae.spi.dht.Contact;
import io.hyphae.spi.dht.Key;
import java.util.ArrayList;
import java.util.List;

/**
 * The peers one iterative lookup knows, nearest to the target first, each heard of, waiting for an answer, queried
 * (it answered) or unreachable (like go-libp2p-kad-dht's qpeerset). A peer whose answer was lost may be heard of
 * again, to be asked once more in its turn. The lookup is done when the k nearest peers that
 * are not unreachable have all answered. Not thread safe: touched only by its lookup on the DHT's serial executor.
 */
public final class LookupState {
    /** Where a peer stands in the lookup. */
    public enum PeerState { HEARD, WAITING, QUERIED, UNREACHABLE }

    /** A peer of the lookup and how it was found. */
    public static final class Peer {
        final Contact contact;
        /** The XOR distance to the target, 64 bits at a time, most significant first. */
        final long d0;
        final long d1;
        final long d2;
        final long d3;
        /** Referral depth: 1 for the asking node's own contacts, n + 1 for a peer named by a depth-n peer. */
        final int depth;
        PeerState state = PeerState.HEARD;
        /** Requests this lookup sent it. */
        int attempts;

        Peer(Contact contact, long[] distance, int depth) {
            this.contact = contact;
            this.d0 = distance[0];
            this.d1 = distance[1];
            this.d2 = distance[2];
            this.d3 = distance[3];
            this.depth = depth;
        }

        /** Negative when this peer is nearer to the target than the one at {@code distance}, 0 when it is that one. */
        int compareTo(long[] distance) {
            int c = Long.compareUnsigned(d0, distance[0]);
            if (c == 0) {
                c = Long.compareUnsigned(d1, distance[1]);
                if (c == 0) {
                    c = Long.compareUnsigned(d2, distance[2]);
                    if (c == 0) {
                        c = Long.compareUnsigned(d3, distance[3]);
                    }
                }
            }
            return c;
        }

        public Contact contact() {
            return contact;
        }

        public int depth() {
            return depth;
        }

        public PeerState state() {
            return state;
        }

        /** Requests the lookup sent this peer so far. */
        public int attempts() {
            return attempts;
        }
    }

    private final Key target;
    private final NodeId self;
    private final int k;
    private final int capacity;
    /** Every peer known, nearest first. Distances to one target differ for different ids: it is also the index. */
    private final ArrayList<Peer> byDistance = new ArrayList<>();
    /** Scratch for the distance being looked up. */
    private final long[] distance = new long[4];

    /**
     * @param capacity most peers kept; the farthest peers not yet asked are forgotten beyond it
     */
    public LookupState(Key target, NodeId self, int k, int capacity) {
        this.target = target;
        this.self = self;
        this.k = k;
        this.capacity = Math.max(capacity, k);
    }

    public Key target() {
        return target;
    }

    /** Adds a peer heard of at {@code depth}; the local node and peers already known are ignored. */
    public boolean add(Contact contact, int depth) {
        NodeId id = contact.nodeId();
        if (id.equals(self)) {
            return false;
        }
        distanceTo(id);
        int at = insertionPoint(distance);
        if (at >= capacity || (at < byDistance.size() && byDistance.get(at).compareTo(distance) == 0)) {
            return false; // beyond the capacity, or known already
        }
        byDistance.add(at, new Peer(contact, distance, depth));
        if (byDistance.size() > capacity) {
            dropFarthestUnasked();
        }
        return true;
    }

    /** Up to {@code max} peers to ask next: those heard of among the k nearest that are not unreachable. */
    public List<Peer> nextToQuery(int max) {
        List<Peer> next = new ArrayList<>(Math.max(0, max));
        int alive = 0;
        for (int i = 0; i < byDistance.size() && alive < k && next.size() < max; i++) {
            Peer peer = byDistance.get(i);
            if (peer.state == PeerState.UNREACHABLE) {
                continue;
            }
            alive++;
            if (peer.state == PeerState.HEARD) {
                next.add(peer);
            }
        }
        return next;
    }

    /** Whether the k nearest peers that are not unreachable have all answered. */
    public boolean isDone() {
        return nearestAnswered(k);
    }

    /** Whether the {@code n} nearest peers that are not unreachable have all answered (true when none is left). */
    public boolean nearestAnswered(int n) {
        int alive = 0;
        for (int i = 0; i < byDistance.size() && alive < n; i++) {
            Peer peer = byDistance.get(i);
            if (peer.state == PeerState.UNREACHABLE) {
                continue;
            }
            alive++;
            if (peer.state != PeerState.QUERIED) {
                return false;
            }
        }
        return true;
    }

    public void set(Peer peer, PeerState state) {
        peer.state = state;
    }

    /** {@code peer} is being asked: it waits for an answer, and one more request was sent to it. */
    public void asking(Peer peer) {
        peer.state = PeerState.WAITING;
        peer.attempts++;
    }

    /** The peer {@code id}, or null when this lookup does not know it. */
    public Peer get(NodeId id) {
        distanceTo(id);
        int at = insertionPoint(distance);
        return at < byDistance.size() && byDistance.get(at).compareTo(distance) == 0 ? byDistance.get(at) : null;
    }

    public int count(PeerState state) {
        int n = 0;
        for (Peer peer : byDistance) {
            if (peer.state == state) {
                n++;
            }
        }
        return n;
    }

    /** The {@code n} nearest peers that answered, nearest first. */
    public List<Peer> closestQueried(int n) {
        List<Peer> out = new ArrayList<>(n);
        for (int i = 0; i < byDistance.size() && out.size() < n; i++) {
            if (byDistance.get(i).state == PeerState.QUERIED) {
                out.add(byDistance.get(i));
            }
        }
        return out;
    }

    public int size() {
        return byDistance.size();
    }

    private void distanceTo(NodeId id) {
        for (int w = 0; w < 4; w++) {
            long d = 0;
            for (int i = 8 * w; i < 8 * w + 8; i++) {
                d = (d << 8) | ((target.byteAt(i) ^ id.byteAt(i)) & 0xff);
            }
            distance[w] = d;
        }
    }

    private int insertionPoint(long[] distance) {
        int lo = 0;
        int hi = byDistance.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (byDistance.get(mid).compareTo(distance) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private void dropFarthestUnasked() {
        for (int i = byDistance.size() - 1; i >= k; i--) {
            Peer peer = byDistance.get(i);
            if (peer.state == PeerState.HEARD) {
                byDistance.remove(i);
                return;
            }
        }
    }
}
