package io.hyphae.bench;

import io.hyphae.identity.Ed25519Identity;
import io.hyphae.spi.concurrent.Scheduler;
import io.hyphae.spi.pubsub.NodeIdentity;
import io.hyphae.spi.transport.Transport;
import io.hyphae.tls.SelfSignedCredentials;
import io.hyphae.transport.quic.QuicSettings;
import io.hyphae.transport.quic.QuicTransport;
import io.hyphae.transport.tcp.TcpSettings;
import io.hyphae.transport.tcp.TcpTransport;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Makes and closes Hyphae's network transports on loopback, ephemeral ports, default settings. */
final class Transports {
    private Transports() {
    }

    /** The schemes measured. */
    enum Kind {
        QUIC, TCP;

        String scheme() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A started transport of {@code kind} for {@code identity}, with its own timer thread. */
    static Owned start(Kind kind, NodeIdentity identity) {
        return start(kind, identity, QuicSettings.defaults(0));
    }

    /** As {@link #start(Kind, NodeIdentity)}; a QUIC transport gets {@code quicSettings}. */
    static Owned start(Kind kind, NodeIdentity identity, QuicSettings quicSettings) {
        Scheduler timers = Scheduler.single("bench-" + kind.scheme() + "-timers");
        SelfSignedCredentials credentials = new SelfSignedCredentials(identity, Clock.systemUTC(),
                SelfSignedCredentials.DEFAULT_VALIDITY);
        Transport transport;
        Runnable close;
        if (kind == Kind.QUIC) {
            QuicTransport quic = new QuicTransport(quicSettings, credentials, Clock.systemUTC(), timers);
            quic.start();
            transport = quic;
            close = () -> await(quic.close().toCompletableFuture());
        } else {
            TcpTransport tcp = new TcpTransport(TcpSettings.defaults(0), credentials, Clock.systemUTC(), timers);
            tcp.start();
            transport = tcp;
            close = () -> await(tcp.close().toCompletableFuture());
        }
        return new Owned(transport, () -> {
            close.run();
            timers.close();
        });
    }

    static Owned start(Kind kind) {
        return start(kind, Ed25519Identity.generate());
    }

    private static void await(java.util.concurrent.CompletableFuture<?> stage) {
        try {
            stage.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("transport close: " + e);
        }
    }

    /** A transport and how to close it with its timers. */
    record Owned(Transport transport, Runnable closer) implements AutoCloseable {
        @Override
        public void close() {
            closer.run();
        }
    }

    static Duration deadline() {
        return Duration.ofSeconds(30);
    }
}
