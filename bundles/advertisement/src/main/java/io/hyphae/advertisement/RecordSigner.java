package io.hyphae.advertisement;

import io.hyphae.api.Topic;
import io.hyphae.spi.dht.Key;
import io.hyphae.spi.dht.Record;
import io.hyphae.spi.pubsub.NodeIdentity;
import io.hyphae.spi.transport.Endpoint;
import io.hyphae.wire.Advertisements;
import java.time.Instant;
import java.util.List;

/** Builds this node's signed subscriber records and withdrawals for one realm. Thread safe. */
final class RecordSigner {
    private final NodeIdentity identity;
    private final String realm;
    private final byte[] publicKey;

    RecordSigner(NodeIdentity identity, String realm) {
        this.identity = identity;
        this.realm = realm;
        this.publicKey = identity.publicKey().getEncoded();
    }

    Record advertisement(Topic topic, List<Endpoint> endpoints, long seq, Instant expiresAt) {
        return sign(topic, seq, expiresAt,
                Advertisements.Value.advertisement(identity.nodeId(), endpoints, topic, realm));
    }

    Record withdrawal(Topic topic, long seq, Instant expiresAt) {
        return sign(topic, seq, expiresAt, Advertisements.Value.withdrawal(identity.nodeId(), topic, realm));
    }

    private Record sign(Topic topic, long seq, Instant expiresAt, Advertisements.Value value) {
        Key key = Key.ofTopic(realm, topic);
        byte[] bytes = Advertisements.encode(value);
        byte[] signature = identity.sign(Record.signedBytes(key, identity.nodeId(), seq, expiresAt, bytes));
        return new Record(key, identity.nodeId(), seq, expiresAt, bytes, publicKey, signature);
    }
}
