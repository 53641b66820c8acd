package io.hyphae.spi.transport;

import io.hyphae.api.NodeId;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Function;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/** {@link PeerCertificates#trustManager}: node certificates only, the authType is ignored (providers differ). */
final class NodeTrustManager extends X509ExtendedTrustManager {
    private static final X509Certificate[] NO_ISSUERS = new X509Certificate[0];
    private final Clock clock;
    private final Function<SSLEngine, NodeId> expectedServer;

    NodeTrustManager(Clock clock, Function<SSLEngine, NodeId> expectedServer) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.expectedServer = Objects.requireNonNull(expectedServer, "expectedServer");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        PeerCertificates.verifiedNodeId(chain, clock.instant());
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        NodeId expected = engine == null ? null : expectedServer.apply(engine);
        if (expected == null) {
            throw new CertificateException("no node id is expected for this connection; refusing the server");
        }
        PeerCertificates.verifyPeer(chain, expected, clock.instant());
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        PeerCertificates.verifiedNodeId(chain, clock.instant());
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("node certificates are checked on SSLEngine connections only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        PeerCertificates.verifiedNodeId(chain, clock.instant());
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("node certificates are checked on SSLEngine connections only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return NO_ISSUERS;
    }
}
