package io.hyphae.transport.tcp;

import io.hyphae.api.NodeId;
import io.hyphae.spi.pubsub.NodeIdentity;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;

/** A throw-away Ed25519 identity for tests. */
final class TestIdentity implements NodeIdentity {
    private final KeyPair keys;

    TestIdentity() {
        try {
            keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK 17 has Ed25519", e);
        }
    }

    @Override
    public NodeId nodeId() {
        return NodeId.ofPublicKey(keys.getPublic().getEncoded());
    }

    @Override
    public PublicKey publicKey() {
        return keys.getPublic();
    }

    @Override
    public PrivateKey privateKey() {
        return keys.getPrivate();
    }

    @Override
    public byte[] sign(byte[] data) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(keys.getPrivate());
            s.update(data);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }
}
