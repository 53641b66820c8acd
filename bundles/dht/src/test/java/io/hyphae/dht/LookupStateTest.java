package io.hyphae.dht;

import static org.assertj.core.api.Assertions.assertThat;

import io.hyphae.api.NodeId;
import io.hyphae.dht.LookupState.PeerState;
import io.hyphae.spi.dht.Key;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LookupStateTest {
    private final Random random = new Random(3);
    private final NodeId self = Ids.random(random);
    private final Key target = Key.of(Ids.random(random));
    private final LookupState state = new LookupState(target, self, 3, 8);

    @Test
    void nextToQueryIsTheNearestHeardOf() {
        List<NodeId> sorted = add(6);

        assertThat(state.nextToQuery(2)).extracting(p -> p.contact().nodeId())
                .containsExactly(sorted.get(0), sorted.get(1));
    }

    @Test
    void onlyTheKNearestReachableAreQueried() {
        List<NodeId> sorted = add(6);
        for (LookupState.Peer p : state.nextToQuery(3)) {
            state.set(p, PeerState.QUERIED);
        }

        assertThat(state.nextToQuery(3)).isEmpty();
        assertThat(state.isDone()).isTrue();

        state.set(state.get(sorted.get(1)), PeerState.UNREACHABLE);
        assertThat(state.isDone()).isFalse();
        assertThat(state.nextToQuery(3)).extracting(p -> p.contact().nodeId()).containsExactly(sorted.get(3));
    }

    @Test
    void waitingPeersKeepTheLookupOpen() {
        add(3);
        List<LookupState.Peer> peers = state.nextToQuery(3);
        state.set(peers.get(0), PeerState.QUERIED);
        state.set(peers.get(1), PeerState.QUERIED);
        state.set(peers.get(2), PeerState.WAITING);

        assertThat(state.isDone()).isFalse();
        assertThat(state.nextToQuery(3)).isEmpty();
    }

    @Test
    void closerReferralsComeFirstAndKeepTheirDepth() {
        List<NodeId> sorted = add(3);
        NodeId closer = nearerThan(sorted.get(0));

        assertThat(state.add(Ids.contact(closer), 2)).isTrue();
        assertThat(state.add(Ids.contact(closer), 3)).isFalse();
        assertThat(state.add(Ids.contact(self), 2)).isFalse();

        LookupState.Peer first = state.nextToQuery(1).get(0);
        assertThat(first.contact().nodeId()).isEqualTo(closer);
        assertThat(first.depth()).isEqualTo(2);
    }

    @Test
    void capacityForgetsTheFarthestNotYetAsked() {
        add(12);

        assertThat(state.size()).isEqualTo(8);
    }

    @Test
    void closestQueriedIsNearestFirst() {
        List<NodeId> sorted = add(5);
        state.set(state.get(sorted.get(3)), PeerState.QUERIED);
        state.set(state.get(sorted.get(1)), PeerState.QUERIED);

        assertThat(state.closestQueried(5)).extracting(p -> p.contact().nodeId())
                .containsExactly(sorted.get(1), sorted.get(3));
    }

    private List<NodeId> add(int n) {
        List<NodeId> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            NodeId id = Ids.random(random);
            ids.add(id);
            state.add(Ids.contact(id), 1);
        }
        ids.sort(Xor.byDistanceTo(target));
        return ids;
    }

    private NodeId nearerThan(NodeId other) {
        while (true) {
            NodeId id = Ids.random(random);
            if (Xor.compare(target, id, other) < 0) {
                return id;
            }
        }
    }
}
