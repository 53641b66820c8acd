package io.hyphae.discovery;

import io.hyphae.identity.Ed25519Identity;
import static org.assertj.core.api.Assertions.assertThat;

import io.hyphae.api.Qos;
import io.hyphae.api.Topic;
import io.hyphae.spi.dht.Record;
import io.hyphae.spi.pubsub.Discovery.Discovered;
import io.hyphae.spi.pubsub.Discovery.Discovered.Cached;
import io.hyphae.spi.pubsub.Discovery.Discovered.QuerySent;
import io.hyphae.spi.pubsub.Subscriber;
import io.hyphae.wire.Advertisements;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Records that must never reach a route, through the whole discovery path. */
class RecordCheckTest extends DiscoveryFixture {
    private final Ed25519Identity mallory = Ed25519Identity.generate();

    @Test
    void onlyValidRecordsBecomeSubscribers() {
        Record good = advert(alice, 1);
        Record badSignature = new Record(key(), bob.nodeId(), 1, now().plusSeconds(300), advert(bob, 1).value(),
                bob.publicKey().getEncoded(), new byte[64]);
        Record stolenKey = resigned(advert(bob, 1), mallory); // publisher bob, key and signature mallory's
        Record expired = Records.advert(bob, REALM, TOPIC, 1, now());
        Record wrongKey = Records.advert(bob, REALM, Topic.of("other"), 1, now().plusSeconds(300));
        Record otherRealmValue = Records.signed(bob, key(), 1, now().plusSeconds(300),
                Advertisements.Value.advertisement(bob.nodeId(), List.of(), TOPIC, "lab"));
        Record otherTopicValue = Records.signed(bob, key(), 1, now().plusSeconds(300),
                Advertisements.Value.advertisement(bob.nodeId(), List.of(), Topic.of("other"), REALM));
        Record othersValue = Records.signed(mallory, key(), 1, now().plusSeconds(300),
                Advertisements.Value.advertisement(bob.nodeId(), List.of(Records.endpoint(bob)), TOPIC, REALM));
        Record garbage = Records.signedBytes(mallory, key(), 1, now().plusSeconds(300), new byte[] {1, 2, 3});
        for (Record r : List.of(good, badSignature, stolenKey, expired, wrongKey, otherRealmValue, otherTopicValue,
                othersValue, garbage)) {
            dht.putUnder(key(), r);
        }
        Recorder waiter = new Recorder(Qos.AT_MOST_ONCE);

        discovery.discover(TOPIC, waiter);
        time.runDue();

        assertThat(waiter.answers.get(0)).extracting(Subscriber::nodeId).containsExactly(alice.nodeId());
        assertThat(discovery.stats().rejectedRecords()).isEqualTo(8);
    }

    @Test
    void aWithdrawalInTheAnswerHidesThatSubscriber() {
        dht.put(advert(alice, 1));
        dht.put(Records.withdrawal(alice, REALM, TOPIC, 2, now().plusSeconds(300)));
        dht.put(advert(bob, 5));
        dht.put(advert(bob, 4));
        Recorder waiter = new Recorder(Qos.AT_MOST_ONCE);

        discovery.discover(TOPIC, waiter);
        time.runDue();

        assertThat(waiter.answers.get(0)).singleElement().satisfies(s -> {
            assertThat(s.nodeId()).isEqualTo(bob.nodeId());
            assertThat(s.seq()).isEqualTo(5);
        });
    }

    @Test
    void thisNodesOwnRecordIsLeftOut() {
        dht.put(advert(self, 1));
        Recorder waiter = new Recorder(Qos.AT_MOST_ONCE);
        discovery.discover(TOPIC, waiter);
        time.runDue();
        assertThat(waiter.answers).containsExactly(List.of());
    }

    @Test
    void aVerifiedWithdrawalEvictsAtOnceAndAForgedOneDoesNot() {
        dht.put(advert(alice, 1));
        dht.put(advert(bob, 1));
        discovery.discover(TOPIC, new Recorder(Qos.AT_MOST_ONCE));
        time.runDue();

        Record forged = resigned(Records.withdrawal(alice, REALM, TOPIC, 2, now().plusSeconds(300)), mallory);
        assertThat(discovery.withdrawn(forged)).isFalse();
        assertThat(discovery.withdrawn(advert(alice, 2))).as("an advertisement is no withdrawal").isFalse();
        assertThat(subscribersNow()).hasSize(2);

        assertThat(discovery.withdrawn(Records.withdrawal(alice, REALM, TOPIC, 2, now().plusSeconds(300)))).isTrue();
        assertThat(subscribersNow()).containsExactly(bob.nodeId().toHex());
    }

    @Test
    void anOlderWithdrawalDoesNotEvictANewerAdvertisement() {
        dht.put(advert(alice, 7));
        discovery.discover(TOPIC, new Recorder(Qos.AT_MOST_ONCE));
        time.runDue();
        assertThat(discovery.withdrawn(Records.withdrawal(alice, REALM, TOPIC, 6, now().plusSeconds(300)))).isTrue();
        assertThat(subscribersNow()).containsExactly(alice.nodeId().toHex());
    }

    @Test
    void evictForgetsAnUnreachableSubscriberUntilTheDhtNamesItAgain() {
        dht.put(advert(alice, 1));
        dht.put(advert(bob, 1));
        discovery.discover(TOPIC, new Recorder(Qos.AT_MOST_ONCE));
        time.runDue();

        discovery.evict(TOPIC, alice.nodeId());
        assertThat(subscribersNow()).containsExactly(bob.nodeId().toHex());
        discovery.evict(TOPIC, bob.nodeId());

        assertThat(discovery.discover(TOPIC, new Recorder(Qos.AT_MOST_ONCE))).isInstanceOf(
                QuerySent.class);
        assertThat(discovery.stats().evictions()).isEqualTo(2);
    }

    private List<String> subscribersNow() {
        Discovered answer = discovery.discover(TOPIC, new Recorder(Qos.AT_MOST_ONCE));
        assertThat(answer).isInstanceOf(Cached.class);
        return ((Cached) answer).subscribers().stream()
                .map(s -> s.nodeId().toHex()).toList();
    }

    /** The same record claimed by its publisher but signed by {@code signer} with the signer's key. */
    private static Record resigned(Record r, Ed25519Identity signer) {
        byte[] signature = signer.sign(Record.signedBytes(r.key(), r.publisher(), r.seq(), r.expiresAt(), r.value()));
        return new Record(r.key(), r.publisher(), r.seq(), r.expiresAt(), r.value(), signer.publicKey().getEncoded(),
                signature);
    }
}
