package io.hyphae.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hyphae.api.NodeClosedException;
import io.hyphae.api.Qos;
import io.hyphae.api.Topic;
import io.hyphae.spi.cache.CachePolicy;
import io.hyphae.spi.concurrent.VirtualTime;
import io.hyphae.spi.pubsub.Discovery.Discovered;
import io.hyphae.spi.pubsub.Discovery.Discovered.Cached;
import io.hyphae.spi.pubsub.Discovery.Discovered.QuerySent;
import io.hyphae.spi.pubsub.Discovery.Waiter;
import io.hyphae.spi.dht.Record;
import io.hyphae.spi.pubsub.Subscriber;
import io.hyphae.spi.transport.Endpoint;
import io.hyphae.wire.Advertisements;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DiscoveryServiceTest extends DiscoveryFixture {
    @Test
    void aMissQueriesTheDhtAndTheNextDiscoveryIsACacheHit() {
        dht.put(advert(alice, 1));
        Recorder waiter = new Recorder(Qos.AT_MOST_ONCE);

        Discovered first = discovery.discover(TOPIC, waiter);
        assertThat(first).isInstanceOf(QuerySent.class);
        assertThat(waiter.answers).as("waiters are called on the scheduler").isEmpty();
        time.runDue();

        assertThat(waiter.answers).hasSize(1);
        assertThat(waiter.answers.get(0)).extracting(Subscriber::nodeId).containsExactly(alice.nodeId());
        assertThat(waiter.answers.get(0).get(0).endpoints()).containsExactly(Records.endpoint(alice));
        Discovered second = discovery.discover(TOPIC, new Recorder(Qos.AT_MOST_ONCE));
        assertThat(second).isInstanceOfSatisfying(Cached.class, c ->
                assertThat(c.subscribers()).extracting(Subscriber::nodeId).containsExactly(alice.nodeId()));
        assertThat(dht.queries).hasSize(1);
        assertThat(discovery.stats().hits()).isEqualTo(1);
        assertThat(discovery.stats().misses()).isEqualTo(1);
    }

    @Test
    void discoveriesOfATopicInFlightJoinOneQuery() {
        dht.mode = FakeDht.Mode.HOLD;
        dht.put(advert(alice, 1));
        List<Recorder> waiters = List.of(new Recorder(Qos.AT_MOST_ONCE), new Recorder(Qos.AT_LEAST_ONCE),
                new Recorder(Qos.AT_MOST_ONCE));

        QuerySent a = (QuerySent) discovery.discover(TOPIC, waiters.get(0));
        QuerySent b = (QuerySent) discovery.discover(TOPIC, waiters.get(1));
        QuerySent c = (QuerySent) discovery.discover(TOPIC, waiters.get(2));

        assertThat(dht.queries).hasSize(1);
        assertThat(List.of(a.queryId(), b.queryId(), c.queryId())).containsOnly(a.queryId());
        assertThat(List.of(a.pending(), b.pending(), c.pending())).containsExactly(1, 2, 3);
        assertThat(List.of(a.joined(), b.joined(), c.joined())).containsExactly(false, true, true);
        dht.answer(0);
        time.runDue();
        assertThat(waiters).allSatisfy(w -> assertThat(w.answers).hasSize(1));
        assertThat(discovery.stats().queriesJoined()).isEqualTo(2);
    }

    @Test
    void anAnswerAfterTheTimeoutChangesNothing() {
        dht.mode = FakeDht.Mode.HOLD;
        dht.put(advert(alice, 1));
        Recorder waiter = new Recorder(Qos.AT_MOST_ONCE);
        long id = ((QuerySent) discovery.discover(TOPIC, waiter)).queryId();
        time.advance(Duration.ofSeconds(5));

        DiscoveryResponse late = discovery.handleDiscoveryResponse(id, List.of(advert(alice, 1)));

        assertThat(late).isEqualTo(new DiscoveryResponse.NotFound(id));
        dht.answer(0);
        time.runDue();
        assertThat(waiter.answers).isEmpty();
        assertThat(waiter.drops).hasSize(1);
        assertThat(discovery.cachedTopics()).isZero();
        assertThat(discovery.stats().lateAnswers()).isEqualTo(2);
    }

    @Test
    void anAnswerToAnUnknownQueryIsNotFound() {
        assertThat(discovery.handleDiscoveryResponse(42, List.of(advert(alice, 1))))
                .isEqualTo(new DiscoveryResponse.NotFound(42));
        assertThat(discovery.discover(TOPIC, new Recorder(Qos.AT_MOST_ONCE))).isInstanceOf(QuerySent.class);
    }

    @Test
    void theAnswerReportsOkWithItsWaiters() {
        dht.mode = FakeDht.Mode.HOLD;
        long id = ((QuerySent) discovery.discover(TOPIC, new Recorder(Qos.AT_MOST_ONCE))).queryId();
        discovery.discover(TOPIC, new Recorder(Qos.AT_MOST_ONCE));

        DiscoveryResponse ok = discovery.handleDiscoveryResponse(id, List.of(advert(alice, 1), advert(bob, 1)));

        assertThat(ok).isInstanceOfSatisfying(DiscoveryResponse.Ok.class, o -> {
            assertThat(o.topic()).isEqualTo(TOPIC);
            assertThat(o.waiters()).isEqualTo(2);
            assertThat(o.subscribers()).extracting(Subscriber::nodeId)
                    .containsExactlyInAnyOrder(alice.nodeId(), bob.nodeId());
        });
        assertThat(discovery.handleDiscoveryResponse(id, List.of())).isInstanceOf(DiscoveryResponse.NotFound.class);
    }

    @Test
    void aTimeoutDropsQos0WaitersAndCountsThem() {
        dht.mode = FakeDht.Mode.HOLD;
        Recorder waiter = new Recorder(Qos.AT_MOST_ONCE);
        discovery.discover(TOPIC, waiter);

        time.advance(Duration.ofMillis(4_999));
        assertThat(waiter.drops).isEmpty();
        time.advance(Duration.ofMillis(1));

        assertThat(waiter.drops).hasSize(1);
        assertThat(waiter.drops.get(0)).contains("5000 ms");
        assertThat(dht.queries).hasSize(1);
        assertThat(discovery.stats().dropped()).isEqualTo(1);
        assertThat(discovery.stats().timeouts()).isEqualTo(1);
    }

    @Test
    void aTimeoutQueriesAgainForQos1WaitersUntilTheirDeadline() {
        dht.mode = FakeDht.Mode.HOLD;
        Recorder waiter = new Recorder(Qos.AT_LEAST_ONCE);
        discovery.discover(TOPIC, waiter);

        time.advance(Duration.ofSeconds(25));
        assertThat(dht.queries).hasSize(6);
        assertThat(waiter.drops).isEmpty();

        time.advance(Duration.ofSeconds(5));
        assertThat(waiter.drops).hasSize(1);
        assertThat(waiter.drops.get(0)).contains("QoS 1 deadline");
        assertThat(waiter.answers).isEmpty();
        assertThat(discovery.stats().deadlinesPassed()).isEqualTo(1);
        time.advance(Duration.ofMinutes(1));
        assertThat(dht.queries).hasSize(6);
    }

    @Test
    void aQos1WaiterIsAnsweredByTheQueryAfterATimeout() {
        dht.mode = FakeDht.Mode.HOLD;
        dht.put(advert(alice, 1));
        Recorder qos1 = new Recorder(Qos.AT_LEAST_ONCE);
        Recorder qos0 = new Recorder(Qos.AT_MOST_ONCE);
        discovery.discover(TOPIC, qos1);
        discovery.discover(TOPIC, qos0);
        time.advance(Duration.ofSeconds(5));

        dht.answer(1);
        time.runDue();

        assertThat(qos1.answers).hasSize(1);
        assertThat(qos1.drops).isEmpty();
        assertThat(qos0.drops).hasSize(1);
        assertThat(qos0.answers).isEmpty();
    }

    @Test
    void aDhtFailureDropsQos0AtOnceAndQueriesAgainForQos1AtTheTimeout() {
        dht.mode = FakeDht.Mode.FAIL;
        Recorder qos0 = new Recorder(Qos.AT_MOST_ONCE);
        Recorder qos1 = new Recorder(Qos.AT_LEAST_ONCE);
        discovery.discover(TOPIC, qos0);
        discovery.discover(TOPIC, qos1);
        time.runDue();

        assertThat(qos0.drops).hasSize(1);
        assertThat(qos1.drops).isEmpty();
        dht.mode = FakeDht.Mode.ANSWER;
        dht.put(advert(alice, 1));
        time.advance(Duration.ofSeconds(5));
        assertThat(qos1.answers).hasSize(1);
        assertThat(dht.queries).hasSize(2);
    }

    @Test
    void anEmptyAnswerIsCachedForTheNegativeTtl() {
        Recorder waiter = new Recorder(Qos.AT_MOST_ONCE);
        discovery.discover(TOPIC, waiter);
        time.runDue();
        assertThat(waiter.answers).containsExactly(List.of());

        time.advance(Duration.ofMillis(1_999));
        assertThat(discovery.discover(TOPIC, new Recorder(Qos.AT_MOST_ONCE))).isEqualTo(new Cached(TOPIC, List.of()));
        assertThat(dht.queries).hasSize(1);
        assertThat(discovery.stats().negativeHits()).isEqualTo(1);

        time.advance(Duration.ofMillis(1));
        assertThat(discovery.discover(TOPIC, new Recorder(Qos.AT_MOST_ONCE))).isInstanceOf(QuerySent.class);
        assertThat(dht.queries).hasSize(2);
    }

    @Test
    void aHitLeavesOutSubscribersWhoseRecordExpiredEvenIfThePolicyKeepsTheEntry() {
        discovery.usePolicy(new CachePolicy() {
            @Override
            public String name() {
                return "generous";
            }

            @Override
            public Duration freshness(Duration recordTtl) {
                return Duration.ofMinutes(10); // longer than the records live: discovery must not trust that
            }

            @Override
            public int maxTopics() {
                return 10;
            }
        });
        dht.put(advert(alice, 1));
        dht.put(Records.advert(bob, REALM, TOPIC, 1, time.now().plusSeconds(30)));
        discovery.discover(TOPIC, new Recorder(Qos.AT_MOST_ONCE));
        time.runDue();

        time.advance(Duration.ofSeconds(30));

        Cached hit = (Cached) discovery.discover(TOPIC, new Recorder(Qos.AT_MOST_ONCE));
        assertThat(hit.subscribers()).extracting(Subscriber::nodeId).containsExactly(alice.nodeId());
    }

    @Test
    void aThrowingWaiterHarmsNoOtherWaiter() {
        Waiter throwing = new Recorder(Qos.AT_MOST_ONCE) {
            @Override
            public void onSubscribers(List<Subscriber> subscribers) {
                throw new IllegalStateException("handler bug");
            }
        };
        Recorder fine = new Recorder(Qos.AT_MOST_ONCE);
        discovery.discover(TOPIC, throwing);
        discovery.discover(TOPIC, fine);
        time.runDue();
        assertThat(fine.answers).hasSize(1);
    }

    @Test
    void closeDropsParkedWaitersAndRefusesNewDiscoveries() {
        dht.mode = FakeDht.Mode.HOLD;
        Recorder waiter = new Recorder(Qos.AT_LEAST_ONCE);
        discovery.discover(TOPIC, waiter);

        discovery.close();
        discovery.close();

        assertThat(waiter.drops).containsExactly("discovery closed");
        assertThatThrownBy(() -> discovery.discover(TOPIC, waiter)).isInstanceOf(NodeClosedException.class);
        time.advance(Duration.ofMinutes(1));
        assertThat(dht.queries).hasSize(1);
    }

    @Test
    void statsSourceNamesItsModuleAndCountsByName() {
        dht.put(advert(alice, 1));
        discovery.discover(TOPIC, new Recorder(Qos.AT_MOST_ONCE));
        time.runDue();
        discovery.discover(TOPIC, new Recorder(Qos.AT_MOST_ONCE));

        assertThat(discovery.module()).isEqualTo("discovery");
        assertThat(discovery.snapshot()).containsEntry("discovery.cache.misses", 1L)
                .containsEntry("discovery.cache.hits", 1L);
        assertThat(List.copyOf(discovery.snapshot().keySet())).isSorted()
                .allMatch(name -> name.startsWith("discovery."));
    }

    @Test
    void rediscoverAsksTheDhtPastAFreshCacheEntryAndItsAnswerReplacesTheEntry() {
        dht.put(advert(alice, 1));
        discovery.discover(TOPIC, new Recorder(Qos.AT_LEAST_ONCE));
        time.runDue();
        Record moved = Records.signed(alice, key(), 2, now().plusSeconds(300), Advertisements.Value.advertisement(
                alice.nodeId(), List.of(new Endpoint("tcp", "moved", 2, alice.nodeId())), TOPIC, REALM));
        dht.records.clear();
        dht.put(moved);
        Recorder waiter = new Recorder(Qos.AT_LEAST_ONCE);

        Discovered asked = discovery.rediscover(TOPIC, waiter);
        time.runDue();

        assertThat(asked).isInstanceOf(QuerySent.class);
        assertThat(dht.queries).as("the cached entry was fresh, yet the DHT was asked").hasSize(2);
        assertThat(waiter.answers).singleElement().satisfies(subscribers -> assertThat(subscribers)
                .singleElement().satisfies(s -> assertThat(s.seq()).isEqualTo(2)));
        assertThat(discovery.discover(TOPIC, new Recorder(Qos.AT_LEAST_ONCE))).isInstanceOfSatisfying(Cached.class,
                c -> assertThat(c.subscribers()).singleElement().satisfies(s -> assertThat(s.endpoints())
                        .containsExactly(new Endpoint("tcp", "moved", 2, alice.nodeId()))));
        assertThat(discovery.stats().rediscoveries()).isEqualTo(1);
    }

    @Test
    void rediscoveriesJoinTheQueryInFlight() {
        dht.mode = FakeDht.Mode.HOLD;
        dht.put(advert(alice, 1));
        Recorder first = new Recorder(Qos.AT_LEAST_ONCE);
        Recorder second = new Recorder(Qos.AT_LEAST_ONCE);

        QuerySent a = (QuerySent) discovery.discover(TOPIC, first);
        QuerySent b = (QuerySent) discovery.rediscover(TOPIC, second);

        assertThat(b.joined()).isTrue();
        assertThat(b.queryId()).isEqualTo(a.queryId());
        assertThat(dht.queries).hasSize(1);
        dht.answer(0);
        time.runDue();
        assertThat(List.of(first, second)).allSatisfy(w -> assertThat(w.answers).hasSize(1));
    }
}
