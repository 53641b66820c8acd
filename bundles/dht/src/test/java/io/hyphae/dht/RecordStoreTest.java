package io.hyphae.dht;

import static org.assertj.core.api.Assertions.assertThat;

import io.hyphae.identity.Ed25519Identity;
import io.hyphae.spi.dht.Key;
import io.hyphae.spi.dht.Record;
import io.hyphae.wire.WireLimits;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RecordStoreTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private final Key key = Key.of(Ids.random(new Random(5)));
    private final Ed25519Identity alice = Ed25519Identity.generate();
    private final Ed25519Identity bob = Ed25519Identity.generate();
    private final RecordStore store = new RecordStore(3, 5, Duration.ofHours(1).toMillis());

    @Test
    void keepsOneRecordPerPublisherMergedBySeq() {
        assertThat(store.put(record(alice, 2), NOW)).isEqualTo(RecordStore.Outcome.ACCEPTED);
        assertThat(store.put(record(alice, 1), NOW)).isEqualTo(RecordStore.Outcome.STALE);
        assertThat(store.put(record(bob, 1), NOW)).isEqualTo(RecordStore.Outcome.ACCEPTED);
        assertThat(store.put(record(alice, 3), NOW)).isEqualTo(RecordStore.Outcome.ACCEPTED);

        assertThat(store.live(key, NOW)).extracting(Record::seq).containsExactlyInAnyOrder(3L, 1L);
        assertThat(store.size()).isEqualTo(2);
    }

    @Test
    void sameRecordTwiceIsADuplicate() {
        Record r = record(alice, 1);
        store.put(r, NOW);

        assertThat(store.put(r, NOW)).isEqualTo(RecordStore.Outcome.DUPLICATE);
    }

    @Test
    void expiredRecordsAreNotServedAndAreSwept() {
        store.put(Records.signed(alice, key, 1, NOW.plusSeconds(10)), NOW);
        store.put(Records.signed(bob, key, 1, NOW.plusSeconds(100)), NOW);

        Instant later = NOW.plusSeconds(10);
        assertThat(store.live(key, later)).extracting(Record::publisher).containsExactly(bob.nodeId());
        assertThat(store.expire(later)).isEqualTo(1);
        assertThat(store.size()).isEqualTo(1);
        assertThat(store.expire(NOW.plusSeconds(100))).isEqualTo(1);
        assertThat(store.keys()).isEmpty();
    }

    @Test
    void forgedRecordNewerThanTheHeldOneIsRefusedAndOneNoNewerIsStaleUnverified() {
        Record held = record(alice, 2);
        store.put(held, NOW);
        Record forgedNewer = new Record(key, alice.nodeId(), 3, held.expiresAt(), held.value(), held.publicKey(),
                held.signature());
        Record forgedOlder = new Record(key, alice.nodeId(), 1, held.expiresAt(), held.value(), held.publicKey(),
                held.signature());

        assertThat(store.put(forgedNewer, NOW)).isEqualTo(RecordStore.Outcome.INVALID);
        // refused for its seq before its signature is checked (verification is the costly part)
        assertThat(store.put(forgedOlder, NOW)).isEqualTo(RecordStore.Outcome.STALE);
        assertThat(store.live(key, NOW)).containsExactly(held);
    }

    @Test
    void forgedSignatureIsRefused() {
        Record good = record(alice, 1);
        Record forged = new Record(key, alice.nodeId(), 2, good.expiresAt(), good.value(), good.publicKey(),
                good.signature());

        assertThat(store.put(forged, NOW)).isEqualTo(RecordStore.Outcome.INVALID);
    }

    @Test
    void publisherThatIsNotTheHashOfTheKeyIsRefused() {
        Record good = record(alice, 1);
        Record stolen = new Record(key, bob.nodeId(), 1, good.expiresAt(), good.value(), good.publicKey(),
                good.signature());

        assertThat(store.put(stolen, NOW)).isEqualTo(RecordStore.Outcome.INVALID);
    }

    @Test
    void expiredTooFarAheadOrOversizedRecordsAreRefused() {
        assertThat(store.put(Records.signed(alice, key, 1, NOW), NOW)).isEqualTo(RecordStore.Outcome.INVALID);
        assertThat(store.put(Records.signed(alice, key, 1, NOW.plus(Duration.ofHours(2))), NOW))
                .isEqualTo(RecordStore.Outcome.INVALID);
        assertThat(store.put(Records.signed(alice, key, 1, NOW.plusSeconds(60),
                new byte[WireLimits.MAX_RECORD_VALUE_BYTES + 1]), NOW)).isEqualTo(RecordStore.Outcome.INVALID);
        assertThat(store.size()).isZero();
    }

    @Test
    void boundedPerKeyAndInTotal() {
        for (int i = 0; i < 3; i++) {
            assertThat(store.put(record(Ed25519Identity.generate(), 1), NOW)).isEqualTo(RecordStore.Outcome.ACCEPTED);
        }
        assertThat(store.put(record(Ed25519Identity.generate(), 1), NOW)).isEqualTo(RecordStore.Outcome.FULL);

        Key other = Key.of(Ids.random(new Random(9)));
        store.put(Records.signed(alice, other, 1, NOW.plusSeconds(60)), NOW);
        store.put(Records.signed(bob, other, 1, NOW.plusSeconds(60)), NOW);
        assertThat(store.put(Records.signed(Ed25519Identity.generate(), other, 1, NOW.plusSeconds(60)), NOW))
                .isEqualTo(RecordStore.Outcome.FULL);
        assertThat(store.size()).isEqualTo(5);
    }

    private Record record(Ed25519Identity publisher, long seq) {
        return Records.signed(publisher, key, seq, NOW.plusSeconds(300));
    }
}
