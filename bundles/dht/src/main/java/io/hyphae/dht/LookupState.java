package io.hyphae.dht;

import io.hyphae.api.NodeId;
import io.hyphae.spi.dht.Contact;
import io.hyphae.spi.dht.Key;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The peers one iterative lookup knows, nearest to the target first, each heard of, waiting for an answer, queried
 * (it answered) or unreachable (like go-libp2p-kad-dht's qpeerset). The lookup is done when the k nearest peers that
 * are not unreachable have all answered. Not thread safe: touched only by its lookup on the DHT's serial executor.
 */
public final class LookupState {
    /** Where a peer stands in the lookup. */
    public enum PeerState { HEARD, WAITING, QUERIED, UNREACHABLE }

    /** A peer of the lookup and how it was found. */
    public static final class Peer {
        final Contact contact;
        final byte[] distance;
        /** Referral depth: 1 for the asking node's own contacts, n + 1 for a peer named by a depth-n peer. */
        final int depth;
        PeerState state = PeerState.HEARD;

        Peer(Contact contact, byte[] distance, int depth) {
            this.contact = contact;
            this.distance = distance;
            this.depth = depth;
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
    }

    private final Key target;
    private final NodeId self;
    private final int k;
    private final int capacity;
    private final ArrayList<Peer> byDistance = new ArrayList<>();
    private final Map<NodeId, Peer> byId = new HashMap<>();

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
        if (id.equals(self) || byId.containsKey(id)) {
            return false;
        }
        byte[] distance = Xor.distance(target, id);
        int at = insertionPoint(distance);
        if (at >= capacity) {
            return false;
        }
        Peer peer = new Peer(contact, distance, depth);
        byDistance.add(at, peer);
        byId.put(id, peer);
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

    public Peer get(NodeId id) {
        return byId.get(id);
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

    private int insertionPoint(byte[] distance) {
        int lo = 0;
        int hi = byDistance.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Arrays.compareUnsigned(byDistance.get(mid).distance, distance) < 0) {
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
                byId.remove(peer.contact.nodeId());
                return;
            }
        }
    }
}
