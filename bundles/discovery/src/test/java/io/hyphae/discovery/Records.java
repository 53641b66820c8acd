package io.hyphae.discovery;

import io.hyphae.identity.Ed25519Identity;
import io.hyphae.api.NodeId;
import io.hyphae.api.Topic;
import io.hyphae.spi.dht.Key;
import io.hyphae.spi.dht.Record;
import io.hyphae.spi.transport.Endpoint;
import io.hyphae.wire.Advertisements;
import java.time.Instant;
import java.util.List;

/** Signed subscriber records as an advertiser makes them, and broken ones as an attacker might. */
final class Records {
    private Records() {
    }

    static Endpoint endpoint(Ed25519Identity node) {
        return new Endpoint("mem", "n-" + node.nodeId().shortHex(), 1, node.nodeId());
    }

    static Record advert(Ed25519Identity node, String realm, Topic topic, long seq, Instant expiresAt) {
        return signed(node, Key.ofTopic(realm, topic), seq, expiresAt,
                Advertisements.Value.advertisement(node.nodeId(), List.of(endpoint(node)), topic, realm));
    }

    static Record withdrawal(Ed25519Identity node, String realm, Topic topic, long seq, Instant expiresAt) {
        return signed(node, Key.ofTopic(realm, topic), seq, expiresAt,
                Advertisements.Value.withdrawal(node.nodeId(), topic, realm));
    }

    static Record signed(Ed25519Identity node, Key key, long seq, Instant expiresAt, Advertisements.Value value) {
        return signedBytes(node, key, seq, expiresAt, Advertisements.encode(value));
    }

    static Record signedBytes(Ed25519Identity node, Key key, long seq, Instant expiresAt, byte[] value) {
        NodeId id = node.nodeId();
        byte[] signature = node.sign(Record.signedBytes(key, id, seq, expiresAt, value));
        return new Record(key, id, seq, expiresAt, value, node.publicKey().getEncoded(), signature);
    }
}
