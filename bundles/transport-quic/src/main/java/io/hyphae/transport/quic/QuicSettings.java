package io.hyphae.transport.quic;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link QuicTransport}; the defaults are the constants here, which the metatype of PID
 * {@code io.hyphae.transport.quic} refers to.
 *
 * @param bindHost           address the UDP socket binds; default loopback, so a node is not reachable from other
 *                           hosts until an operator says so ({@code 0.0.0.0} for all interfaces)
 * @param port               UDP port of the node's one socket, which accepts and dials; 0 takes an ephemeral port
 * @param advertisedHost     host put in {@link QuicTransport#localEndpoints()}; empty: the bind address, or the
 *                           loopback address when bound to all interfaces (with a warning)
 * @param idleTimeoutMs      QUIC idle timeout: a connection without any packet for this long is closed
 * @param keepAliveMs        a connection that sent nothing for this long sends an empty frame, while it lingers;
 *                           0 disables keep-alives
 * @param lingerMs           how long after its last frame a connection is kept open by keep-alives for reuse;
 *                           after that the idle timeout closes it
 * @param connectTimeoutMs   a dial that has not finished its handshake by then fails as unreachable
 * @param maxStreams         streams a peer may have open towards this node at once (QUIC stream credit)
 * @param maxQueuedBytes     bytes waiting to be written on one connection; a send beyond fails at once
 * @param maxBadFrames       bad frames on one connection before it is closed (each closes its stream)
 * @param maxUdpPayloadBytes largest UDP payload sent or received (1350 is safe on the internet; at most 2048)
 * @param socketBufferBytes  SO_RCVBUF and SO_SNDBUF of the UDP socket
 * @param gsoSegments        QUIC packets handed to the kernel in one send (UDP generic segmentation offload, Linux
 *                           with the epoll transport); 0 sends each packet on its own
 * @param ioThreads          event loop threads of this transport
 * @param bindTimeoutMs      how long start waits for the local socket to bind
 */
public record QuicSettings(String bindHost, int port, String advertisedHost, long idleTimeoutMs, long keepAliveMs,
                           long lingerMs, long connectTimeoutMs, int maxStreams, int maxQueuedBytes,
                           int maxBadFrames, int maxUdpPayloadBytes, int socketBufferBytes, int gsoSegments,
                           int ioThreads, long bindTimeoutMs) {
    public static final String PID = "io.hyphae.transport.quic";
    public static final String DEFAULT_BIND_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 4433;
    public static final String DEFAULT_ADVERTISED_HOST = "";
    public static final long DEFAULT_IDLE_TIMEOUT_MS = 30_000;
    public static final long DEFAULT_KEEP_ALIVE_MS = 10_000;
    public static final long DEFAULT_LINGER_MS = 120_000;
    public static final long DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
    public static final int DEFAULT_MAX_STREAMS = 16;
    public static final int DEFAULT_MAX_QUEUED_BYTES = 4 << 20;
    public static final int DEFAULT_MAX_BAD_FRAMES = 3;
    public static final int DEFAULT_MAX_UDP_PAYLOAD_BYTES = 1350;
    public static final int DEFAULT_SOCKET_BUFFER_BYTES = 1 << 20;
    /** What Netty's QUIC examples use; a flush of a 16 KiB batch is about 12 packets. */
    public static final int DEFAULT_GSO_SEGMENTS = 10;
    /** The most Netty accepts per send. */
    static final int MAX_GSO_SEGMENTS = 64;
    public static final int DEFAULT_IO_THREADS = 1;
    public static final long DEFAULT_BIND_TIMEOUT_MS = 2_000;
    /** Netty's datagram channels receive into 2048-byte buffers; a larger payload would be truncated. */
    static final int MAX_UDP_PAYLOAD_BYTES = 2048;

    public QuicSettings {
        Objects.requireNonNull(bindHost, "bindHost");
        Objects.requireNonNull(advertisedHost, "advertisedHost");
        require(port >= 0 && port <= 65535, "port must be 0..65535", port);
        require(idleTimeoutMs > 0, "idleTimeoutMs must be positive", idleTimeoutMs);
        require(keepAliveMs >= 0 && keepAliveMs < idleTimeoutMs, "keepAliveMs must be 0..idleTimeoutMs-1",
                keepAliveMs);
        require(lingerMs >= 0, "lingerMs must not be negative", lingerMs);
        require(connectTimeoutMs > 0, "connectTimeoutMs must be positive", connectTimeoutMs);
        require(maxStreams >= 1, "maxStreams must be at least 1", maxStreams);
        require(maxQueuedBytes >= 64 * 1024, "maxQueuedBytes must be at least 65536", maxQueuedBytes);
        require(maxBadFrames >= 1, "maxBadFrames must be at least 1", maxBadFrames);
        require(maxUdpPayloadBytes >= 1200 && maxUdpPayloadBytes <= MAX_UDP_PAYLOAD_BYTES,
                "maxUdpPayloadBytes must be 1200..2048", maxUdpPayloadBytes);
        require(socketBufferBytes >= 64 * 1024, "socketBufferBytes must be at least 65536", socketBufferBytes);
        require(gsoSegments >= 0 && gsoSegments <= MAX_GSO_SEGMENTS, "gsoSegments must be 0..64", gsoSegments);
        require(ioThreads >= 1, "ioThreads must be at least 1", ioThreads);
        require(bindTimeoutMs > 0, "bindTimeoutMs must be positive", bindTimeoutMs);
    }

    /** The defaults, on loopback port {@code port}. */
    public static QuicSettings defaults(int port) {
        return new QuicSettings(DEFAULT_BIND_HOST, port, DEFAULT_ADVERTISED_HOST, DEFAULT_IDLE_TIMEOUT_MS,
                DEFAULT_KEEP_ALIVE_MS, DEFAULT_LINGER_MS, DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_MAX_STREAMS,
                DEFAULT_MAX_QUEUED_BYTES, DEFAULT_MAX_BAD_FRAMES, DEFAULT_MAX_UDP_PAYLOAD_BYTES,
                DEFAULT_SOCKET_BUFFER_BYTES, DEFAULT_GSO_SEGMENTS, DEFAULT_IO_THREADS, DEFAULT_BIND_TIMEOUT_MS);
    }

    static QuicSettings from(QuicTransportComponent.Config c) {
        return new QuicSettings(c.bindHost(), c.port(), c.advertisedHost(), c.idleTimeoutMs(), c.keepAliveMs(),
                c.lingerMs(), c.connectTimeoutMs(), c.maxStreams(), c.maxQueuedBytes(), c.maxBadFrames(),
                c.maxUdpPayloadBytes(), c.socketBufferBytes(), c.gsoSegments(), c.ioThreads(), c.bindTimeoutMs());
    }

    public QuicSettings withConnectTimeoutMs(long ms) {
        return new QuicSettings(bindHost, port, advertisedHost, idleTimeoutMs, keepAliveMs, lingerMs, ms, maxStreams,
                maxQueuedBytes, maxBadFrames, maxUdpPayloadBytes, socketBufferBytes, gsoSegments, ioThreads,
                bindTimeoutMs);
    }

    public QuicSettings withMaxQueuedBytes(int bytes) {
        return new QuicSettings(bindHost, port, advertisedHost, idleTimeoutMs, keepAliveMs, lingerMs,
                connectTimeoutMs, maxStreams, bytes, maxBadFrames, maxUdpPayloadBytes, socketBufferBytes, gsoSegments,
                ioThreads, bindTimeoutMs);
    }

    public QuicSettings withPort(int newPort) {
        return new QuicSettings(bindHost, newPort, advertisedHost, idleTimeoutMs, keepAliveMs, lingerMs,
                connectTimeoutMs, maxStreams, maxQueuedBytes, maxBadFrames, maxUdpPayloadBytes, socketBufferBytes,
                gsoSegments, ioThreads, bindTimeoutMs);
    }

    public QuicSettings withAdvertisedHost(String host) {
        return new QuicSettings(bindHost, port, host, idleTimeoutMs, keepAliveMs, lingerMs, connectTimeoutMs,
                maxStreams, maxQueuedBytes, maxBadFrames, maxUdpPayloadBytes, socketBufferBytes, gsoSegments,
                ioThreads, bindTimeoutMs);
    }

    public QuicSettings withGsoSegments(int segments) {
        return new QuicSettings(bindHost, port, advertisedHost, idleTimeoutMs, keepAliveMs, lingerMs,
                connectTimeoutMs, maxStreams, maxQueuedBytes, maxBadFrames, maxUdpPayloadBytes, socketBufferBytes,
                segments, ioThreads, bindTimeoutMs);
    }

    Duration connectTimeout() {
        return Duration.ofMillis(connectTimeoutMs);
    }

    private static void require(boolean ok, String rule, Object value) {
        if (!ok) {
            throw new IllegalArgumentException(PID + ": " + rule + ": " + value);
        }
    }
}
