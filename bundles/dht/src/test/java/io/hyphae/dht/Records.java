package io.hyphae.dht;

import io.hyphae.identity.Ed25519Identity;
import io.hyphae.spi.dht.Key;
import io.hyphae.spi.dht.Record;
import java.time.Instant;

/** Signs test records. */
final class Records {
    private Records() {
    }

    static Record signed(Ed25519Identity publisher, Key key, long seq, Instant expiresAt, byte[] value) {
        byte[] signature = publisher.sign(Record.signedBytes(key, publisher.nodeId(), seq, expiresAt, value));
        return new Record(key, publisher.nodeId(), seq, expiresAt, value, publisher.publicKey().getEncoded(),
                signature);
    }

    static Record signed(Ed25519Identity publisher, Key key, long seq, Instant expiresAt) {
        return signed(publisher, key, seq, expiresAt, ("v" + seq).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
