package io.hyphae.spi.transport;

import io.hyphae.api.NodeId;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.HexFormat;
import java.util.Objects;
import java.util.function.Function;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Checks a peer's TLS certificate chain the way every Hyphae transport must, with the JDK alone: exactly one
 * certificate, self-signed, for an Ed25519 key, whose signature verifies with its own key and which is valid now. The
 * peer is then the node whose id is the SHA-256 of that key's X.509 encoding. No certificate authority is involved:
 * the node id is the trust anchor, and TLS itself proves that the peer holds the private key (CertificateVerify).
 * Stateless and thread safe.
 */
public final class PeerCertificates {
    /** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410): SEQUENCE, AlgorithmIdentifier 1.3.101.112, BIT STRING. */
    private static final byte[] ED25519_SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
    private static final int ED25519_SPKI_BYTES = ED25519_SPKI_PREFIX.length + 32;
    private static final String ED25519_OID = "1.3.101.112";

    private PeerCertificates() {
    }

    /**
     * The node id {@code chain} proves, checked at {@code now}.
     *
     * @throws CertificateException naming the rule the chain breaks: not exactly one certificate, not Ed25519, not
     *                              self-signed, bad signature, expired or not yet valid
     */
    public static NodeId verifiedNodeId(X509Certificate[] chain, Instant now) throws CertificateException {
        Objects.requireNonNull(now, "now");
        if (chain == null || chain.length != 1 || chain[0] == null) {
            throw new CertificateException("a node presents exactly one certificate, got "
                    + (chain == null ? "none" : chain.length));
        }
        X509Certificate cert = chain[0];
        PublicKey key = cert.getPublicKey();
        byte[] spki = key == null ? null : key.getEncoded();
        if (spki == null || spki.length != ED25519_SPKI_BYTES
                || !Arrays.equals(spki, 0, ED25519_SPKI_PREFIX.length, ED25519_SPKI_PREFIX, 0,
                        ED25519_SPKI_PREFIX.length)) {
            throw new CertificateException("node certificate key is not Ed25519: "
                    + (key == null ? "none" : key.getAlgorithm()));
        }
        if (!ED25519_OID.equals(cert.getSigAlgOID())) {
            throw new CertificateException("node certificate is not signed with Ed25519: " + cert.getSigAlgName());
        }
        if (!cert.getIssuerX500Principal().equals(cert.getSubjectX500Principal())) {
            throw new CertificateException("node certificate is not self-signed: issuer "
                    + cert.getIssuerX500Principal() + " is not subject " + cert.getSubjectX500Principal());
        }
        try {
            cert.verify(key);
        } catch (GeneralSecurityException e) {
            throw new CertificateException("node certificate signature does not verify with its own key", e);
        }
        cert.checkValidity(Date.from(now)); // CertificateExpiredException / NotYetValidException name the dates
        return NodeId.ofPublicKey(spki);
    }

    /**
     * Checks {@code chain} as {@link #verifiedNodeId} does and that it proves {@code expected}, the node named by
     * the endpoint being dialled.
     *
     * @throws CertificateException when the chain is bad or proves another node
     */
    public static NodeId verifyPeer(X509Certificate[] chain, NodeId expected, Instant now)
            throws CertificateException {
        Objects.requireNonNull(expected, "expected");
        NodeId actual = verifiedNodeId(chain, now);
        if (!actual.equals(expected)) {
            throw new CertificateException("peer is node " + actual.shortHex() + ", the endpoint names "
                    + expected.shortHex());
        }
        return actual;
    }

    /**
     * A trust manager for TLS 1.3 transports with node certificates. A client (checking a server) asks
     * {@code expectedServer} which node the engine dialled and refuses the handshake when it gets {@code null} or
     * the certificate proves another node; a server (checking a client) accepts any valid node certificate and
     * learns the client's id from the session afterwards. Only the {@link SSLEngine} variants are usable: the socket
     * and context-free variants refuse, since Hyphae transports are engine based.
     *
     * @param clock          time for the validity check
     * @param expectedServer node expected behind a client engine; called on the handshake thread, must not block
     */
    public static X509ExtendedTrustManager trustManager(Clock clock, Function<SSLEngine, NodeId> expectedServer) {
        return new NodeTrustManager(clock, expectedServer);
    }
}
