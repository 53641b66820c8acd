package io.hyphae.transport.tcp;

import java.util.Objects;

/**
 * Settings of a {@link TcpTransport}; the defaults are the constants here, which the metatype of PID
 * {@code io.hyphae.transport.tcp} refers to.
 *
 * @param bindHost         address the listening socket binds; default loopback, so a node is not reachable from
 *                         other hosts until an operator says so ({@code 0.0.0.0} for all interfaces)
 * @param port             TCP port to listen on; 0 takes an ephemeral port
 * @param advertisedHost   host put in {@link TcpTransport#localEndpoints()}; empty: the bind address, or loopback
 *                         when bound to all interfaces (with a warning)
 * @param idleTimeoutMs    a connection that received nothing for this long is closed
 * @param keepAliveMs      a connection that sent nothing for this long sends an empty frame, while it lingers;
 *                         0 disables keep-alives
 * @param lingerMs         how long after its last frame a connection is kept open by keep-alives for reuse
 * @param connectTimeoutMs a dial whose TCP connect and TLS handshake have not finished by then fails as unreachable
 * @param maxQueuedBytes   bytes waiting to be written on one connection; a send beyond fails at once
 * @param ioThreads        event loop threads of this transport
 * @param bindTimeoutMs    how long start waits for the listening socket to bind
 */
public record TcpSettings(String bindHost, int port, String advertisedHost, long idleTimeoutMs, long keepAliveMs,
                          long lingerMs, long connectTimeoutMs, int maxQueuedBytes, int ioThreads,
                          long bindTimeoutMs) {
    public static final String PID = "io.hyphae.transport.tcp";
    public static final String DEFAULT_BIND_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 4433;
    public static final String DEFAULT_ADVERTISED_HOST = "";
    public static final long DEFAULT_IDLE_TIMEOUT_MS = 30_000;
    public static final long DEFAULT_KEEP_ALIVE_MS = 10_000;
    public static final long DEFAULT_LINGER_MS = 120_000;
    public static final long DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
    public static final int DEFAULT_MAX_QUEUED_BYTES = 4 << 20;
    public static final int DEFAULT_IO_THREADS = 1;
    public static final long DEFAULT_BIND_TIMEOUT_MS = 2_000;

    public TcpSettings {
        Objects.requireNonNull(bindHost, "bindHost");
        Objects.requireNonNull(advertisedHost, "advertisedHost");
        require(port >= 0 && port <= 65535, "port must be 0..65535", port);
        require(idleTimeoutMs > 0, "idleTimeoutMs must be positive", idleTimeoutMs);
        require(keepAliveMs >= 0 && keepAliveMs < idleTimeoutMs, "keepAliveMs must be 0..idleTimeoutMs-1",
                keepAliveMs);
        require(lingerMs >= 0, "lingerMs must not be negative", lingerMs);
        require(connectTimeoutMs > 0 && connectTimeoutMs <= Integer.MAX_VALUE, "connectTimeoutMs must be positive",
                connectTimeoutMs);
        require(maxQueuedBytes >= 64 * 1024, "maxQueuedBytes must be at least 65536", maxQueuedBytes);
        require(ioThreads >= 1, "ioThreads must be at least 1", ioThreads);
        require(bindTimeoutMs > 0, "bindTimeoutMs must be positive", bindTimeoutMs);
    }

    /** The defaults, on loopback port {@code port}. */
    public static TcpSettings defaults(int port) {
        return new TcpSettings(DEFAULT_BIND_HOST, port, DEFAULT_ADVERTISED_HOST, DEFAULT_IDLE_TIMEOUT_MS,
                DEFAULT_KEEP_ALIVE_MS, DEFAULT_LINGER_MS, DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_MAX_QUEUED_BYTES,
                DEFAULT_IO_THREADS, DEFAULT_BIND_TIMEOUT_MS);
    }

    static TcpSettings from(TcpTransportComponent.Config c) {
        return new TcpSettings(c.bindHost(), c.port(), c.advertisedHost(), c.idleTimeoutMs(), c.keepAliveMs(),
                c.lingerMs(), c.connectTimeoutMs(), c.maxQueuedBytes(), c.ioThreads(), c.bindTimeoutMs());
    }

    public TcpSettings withConnectTimeoutMs(long ms) {
        return new TcpSettings(bindHost, port, advertisedHost, idleTimeoutMs, keepAliveMs, lingerMs, ms,
                maxQueuedBytes, ioThreads, bindTimeoutMs);
    }

    public TcpSettings withMaxQueuedBytes(int bytes) {
        return new TcpSettings(bindHost, port, advertisedHost, idleTimeoutMs, keepAliveMs, lingerMs,
                connectTimeoutMs, bytes, ioThreads, bindTimeoutMs);
    }

    public TcpSettings withPort(int newPort) {
        return new TcpSettings(bindHost, newPort, advertisedHost, idleTimeoutMs, keepAliveMs, lingerMs,
                connectTimeoutMs, maxQueuedBytes, ioThreads, bindTimeoutMs);
    }

    private static void require(boolean ok, String rule, Object value) {
        if (!ok) {
            throw new IllegalArgumentException(PID + ": " + rule + ": " + value);
        }
    }
}
