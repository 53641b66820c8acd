package io.hyphae.transport.quic;

import io.hyphae.identity.Ed25519Identity;
import io.hyphae.api.NodeId;
import io.hyphae.spi.concurrent.Scheduler;
import io.hyphae.spi.transport.Endpoint;
import io.hyphae.spi.transport.TlsCredentials;
import io.hyphae.testkit.WallClockFixture;
import io.hyphae.tls.SelfSignedCredentials;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** Real QUIC transports on loopback port 0, wall-clock time; close() waits (bounded) until every event loop stopped. */
final class QuicFixture extends WallClockFixture {
    static final QuicSettings SETTINGS = QuicSettings.defaults(0).withConnectTimeoutMs(1_000);
    private final Scheduler timers = Scheduler.single("quic-test-timers");
    private final List<QuicTransport> transports = new CopyOnWriteArrayList<>();
    private final QuicSettings settings;

    QuicFixture() {
        this(SETTINGS);
    }

    QuicFixture(QuicSettings settings) {
        this.settings = settings;
    }

    static TlsCredentials credentials() {
        return new SelfSignedCredentials(Ed25519Identity.generate(), Clock.systemUTC(), Duration.ofDays(1));
    }

    @Override
    public Node newNode() {
        QuicTransport transport = start(settings, credentials());
        return new Node(transport, transport.localEndpoints().get(0));
    }

    /** A started transport with these settings and credentials, closed with the fixture. */
    QuicTransport start(QuicSettings with, TlsCredentials credentials) {
        QuicTransport transport = new QuicTransport(with, credentials, Clock.systemUTC(), timers);
        transports.add(transport);
        transport.start();
        return transport;
    }

    @Override
    public void closeTransport(Node node) {
        close((QuicTransport) node.transport());
    }

    static void close(QuicTransport transport) {
        try {
            transport.close().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("transport did not close within 5 s", e);
        }
    }

    @Override
    public Endpoint deadEndpoint(NodeId nodeId) {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return new Endpoint(QuicTransport.SCHEME, "127.0.0.1", socket.getLocalPort(), nodeId);
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            for (QuicTransport transport : transports) {
                close(transport);
            }
        } finally {
            timers.close();
        }
    }
}
