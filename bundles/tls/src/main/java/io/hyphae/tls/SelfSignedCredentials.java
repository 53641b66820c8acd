package io.hyphae.tls;

import io.hyphae.api.NodeId;
import io.hyphae.spi.pubsub.NodeIdentity;
import io.hyphae.spi.transport.TlsCredentials;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link TlsCredentials} made from the node's {@link NodeIdentity}: a self-signed X.509 v3 certificate for the
 * node's Ed25519 public key, subject and issuer {@code CN=<node id hex>}, signed by {@link NodeIdentity#sign}, so
 * the private key is only read for the TLS handshake itself. BouncyCastle is used as a library (certificate
 * structure only); signing and parsing use the JDK, so no security provider is registered.
 *
 * <p>The certificate is made once, in the constructor, valid from one day before now (clock skew) for
 * {@link #DEFAULT_VALIDITY}; a node that runs longer gets a fresh one when it restarts. Peers trust it because its
 * key hashes to the node id, not because of who signed it. Immutable and thread safe.
 */
@Component(service = TlsCredentials.class)
public final class SelfSignedCredentials implements TlsCredentials {
    /** How long a certificate is valid: 10 years, so a running node never sees its own certificate expire. */
    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(3650);
    /** How far before "now" validity starts, for peers whose clock is behind. */
    static final Duration BACKDATE = Duration.ofDays(1);
    private static final Logger LOG = LoggerFactory.getLogger(SelfSignedCredentials.class);

    private final NodeId nodeId;
    private final PrivateKey privateKey;
    private final X509Certificate certificate;

    /** OSGi wiring: the system clock and the default validity. */
    @Activate
    public SelfSignedCredentials(@Reference NodeIdentity identity) {
        this(identity, Clock.systemUTC(), DEFAULT_VALIDITY);
        LOG.info("TLS certificate for node {} valid until {}", nodeId.shortHex(), certificate.getNotAfter());
    }

    /**
     * Makes the certificate now.
     *
     * @param validity how long after {@code clock.instant()} the certificate stays valid; positive
     * @throws IllegalStateException when the identity's key cannot be put in a certificate (not Ed25519)
     */
    public SelfSignedCredentials(NodeIdentity identity, Clock clock, Duration validity) {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(clock, "clock");
        if (validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("certificate validity must be positive: " + validity);
        }
        this.nodeId = identity.nodeId();
        this.privateKey = identity.privateKey();
        this.certificate = certificate(identity, clock.instant(), validity);
    }

    @Override
    public NodeId nodeId() {
        return nodeId;
    }

    @Override
    public PrivateKey privateKey() {
        return privateKey;
    }

    @Override
    public X509Certificate certificate() {
        return certificate;
    }

    private static X509Certificate certificate(NodeIdentity identity, Instant now, Duration validity) {
        X500Name name = new X500Name("CN=" + identity.nodeId().toHex());
        BigInteger serial = new BigInteger(63, new SecureRandom()).add(BigInteger.ONE);
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial,
                Date.from(now.minus(BACKDATE)), Date.from(now.plus(validity)), name, identity.publicKey());
        try {
            X509CertificateHolder holder = builder.build(new IdentitySigner(identity));
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (CertificateException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot make a certificate for node " + identity.nodeId().shortHex()
                    + " (is its key Ed25519?)", e);
        }
    }

    /** Signs the to-be-signed certificate with the node identity (Ed25519 signs the whole message, no digest). */
    static final class IdentitySigner implements ContentSigner {
        private static final AlgorithmIdentifier ED25519 = new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519);
        private final NodeIdentity identity;
        private final ByteArrayOutputStream tbs = new ByteArrayOutputStream(512);

        IdentitySigner(NodeIdentity identity) {
            this.identity = identity;
        }

        @Override
        public AlgorithmIdentifier getAlgorithmIdentifier() {
            return ED25519;
        }

        @Override
        public OutputStream getOutputStream() {
            return tbs;
        }

        @Override
        public byte[] getSignature() {
            return identity.sign(tbs.toByteArray());
        }
    }
}
