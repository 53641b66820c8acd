package io.hyphae.spi.pubsub;

import io.hyphae.api.NodeId;
import java.security.PrivateKey;
import java.security.PublicKey;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The node's Ed25519 key pair and the id derived from it ({@code NodeId = SHA-256(X.509-encoded public key)}). One
 * identity serves the DHT, the transports' TLS and the advertisement signatures. Thread safe.
 */
@ProviderType
public interface NodeIdentity {
    NodeId nodeId();

    PublicKey publicKey();

    /** The private key, for TLS handshakes; never leaves the node. */
    PrivateKey privateKey();

    /** Ed25519 signature of {@code data}. */
    byte[] sign(byte[] data);
}
