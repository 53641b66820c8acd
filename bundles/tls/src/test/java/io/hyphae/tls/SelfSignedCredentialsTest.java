package io.hyphae.tls;

import io.hyphae.identity.Ed25519Identity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hyphae.api.NodeId;
import io.hyphae.spi.pubsub.NodeIdentity;
import io.hyphae.spi.transport.PeerCertificates;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SelfSignedCredentialsTest {
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private final Ed25519Identity identity = Ed25519Identity.generate();
    private final SelfSignedCredentials credentials = new SelfSignedCredentials(identity,
            Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofDays(30));

    @Test
    void certificateVerifiesAndProvesTheNodeId() throws Exception {
        X509Certificate cert = credentials.certificate();

        cert.verify(identity.publicKey());
        assertThat(cert.getSigAlgName()).isEqualToIgnoringCase("Ed25519");
        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=" + identity.nodeId().toHex());
        assertThat(credentials.nodeId()).isEqualTo(identity.nodeId());
        assertThat(PeerCertificates.verifiedNodeId(new X509Certificate[] {cert}, NOW)).isEqualTo(identity.nodeId());
        assertThat(PeerCertificates.verifyPeer(new X509Certificate[] {cert}, identity.nodeId(), NOW))
                .isEqualTo(identity.nodeId());
    }

    @Test
    void certificateOfAnotherKeyIsRefusedForTheExpectedNode() {
        NodeId expected = Ed25519Identity.generate().nodeId();

        assertThatThrownBy(() -> PeerCertificates.verifyPeer(chain(), expected, NOW))
                .isInstanceOf(CertificateException.class)
                .hasMessageContaining(expected.shortHex());
    }

    @Test
    void expiredCertificateIsRefused() {
        assertThatThrownBy(() -> PeerCertificates.verifiedNodeId(chain(), NOW.plus(Duration.ofDays(31))))
                .isInstanceOf(CertificateExpiredException.class);
    }

    @Test
    void certificateNotYetValidIsRefused() {
        assertThatThrownBy(() -> PeerCertificates.verifiedNodeId(chain(), NOW.minus(Duration.ofDays(2))))
                .isInstanceOf(CertificateNotYetValidException.class);
    }

    @Test
    void certificateSignedByAnotherKeyIsRefused() {
        Ed25519Identity signer = Ed25519Identity.generate();
        NodeIdentity forged = new NodeIdentity() { // claims identity's key, signs with signer's
            @Override public NodeId nodeId() { return identity.nodeId(); }
            @Override public PublicKey publicKey() { return identity.publicKey(); }
            @Override public PrivateKey privateKey() { return identity.privateKey(); }
            @Override public byte[] sign(byte[] data) { return signer.sign(data); }
        };
        X509Certificate cert = new SelfSignedCredentials(forged, Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofDays(1))
                .certificate();

        assertThatThrownBy(() -> PeerCertificates.verifiedNodeId(new X509Certificate[] {cert}, NOW))
                .isInstanceOf(CertificateException.class).hasMessageContaining("signature");
    }

    @Test
    void chainOfTwoOrNoneIsRefused() {
        X509Certificate cert = credentials.certificate();

        assertThatThrownBy(() -> PeerCertificates.verifiedNodeId(new X509Certificate[] {cert, cert}, NOW))
                .isInstanceOf(CertificateException.class).hasMessageContaining("exactly one");
        assertThatThrownBy(() -> PeerCertificates.verifiedNodeId(new X509Certificate[0], NOW))
                .isInstanceOf(CertificateException.class);
        assertThatThrownBy(() -> PeerCertificates.verifiedNodeId(null, NOW))
                .isInstanceOf(CertificateException.class);
    }

    @Test
    void nonPositiveValidityIsRefused() {
        assertThatThrownBy(() -> new SelfSignedCredentials(identity, Clock.systemUTC(), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0S");
    }

    private X509Certificate[] chain() {
        return new X509Certificate[] {credentials.certificate()};
    }
}
