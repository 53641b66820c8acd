package io.hyphae.dht;

import io.hyphae.api.NodeId;
import io.hyphae.spi.pubsub.NodeIdentity;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Random;

/** A node identity with a chosen or seeded id and no keys: the DHT never signs with its own identity. */
record TestIdentity(NodeId nodeId) implements NodeIdentity {
    static TestIdentity random(Random random) {
        byte[] id = new byte[NodeId.BYTES];
        random.nextBytes(id);
        return new TestIdentity(NodeId.of(id));
    }

    @Override
    public PublicKey publicKey() {
        throw new UnsupportedOperationException("test identity has no key");
    }

    @Override
    public PrivateKey privateKey() {
        throw new UnsupportedOperationException("test identity has no key");
    }

    @Override
    public byte[] sign(byte[] data) {
        throw new UnsupportedOperationException("test identity has no key");
    }
}
