package io.hyphae.advertisement;

import io.hyphae.api.Topic;
import io.hyphae.spi.dht.Dht;
import io.hyphae.spi.dht.Key;
import io.hyphae.spi.dht.Record;
import io.hyphae.spi.pubsub.NodeIdentity;
import io.hyphae.wire.Advertisements;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * Signs this node's subscriber records and withdrawals for one realm and stores them in the DHT. Thread safe; call
 * holding no lock (it signs and calls the DHT).
 */
final class RecordPublisher {
    private final NodeIdentity identity;
    private final Dht dht;
    private final String realm;
    private final AdvertisementStats stats;
    private final byte[] publicKey;

    RecordPublisher(NodeIdentity identity, Dht dht, String realm, AdvertisementStats stats) {
        this.identity = identity;
        this.dht = dht;
        this.realm = realm;
        this.stats = stats;
        this.publicKey = identity.publicKey().getEncoded();
    }

    /** Signs and stores what {@code planned} says; completes with the DHT's outcome, never throws. */
    CompletableFuture<Integer> store(Planned planned) {
        try {
            Topic topic = planned.entry().topic;
            Advertisements.Value value = planned.withdrawal()
                    ? Advertisements.Value.withdrawal(identity.nodeId(), topic, realm)
                    : Advertisements.Value.advertisement(identity.nodeId(), planned.endpoints(), topic, realm);
            Record record = sign(Key.ofTopic(realm, topic), planned.seq(), planned.expiresAt(), value);
            stats.stores.increment();
            if (planned.withdrawal()) {
                stats.withdrawals.increment();
            }
            return dht.store(record).toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private Record sign(Key key, long seq, Instant expiresAt, Advertisements.Value value) {
        byte[] bytes = Advertisements.encode(value);
        byte[] signature = identity.sign(Record.signedBytes(key, identity.nodeId(), seq, expiresAt, bytes));
        return new Record(key, identity.nodeId(), seq, expiresAt, bytes, publicKey, signature);
    }
}
