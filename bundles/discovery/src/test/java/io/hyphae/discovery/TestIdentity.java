package io.hyphae.discovery;

import io.hyphae.api.NodeId;
import io.hyphae.spi.pubsub.NodeIdentity;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;

/** A throwaway Ed25519 identity from the JDK. */
final class TestIdentity implements NodeIdentity {
    private final KeyPair keys;
    private final NodeId id;

    TestIdentity() {
        try {
            keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is part of every Java 17", e);
        }
        id = NodeId.ofPublicKey(keys.getPublic().getEncoded());
    }

    @Override
    public NodeId nodeId() {
        return id;
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
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(keys.getPrivate());
            signer.update(data);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing failed", e);
        }
    }
}
