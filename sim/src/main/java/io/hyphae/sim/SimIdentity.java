package io.hyphae.sim;

import io.hyphae.api.NodeId;
import io.hyphae.spi.pubsub.NodeIdentity;
import java.security.PrivateKey;
import java.security.PublicKey;

/**
 * The identity of a simulated node: a seeded id and no keys. A DHT node never signs with its own identity (records
 * are signed by their publishers), so none is needed, and seeded ids make a run replay exactly.
 */
record SimIdentity(NodeId nodeId) implements NodeIdentity {
    @Override
    public PublicKey publicKey() {
        throw new UnsupportedOperationException("a simulated node has no key");
    }

    @Override
    public PrivateKey privateKey() {
        throw new UnsupportedOperationException("a simulated node has no key");
    }

    @Override
    public byte[] sign(byte[] data) {
        throw new UnsupportedOperationException("a simulated node has no key");
    }
}
