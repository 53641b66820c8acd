package io.hyphae.transport.tcp;

import io.hyphae.api.NodeId;
import io.hyphae.spi.transport.PeerCertificates;
import io.hyphae.spi.transport.TlsCredentials;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * TLS 1.3 only, JDK provider (SunJSSE), the node's Ed25519 certificate on both sides, mutual authentication, ALPN
 * {@value #ALPN}. The JDK provider takes Ed25519 keys with the plain API (BUILD-NOTES E; the OpenSSL provider cannot
 * use Ed25519). ALPN is set on each engine's {@link SSLParameters} rather than through Netty's ALPN configuration,
 * which wraps the engine: SunJSSE passes its own engine to the trust manager, so the per-connection expected node id
 * is keyed by the very engine made here. Engines are made without peer host and port: no session resumption, so
 * every handshake checks the certificate. Thread safe.
 */
final class TcpTls {
    static final String ALPN = "hyphae/1";
    private static final String TLS13 = "TLSv1.3";

    private final Clock clock;
    private final Map<SSLEngine, NodeId> expected = Collections.synchronizedMap(new WeakHashMap<>());
    private final SslContext server;
    private final SslContext client;

    TcpTls(TlsCredentials credentials, Clock clock) {
        this.clock = clock;
        X509ExtendedTrustManager trust = PeerCertificates.trustManager(clock, expected::get);
        try {
            this.server = SslContextBuilder.forServer(credentials.privateKey(), credentials.certificate())
                    .sslProvider(SslProvider.JDK).protocols(TLS13)
                    .clientAuth(ClientAuth.REQUIRE).trustManager(trust).build();
            this.client = SslContextBuilder.forClient()
                    .keyManager(credentials.privateKey(), credentials.certificate())
                    .sslProvider(SslProvider.JDK).protocols(TLS13).trustManager(trust).build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot make TLS contexts for node " + credentials.nodeId().shortHex(),
                    e);
        }
    }

    SSLEngine serverEngine(ByteBufAllocator alloc) {
        return withAlpn(server.newEngine(alloc));
    }

    /** A client engine that refuses any server but {@code node}. */
    SSLEngine clientEngine(ByteBufAllocator alloc, NodeId node) {
        SSLEngine engine = withAlpn(client.newEngine(alloc));
        expected.put(engine, node);
        return engine;
    }

    /** The node whose certificate the peer of a finished handshake presented. */
    NodeId peerNodeId(SSLEngine engine) throws CertificateException, SSLPeerUnverifiedException {
        if (!ALPN.equals(engine.getApplicationProtocol())) {
            throw new CertificateException("peer did not agree on ALPN " + ALPN + ": \""
                    + engine.getApplicationProtocol() + "\"");
        }
        Certificate[] chain = engine.getSession().getPeerCertificates();
        X509Certificate[] x509 = new X509Certificate[chain.length];
        for (int i = 0; i < chain.length; i++) {
            if (!(chain[i] instanceof X509Certificate cert)) {
                throw new CertificateException("peer certificate is not X.509");
            }
            x509[i] = cert;
        }
        return PeerCertificates.verifiedNodeId(x509, clock.instant());
    }

    private static SSLEngine withAlpn(SSLEngine engine) {
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setApplicationProtocols(new String[] {ALPN});
        parameters.setProtocols(new String[] {TLS13});
        engine.setSSLParameters(parameters);
        return engine;
    }
}
