package io.hyphae.transport.quic;

import io.hyphae.api.NodeId;
import io.hyphae.spi.transport.PeerCertificates;
import io.hyphae.spi.transport.TlsCredentials;
import io.netty.handler.codec.quic.BoringSSLContextOption;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicSslEngine;
import io.netty.handler.ssl.ClientAuth;
import io.netty.util.AttributeKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * TLS 1.3 (QUIC allows no other) with the node's Ed25519 certificate on both sides, ALPN {@value #ALPN}, mutual
 * authentication. Two BoringSSL settings make Ed25519 work (BUILD-NOTES E): the signature algorithm list must name
 * {@code ed25519} (its default verify list lacks it), and the key type asked by Netty's certificate callback must map
 * to the JDK's {@code EdDSA}. A client engine remembers the node its connection dialled (from the channel attribute
 * {@link #EXPECTED}) so the trust manager refuses any other server; engines are made without peer host and port,
 * so there is no session resumption and every handshake checks the certificate. Thread safe.
 */
final class QuicTls {
    static final String ALPN = "hyphae/1";
    /** The node a client connection dialled; set on the bootstrap, read when its engine is made. */
    static final AttributeKey<NodeId> EXPECTED = AttributeKey.valueOf(QuicTls.class, "expected");
    private static final String[] SIGNATURE_ALGORITHMS = {"ed25519"};
    private static final String JDK_ED25519_KEY_ALGORITHM = "EdDSA";

    private final Clock clock;
    private final Map<SSLEngine, NodeId> expected = Collections.synchronizedMap(new WeakHashMap<>());
    private final QuicSslContext server;
    private final QuicSslContext client;

    QuicTls(TlsCredentials credentials, Clock clock) {
        this.clock = clock;
        X509ExtendedTrustManager trust = PeerCertificates.trustManager(clock, expected::get);
        Map<String, String> serverKeyTypes = new HashMap<>();
        for (String authMethod : List.of("RSA", "DHE_RSA", "ECDHE_RSA", "ECDHE_ECDSA", "ECDH_RSA", "ECDH_ECDSA",
                "DH_RSA", "EC", "EdDSA")) {
            serverKeyTypes.put(authMethod, JDK_ED25519_KEY_ALGORITHM);
        }
        this.server = QuicSslContextBuilder
                .forServer(credentials.privateKey(), null, credentials.certificate())
                .option(BoringSSLContextOption.SERVER_KEY_TYPES, serverKeyTypes)
                .option(BoringSSLContextOption.SIGNATURE_ALGORITHMS, SIGNATURE_ALGORITHMS)
                .applicationProtocols(ALPN)
                .clientAuth(ClientAuth.REQUIRE)
                .trustManager(trust)
                .earlyData(false)
                .build();
        this.client = QuicSslContextBuilder.forClient()
                .keyManager(credentials.privateKey(), null, credentials.certificate())
                .option(BoringSSLContextOption.CLIENT_KEY_TYPES, Set.of(JDK_ED25519_KEY_ALGORITHM))
                .option(BoringSSLContextOption.SIGNATURE_ALGORITHMS, SIGNATURE_ALGORITHMS)
                .applicationProtocols(ALPN)
                .trustManager(trust)
                .earlyData(false)
                .build();
    }

    QuicSslContext serverContext() {
        return server;
    }

    /** The engine of a client connection, expecting the node in the channel's {@link #EXPECTED} attribute. */
    QuicSslEngine clientEngine(QuicChannel channel) {
        QuicSslEngine engine = client.newEngine(channel.alloc());
        NodeId node = channel.attr(EXPECTED).get();
        if (node != null) {
            expected.put(engine, node);
        }
        return engine;
    }

    /** The node whose certificate the peer of a finished handshake presented. */
    NodeId peerNodeId(SSLEngine engine) throws CertificateException, SSLPeerUnverifiedException {
        java.security.cert.Certificate[] chain = engine.getSession().getPeerCertificates();
        X509Certificate[] x509 = new X509Certificate[chain.length];
        for (int i = 0; i < chain.length; i++) {
            if (!(chain[i] instanceof X509Certificate cert)) {
                throw new CertificateException("peer certificate is not X.509");
            }
            x509[i] = cert;
        }
        return PeerCertificates.verifiedNodeId(x509, clock.instant());
    }
}
