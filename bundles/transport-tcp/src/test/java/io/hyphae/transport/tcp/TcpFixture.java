package io.hyphae.transport.tcp;

import io.hyphae.identity.Ed25519Identity;
import io.hyphae.api.NodeId;
import io.hyphae.spi.concurrent.Scheduler;
import io.hyphae.spi.transport.Endpoint;
import io.hyphae.spi.transport.TlsCredentials;
import io.hyphae.testkit.WallClockFixture;
import io.hyphae.tls.SelfSignedCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** Real TCP transports on loopback port 0, wall-clock time; close() waits (bounded) until every event loop stopped. */
final class TcpFixture extends WallClockFixture {
    static final TcpSettings SETTINGS = TcpSettings.defaults(0).withConnectTimeoutMs(1_000);
    private final Scheduler timers = Scheduler.single("tcp-test-timers");
    private final List<TcpTransport> transports = new CopyOnWriteArrayList<>();
    private final TcpSettings settings;

    TcpFixture() {
        this(SETTINGS);
    }

    TcpFixture(TcpSettings settings) {
        this.settings = settings;
    }

    static TlsCredentials credentials() {
        return new SelfSignedCredentials(Ed25519Identity.generate(), Clock.systemUTC(), Duration.ofDays(1));
    }

    @Override
    public Node newNode() {
        TcpTransport transport = start(settings, credentials());
        return new Node(transport, transport.localEndpoints().get(0));
    }

    /** A started transport with these settings and credentials, closed with the fixture. */
    TcpTransport start(TcpSettings with, TlsCredentials credentials) {
        TcpTransport transport = new TcpTransport(with, credentials, Clock.systemUTC(), timers);
        transports.add(transport);
        transport.start();
        return transport;
    }

    @Override
    public void closeTransport(Node node) {
        close((TcpTransport) node.transport());
    }

    static void close(TcpTransport transport) {
        try {
            transport.close().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("transport did not close within 5 s", e);
        }
    }

    @Override
    public Endpoint deadEndpoint(NodeId nodeId) {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new Endpoint(TcpTransport.SCHEME, "127.0.0.1", socket.getLocalPort(), nodeId);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            for (TcpTransport transport : transports) {
                close(transport);
            }
        } finally {
            timers.close();
        }
    }
}
