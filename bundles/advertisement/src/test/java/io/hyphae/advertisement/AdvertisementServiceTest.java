package io.hyphae.advertisement;

import io.hyphae.identity.Ed25519Identity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hyphae.api.NodeClosedException;
import io.hyphae.api.Topic;
import io.hyphae.spi.concurrent.VirtualTime;
import io.hyphae.spi.dht.Key;
import io.hyphae.spi.dht.Record;
import io.hyphae.spi.pubsub.Advertiser.Advertisement;
import io.hyphae.spi.transport.Endpoint;
import io.hyphae.wire.Advertisements;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdvertisementServiceTest {
    private static final Topic TOPIC = Topic.of("sensors.temperature");
    private static final Topic OTHER = Topic.of("sensors.humidity");

    private final VirtualTime time = new VirtualTime();
    private final FakeDht dht = new FakeDht();
    private final Ed25519Identity identity = Ed25519Identity.generate();
    private FakeTransport mem;
    private AdvertisementService advertiser;

    @BeforeEach
    void start() {
        mem = new FakeTransport("mem", List.of(endpoint("mem", "n1", 0)));
        advertiser = advertiser(AdvertisementSettings.defaults().withJitterFraction(0));
        advertiser.addTransport(mem);
        time.runDue();
    }

    @AfterEach
    void stop() {
        advertiser.close();
    }

    @Test
    void advertiseStoresASignedRecordOfThisNodeAtOnce() {
        Advertisement info = advertiser.advertise(TOPIC);

        assertThat(dht.stores).hasSize(1);
        Record record = dht.last();
        assertThat(record.key()).isEqualTo(Key.ofTopic("default", TOPIC));
        assertThat(record.publisher()).isEqualTo(identity.nodeId());
        assertThat(record.expiresAt()).isEqualTo(time.now().plusSeconds(300));
        Advertisements.Value value = Advertisements.decode(record.value());
        assertThat(value).isEqualTo(Advertisements.Value.advertisement(identity.nodeId(),
                List.of(endpoint("mem", "n1", 0)), TOPIC, "default"));
        assertThat(info.ttl()).isEqualTo(Duration.ofSeconds(300));
        assertThat(info.seq()).isEqualTo(record.seq());
        assertThat(info.nextRefreshAt()).isEqualTo(time.now().plusSeconds(150));
        assertThat(advertiser.advertisements()).containsExactly(info);
    }

    @Test
    void reAdvertisesEveryHalfTtlWithAHigherSeq() {
        advertiser.advertise(TOPIC);
        time.advance(Duration.ofSeconds(149));
        assertThat(dht.stores).hasSize(1);

        time.advance(Duration.ofSeconds(1));
        assertThat(dht.stores).hasSize(2);
        assertThat(dht.last().seq()).isGreaterThan(dht.stores.get(0).seq());
        assertThat(dht.last().expiresAt()).isEqualTo(time.now().plusSeconds(300));

        time.advance(Duration.ofSeconds(150));
        assertThat(dht.stores).hasSize(3);
        assertThat(advertiser.stats().refreshes()).isEqualTo(2);
    }

    @Test
    void jitterOnlyBringsTheRefreshForwardWithinItsFraction() {
        advertiser.close();
        advertiser = advertiser(AdvertisementSettings.defaults());
        Instant now = time.now();
        Set<Instant> refreshes = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            Advertisement info = advertiser.advertise(Topic.of("t" + i));
            assertThat(info.nextRefreshAt()).isBetween(now.plusSeconds(135), now.plusSeconds(150));
            refreshes.add(info.nextRefreshAt());
        }
        assertThat(refreshes).as("jitter spreads the refreshes").hasSizeGreaterThan(100);

        time.advance(Duration.ofSeconds(150));
        assertThat(dht.stores).as("every topic re-stored by ttl/2").hasSize(400);
    }

    @Test
    void advertisingTwiceKeepsOneRecordAndOneTimer() {
        Advertisement first = advertiser.advertise(TOPIC);
        Advertisement second = advertiser.advertise(TOPIC);

        assertThat(second).isEqualTo(first);
        assertThat(dht.stores).hasSize(1);
        time.advance(Duration.ofSeconds(150));
        assertThat(dht.stores).hasSize(2);
        assertThat(advertiser.advertisements()).hasSize(1);
    }

    @Test
    void cancelStoresASignedWithdrawalWithTheNextSeqAndStopsTheTimer() {
        advertiser.advertise(TOPIC);
        long seq = dht.last().seq();

        assertThat(advertiser.cancel(TOPIC)).isTrue();

        Record withdrawal = dht.last();
        assertThat(withdrawal.seq()).isEqualTo(seq + 1);
        assertThat(withdrawal.key()).isEqualTo(Key.ofTopic("default", TOPIC));
        assertThat(Advertisements.decode(withdrawal.value()).withdrawn()).isTrue();
        assertThat(advertiser.advertisements()).isEmpty();
        time.advance(Duration.ofHours(1));
        assertThat(dht.stores).hasSize(2);
        assertThat(advertiser.cancel(TOPIC)).isFalse();
    }

    @Test
    void advertisingAgainAfterCancelOutranksTheWithdrawal() {
        advertiser.advertise(TOPIC);
        advertiser.cancel(TOPIC);
        long withdrawalSeq = dht.last().seq();

        advertiser.advertise(TOPIC);

        assertThat(dht.last().seq()).isGreaterThan(withdrawalSeq);
        assertThat(Advertisements.decode(dht.last().value()).withdrawn()).isFalse();
    }

    @Test
    void anEndpointChangeReStoresEveryLiveAdvertisementAtOnceInPreferredOrder() {
        advertiser.advertise(TOPIC);
        advertiser.advertise(OTHER);
        advertiser.cancel(OTHER);
        int before = dht.stores.size();

        advertiser.addTransport(new FakeTransport("tcp", List.of(endpoint("tcp", "10.0.0.1", 4434))));
        advertiser.addTransport(new FakeTransport("quic", List.of(endpoint("quic", "10.0.0.1", 4433))));
        time.runDue();

        List<Record> restored = dht.stores.subList(before, dht.stores.size());
        assertThat(restored).allMatch(r -> r.key().equals(Key.ofTopic("default", TOPIC)));
        assertThat(Advertisements.decode(dht.last().value()).endpoints()).containsExactly(
                endpoint("quic", "10.0.0.1", 4433), endpoint("tcp", "10.0.0.1", 4434), endpoint("mem", "n1", 0));

        advertiser.removeTransport(mem);
        time.runDue();
        assertThat(Advertisements.decode(dht.last().value()).endpoints()).doesNotContain(endpoint("mem", "n1", 0));
        assertThat(advertiser.stats().endpointChanges()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aTransportThatAddsNoEndpointStoresNothing() {
        advertiser.advertise(TOPIC);
        advertiser.addTransport(new FakeTransport("tcp", List.of()));
        time.runDue();
        assertThat(dht.stores).hasSize(1);
    }

    @Test
    void aFailedStoreIsRetriedSoonerThanTheRefresh() {
        dht.failing = true;
        advertiser.advertise(TOPIC);
        time.advance(Duration.ofSeconds(10));
        assertThat(dht.stores).hasSize(2);

        dht.failing = false;
        time.advance(Duration.ofSeconds(10));
        assertThat(dht.stores).hasSize(3);
        time.advance(Duration.ofSeconds(100));
        assertThat(dht.stores).as("back to the refresh interval").hasSize(3);
        assertThat(advertiser.stats().storeFailures()).isEqualTo(2);
    }

    @Test
    void closeWithdrawsEveryAdvertisementAndRefusesNewOnes() {
        advertiser.advertise(TOPIC);
        advertiser.advertise(OTHER);

        advertiser.close();
        advertiser.close();

        assertThat(dht.stores).hasSize(4);
        assertThat(dht.stores.subList(2, 4)).allMatch(r -> Advertisements.decode(r.value()).withdrawn());
        assertThat(advertiser.stats().withdrawals()).isEqualTo(2);
        assertThatThrownBy(() -> advertiser.advertise(TOPIC)).isInstanceOf(NodeClosedException.class);
        time.advance(Duration.ofHours(1));
        assertThat(dht.stores).hasSize(4);
    }

    @Test
    void closeWaitsNoLongerThanItsDeadline() {
        advertiser.close();
        advertiser = advertiser(new AdvertisementSettings("default", Duration.ofSeconds(300), 0.5, 0,
                Duration.ofSeconds(10), Duration.ofMillis(100)));
        advertiser.advertise(TOPIC);
        dht.hanging = true;

        long started = System.nanoTime();
        advertiser.close();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        assertThat(Advertisements.decode(dht.last().value()).withdrawn()).isTrue();
    }

    @Test
    void seqGrowsAcrossRestarts() {
        advertiser.advertise(TOPIC);
        time.advance(Duration.ofSeconds(150));
        long lastSeqOfFirstRun = dht.last().seq();
        advertiser.close();
        time.advance(Duration.ofSeconds(1));

        advertiser = advertiser(AdvertisementSettings.defaults());
        advertiser.advertise(TOPIC);

        assertThat(dht.last().seq()).isGreaterThan(lastSeqOfFirstRun + 1);
    }

    @Test
    void advertisesUnderItsOwnRealm() {
        advertiser.close();
        advertiser = advertiser(AdvertisementSettings.defaults().withRealm("lab"));
        advertiser.advertise(TOPIC);
        assertThat(dht.last().key()).isEqualTo(Key.ofTopic("lab", TOPIC));
        assertThat(Advertisements.decode(dht.last().value()).realm()).isEqualTo("lab");
    }

    @Test
    void statsSourceNamesItsModuleAndCountsStoresByName() {
        advertiser.advertise(TOPIC);
        advertiser.cancel(TOPIC);

        assertThat(advertiser.module()).isEqualTo("advertisement");
        assertThat(advertiser.snapshot()).containsEntry("advertisement.stores", 2L)
                .containsEntry("advertisement.withdrawals", 1L);
        assertThat(List.copyOf(advertiser.snapshot().keySet())).isSorted()
                .allMatch(name -> name.startsWith("advertisement."));
    }

    private AdvertisementService advertiser(AdvertisementSettings settings) {
        return new AdvertisementService(settings, dht, identity, time.clock(), time, new SplittableRandom(7));
    }

    private Endpoint endpoint(String scheme, String host, int port) {
        return new Endpoint(scheme, host, port, identity.nodeId());
    }
}
