package io.hyphae.dht;

import static org.assertj.core.api.Assertions.assertThat;

import io.hyphae.api.NodeId;
import io.hyphae.spi.dht.Contact;
import io.hyphae.spi.dht.Key;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RoutingTableTest {
    private final Random random = new Random(11);
    private final NodeId self = Ids.random(random);
    private final RoutingTable table = new RoutingTable(self, 4, 3, 0);

    @Test
    void contactGoesToTheBucketOfItsCommonPrefix() {
        NodeId far = Ids.inBucket(self, 0, random);
        NodeId near = Ids.inBucket(self, 17, random);

        table.seen(Ids.contact(far));
        table.seen(Ids.contact(near));

        assertThat(table.bucket(0, false)).extracting(Contact::nodeId).containsExactly(far);
        assertThat(table.bucket(17, false)).extracting(Contact::nodeId).containsExactly(near);
        assertThat(table.size()).isEqualTo(2);
        assertThat(table.deepestBucket()).isEqualTo(17);
    }

    @Test
    void ownIdIsNeverAdded() {
        assertThat(table.seen(Ids.contact(self)).added()).isFalse();
        assertThat(table.size()).isZero();
    }

    @Test
    void seenAgainMovesToTheMostRecentlySeenEnd() {
        List<NodeId> ids = fill(3, 5);

        table.seen(Ids.contact(ids.get(0)));

        assertThat(table.bucket(5, false)).extracting(Contact::nodeId)
                .containsExactly(ids.get(1), ids.get(2), ids.get(0));
    }

    @Test
    void fullBucketAsksToPingTheOldestAndCachesTheNewcomer() {
        List<NodeId> ids = fill(4, 2);
        NodeId newcomer = Ids.inBucket(self, 2, random);

        RoutingTable.Update update = table.seen(Ids.contact(newcomer));

        assertThat(update.added()).isFalse();
        assertThat(update.pingOldest().nodeId()).isEqualTo(ids.get(0));
        assertThat(table.bucket(2, true)).extracting(Contact::nodeId).containsExactly(newcomer);
        // a second newcomer while the ping is under way does not ping again
        assertThat(table.seen(Ids.contact(Ids.inBucket(self, 2, random))).pingOldest()).isNull();
    }

    @Test
    void oldestHeardFromRecentlyIsNotPingedUntilItWasQuietForPingAfterMs() {
        long[] nowMs = {0};
        RoutingTable lazy = new RoutingTable(self, 2, 3, () -> nowMs[0], 60_000, 1);
        NodeId oldest = Ids.inBucket(self, 3, random);
        lazy.seen(Ids.contact(oldest));
        nowMs[0] = 10_000;
        lazy.seen(Ids.contact(Ids.inBucket(self, 3, random)));

        nowMs[0] = 59_999;
        RoutingTable.Update recent = lazy.seen(Ids.contact(Ids.inBucket(self, 3, random)));
        nowMs[0] = 60_000;
        RoutingTable.Update quiet = lazy.seen(Ids.contact(Ids.inBucket(self, 3, random)));

        assertThat(recent.pingOldest()).isNull();
        assertThat(quiet.pingOldest().nodeId()).isEqualTo(oldest);
        assertThat(lazy.bucket(3, true)).hasSize(2);
    }

    @Test
    void oldestThatAnswersStaysAndNewcomerWaits() {
        List<NodeId> ids = fill(4, 2);
        NodeId newcomer = Ids.inBucket(self, 2, random);
        Contact oldest = table.seen(Ids.contact(newcomer)).pingOldest();

        table.pingAnswered(oldest);

        assertThat(table.bucket(2, false)).extracting(Contact::nodeId)
                .containsExactly(ids.get(1), ids.get(2), ids.get(3), ids.get(0));
        assertThat(table.contains(newcomer)).isFalse();
    }

    @Test
    void oldestThatFailsIsEvictedForTheNewestReplacement() {
        List<NodeId> ids = fill(4, 2);
        NodeId first = Ids.inBucket(self, 2, random);
        NodeId second = Ids.inBucket(self, 2, random);
        Contact oldest = table.seen(Ids.contact(first)).pingOldest();
        table.seen(Ids.contact(second));

        Contact promoted = table.failed(oldest.nodeId()).promoted();

        assertThat(promoted.nodeId()).isEqualTo(second);
        assertThat(table.bucket(2, false)).extracting(Contact::nodeId)
                .containsExactly(ids.get(1), ids.get(2), ids.get(3), second);
        assertThat(table.bucket(2, true)).extracting(Contact::nodeId).containsExactly(first);
        assertThat(table.size()).isEqualTo(4);
    }

    @Test
    void contactIsEvictedOnlyAfterMaxFailuresInARowAndAnAnswerForgetsThem() {
        RoutingTable tolerant = new RoutingTable(self, 2, 3, () -> 0, 0, 3);
        NodeId flaky = Ids.inBucket(self, 4, random);
        NodeId other = Ids.inBucket(self, 4, random);
        NodeId waiting = Ids.inBucket(self, 4, random);
        tolerant.seen(Ids.contact(flaky));
        tolerant.seen(Ids.contact(other));
        tolerant.seen(Ids.contact(waiting));

        assertThat(tolerant.failed(flaky).evicted()).isFalse();
        assertThat(tolerant.failed(flaky).evicted()).isFalse();
        assertThat(tolerant.failures(flaky)).isEqualTo(2);
        tolerant.seen(Ids.contact(flaky)); // it answered: the count starts again
        assertThat(tolerant.failures(flaky)).isZero();
        tolerant.failed(flaky);
        tolerant.failed(flaky);
        assertThat(tolerant.contains(flaky)).isTrue();

        RoutingTable.Failure third = tolerant.failed(flaky);

        assertThat(third.evicted()).isTrue();
        assertThat(third.promoted().nodeId()).isEqualTo(waiting);
        assertThat(tolerant.bucket(4, false)).extracting(Contact::nodeId).containsExactly(other, waiting);
        assertThat(tolerant.failures(flaky)).isZero();
    }

    @Test
    void pingOfTheOldestStaysUnderWayUntilItEnds() {
        RoutingTable tolerant = new RoutingTable(self, 1, 3, () -> 0, 0, 3);
        NodeId oldest = Ids.inBucket(self, 6, random);
        tolerant.seen(Ids.contact(oldest));
        assertThat(tolerant.seen(Ids.contact(Ids.inBucket(self, 6, random))).pingOldest().nodeId()).isEqualTo(oldest);

        tolerant.failed(oldest); // one lost ping: pinged again, no second ping for the next newcomer
        assertThat(tolerant.seen(Ids.contact(Ids.inBucket(self, 6, random))).pingOldest()).isNull();
        tolerant.pingEnded(oldest);

        assertThat(tolerant.seen(Ids.contact(Ids.inBucket(self, 6, random))).pingOldest().nodeId()).isEqualTo(oldest);
    }

    @Test
    void replacementCacheKeepsTheMostRecent() {
        fill(4, 3);
        List<NodeId> newcomers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            NodeId id = Ids.inBucket(self, 3, random);
            newcomers.add(id);
            table.seen(Ids.contact(id));
        }

        assertThat(table.bucket(3, true)).extracting(Contact::nodeId)
                .containsExactlyElementsOf(newcomers.subList(2, 5));
    }

    @Test
    void closestMatchesBruteForce() {
        RoutingTable big = new RoutingTable(self, 20, 20, 0);
        List<NodeId> all = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            NodeId id = Ids.random(random);
            if (big.seen(Ids.contact(id)).added()) {
                all.add(id);
            }
        }
        for (int i = 0; i < 100; i++) {
            // targets anywhere, at this node, and sharing 0..12 leading bits with it (so every tier order counts)
            Key target = i % 5 == 0 ? Key.of(self) : i % 2 == 0 ? Key.of(Ids.random(random))
                    : Key.of(Ids.inBucket(self, i % 13, random));
            int n = new int[] {1, 7, 20, 21, 500}[i % 5];
            List<NodeId> expected = new ArrayList<>(all);
            expected.sort(Xor.byDistanceTo(target));

            assertThat(big.closest(target, n)).extracting(Contact::nodeId)
                    .containsExactlyElementsOf(expected.subList(0, Math.min(n, expected.size())));
        }
    }

    @Test
    void idleBucketsAreThoseWithoutRecentLookups() {
        fill(1, 0);
        fill(1, 3);
        table.lookedUp(Key.of(Ids.inBucket(self, 1, random)), 5_000);

        assertThat(table.idleBuckets(6_000, 2_000)).containsExactly(0, 2, 3);
    }

    private List<NodeId> fill(int n, int bucket) {
        List<NodeId> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            NodeId id = Ids.inBucket(self, bucket, random);
            ids.add(id);
            assertThat(table.seen(Ids.contact(id)).added()).isTrue();
        }
        return ids;
    }
}
