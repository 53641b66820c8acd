package io.hyphae.discovery;

import io.hyphae.identity.Ed25519Identity;
import io.hyphae.api.Qos;
import io.hyphae.api.Topic;
import io.hyphae.spi.concurrent.VirtualTime;
import io.hyphae.spi.dht.Key;
import io.hyphae.spi.dht.Record;
import io.hyphae.spi.pubsub.Discovery.Waiter;
import io.hyphae.spi.pubsub.Subscriber;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** What every discovery test starts from: virtual time, three nodes, a fake DHT and a discovery. */
abstract class DiscoveryFixture {
    static final Topic TOPIC = Topic.of("sensors.temperature");
    static final String REALM = "default";

    final VirtualTime time = new VirtualTime();
    final Ed25519Identity self = Ed25519Identity.generate();
    final Ed25519Identity alice = Ed25519Identity.generate();
    final Ed25519Identity bob = Ed25519Identity.generate();
    final FakeDht dht = new FakeDht(self.nodeId());
    DiscoveryService discovery;

    @BeforeEach
    void start() {
        discovery = new DiscoveryService(DiscoverySettings.defaults(), dht, time.clock(), time);
    }

    @AfterEach
    void stop() {
        discovery.close();
    }

    Record advert(Ed25519Identity node, long seq) {
        return Records.advert(node, REALM, TOPIC, seq, time.now().plusSeconds(300));
    }

    Key key() {
        return Key.ofTopic(REALM, TOPIC);
    }

    Instant now() {
        return time.now();
    }

    /** Remembers what discovery told it. */
    static class Recorder implements Waiter {
        final Qos qos;
        final List<List<Subscriber>> answers = new CopyOnWriteArrayList<>();
        final List<String> drops = new CopyOnWriteArrayList<>();

        Recorder(Qos qos) {
            this.qos = qos;
        }

        @Override
        public Qos qos() {
            return qos;
        }

        @Override
        public void onSubscribers(List<Subscriber> subscribers) {
            answers.add(subscribers);
        }

        @Override
        public void onDropped(String reason) {
            drops.add(reason);
        }
    }
}
