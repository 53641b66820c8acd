package io.hyphae.spi.transport;

import io.hyphae.api.NodeId;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What a node presents in a TLS handshake: a self-signed X.509 certificate for its Ed25519 key and that key's
 * private half. A peer accepts it when {@link PeerCertificates#verifiedNodeId} finds the certificate's key hashes to
 * {@link #nodeId()}. Registered as a service by the bundle that makes the certificate; transports take it through a
 * static reference. Thread safe; the values never change for one instance.
 */
@ProviderType
public interface TlsCredentials {
    /** The node these credentials prove: SHA-256 of the certificate's encoded public key. */
    NodeId nodeId();

    /** The private key matching {@link #certificate()}'s public key; never leaves the node. */
    PrivateKey privateKey();

    /** The self-signed certificate for the node's public key. */
    X509Certificate certificate();
}
