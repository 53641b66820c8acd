package io.hyphae.identity;

import io.hyphae.api.NodeId;
import io.hyphae.spi.pubsub.NodeIdentity;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.util.Objects;

/**
 * A node identity from an Ed25519 key pair: {@code nodeId = SHA-256(X.509-encoded public key)}. Immutable and thread
 * safe. Made in memory with {@link #generate()} or {@link #of(KeyPair)}; {@link KeyFile} reads and writes it.
 */
public final class Ed25519Identity implements NodeIdentity {
    static final String ALGORITHM = "Ed25519";

    private final PublicKey publicKey;
    private final PrivateKey privateKey;
    private final NodeId nodeId;

    private Ed25519Identity(KeyPair pair) {
        this.publicKey = pair.getPublic();
        this.privateKey = pair.getPrivate();
        this.nodeId = NodeId.ofPublicKey(publicKey.getEncoded());
    }

    /** A fresh identity from the platform's Ed25519 generator (JDK 17 has one). */
    public static Ed25519Identity generate() {
        try {
            return new Ed25519Identity(KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Ed25519 is required of Java 15 and later", e);
        }
    }

    /**
     * The identity of an existing Ed25519 key pair.
     *
     * @throws IllegalArgumentException when the keys are not Ed25519 or do not belong together
     */
    public static Ed25519Identity of(KeyPair pair) {
        Objects.requireNonNull(pair, "pair");
        if (!ALGORITHM.equals(pair.getPublic().getAlgorithm()) && !"EdDSA".equals(pair.getPublic().getAlgorithm())) {
            throw new IllegalArgumentException("identity keys must be Ed25519, were " + pair.getPublic().getAlgorithm());
        }
        Ed25519Identity identity = new Ed25519Identity(pair);
        if (!identity.keysMatch()) {
            throw new IllegalArgumentException("the private key does not belong to the public key of " + identity.nodeId);
        }
        return identity;
    }

    @Override
    public NodeId nodeId() {
        return nodeId;
    }

    @Override
    public PublicKey publicKey() {
        return publicKey;
    }

    @Override
    public PrivateKey privateKey() {
        return privateKey;
    }

    @Override
    public byte[] sign(byte[] data) {
        Objects.requireNonNull(data, "data");
        try {
            // Signature objects are not thread safe; a new one per call keeps this class immutable.
            Signature signer = Signature.getInstance(ALGORITHM);
            signer.initSign(privateKey);
            signer.update(data);
            return signer.sign();
        } catch (NoSuchAlgorithmException | InvalidKeyException | SignatureException e) {
            throw new IllegalStateException("signing with the Ed25519 key of " + nodeId.shortHex() + " failed", e);
        }
    }

    /** Whether the private key signs what the public key verifies. */
    private boolean keysMatch() {
        byte[] probe = "hyphae/identity/probe".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try {
            Signature verifier = Signature.getInstance(ALGORITHM);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(sign(probe));
        } catch (GeneralSecurityException | IllegalStateException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "Ed25519Identity[" + nodeId.shortHex() + "]";
    }
}
