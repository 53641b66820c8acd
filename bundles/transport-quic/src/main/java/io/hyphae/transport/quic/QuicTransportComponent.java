package io.hyphae.transport.quic;

import io.hyphae.spi.concurrent.Scheduler;
import io.hyphae.spi.transport.Endpoint;
import io.hyphae.spi.transport.Frame;
import io.hyphae.spi.transport.InboundHandler;
import io.hyphae.spi.transport.TlsCredentials;
import io.hyphae.spi.stats.StatsSource;
import io.hyphae.spi.transport.Transport;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Provides the {@link QuicTransport} in OSGi with PID {@code io.hyphae.transport.quic}. Wiring only: activation binds
 * the UDP socket (a local operation, bounded by {@code bindTimeoutMs}), deactivation closes without waiting.
 * Its counters are a {@link StatsSource} of module {@value #MODULE}, which {@code hyphae:stats} prints.
 */
@Component(service = {Transport.class, StatsSource.class}, configurationPid = QuicSettings.PID,
        property = Transport.SCHEME + "=" + QuicTransport.SCHEME)
@Designate(ocd = QuicTransportComponent.Config.class)
public final class QuicTransportComponent implements Transport, StatsSource {

    /** Configuration of PID {@code io.hyphae.transport.quic}. */
    @ObjectClassDefinition(name = "Hyphae QUIC transport",
            description = "Peer-to-peer connections over QUIC with TLS 1.3 from the node identity.")
    public @interface Config {
        @AttributeDefinition(description = "Address to bind; 127.0.0.1 keeps the node local, 0.0.0.0 for all")
        String bindHost() default QuicSettings.DEFAULT_BIND_HOST;

        @AttributeDefinition(description = "UDP port to listen and dial on; 0 for an ephemeral port")
        int port() default QuicSettings.DEFAULT_PORT;

        @AttributeDefinition(required = false, description = "Host other nodes dial; empty: the bind address")
        String advertisedHost() default QuicSettings.DEFAULT_ADVERTISED_HOST;

        @AttributeDefinition(description = "QUIC idle timeout in ms")
        long idleTimeoutMs() default QuicSettings.DEFAULT_IDLE_TIMEOUT_MS;

        @AttributeDefinition(description = "Keep-alive interval in ms while a connection lingers; 0 disables")
        long keepAliveMs() default QuicSettings.DEFAULT_KEEP_ALIVE_MS;

        @AttributeDefinition(description = "How long an unused connection is kept open for reuse, in ms")
        long lingerMs() default QuicSettings.DEFAULT_LINGER_MS;

        @AttributeDefinition(description = "Handshake deadline of a dial in ms; after a failed dial the address is"
                + " held down (frames fail at once) for 1 s, doubling up to 10 s")
        long connectTimeoutMs() default QuicSettings.DEFAULT_CONNECT_TIMEOUT_MS;

        @AttributeDefinition(description = "Streams a peer may have open at once")
        int maxStreams() default QuicSettings.DEFAULT_MAX_STREAMS;

        @AttributeDefinition(description = "Bytes waiting to be sent per connection before sends fail")
        int maxQueuedBytes() default QuicSettings.DEFAULT_MAX_QUEUED_BYTES;

        @AttributeDefinition(description = "Bad frames on a connection before it is closed")
        int maxBadFrames() default QuicSettings.DEFAULT_MAX_BAD_FRAMES;

        @AttributeDefinition(description = "Largest UDP payload in bytes (1200..2048)")
        int maxUdpPayloadBytes() default QuicSettings.DEFAULT_MAX_UDP_PAYLOAD_BYTES;

        @AttributeDefinition(description = "SO_RCVBUF and SO_SNDBUF of the UDP socket in bytes")
        int socketBufferBytes() default QuicSettings.DEFAULT_SOCKET_BUFFER_BYTES;

        @AttributeDefinition(description = "QUIC packets handed to the kernel in one send (UDP GSO, Linux epoll);"
                + " 0 sends each on its own", min = "0", max = "64")
        int gsoSegments() default QuicSettings.DEFAULT_GSO_SEGMENTS;

        @AttributeDefinition(description = "Event loop threads")
        int ioThreads() default QuicSettings.DEFAULT_IO_THREADS;

        @AttributeDefinition(description = "How long activation waits for the local bind, in ms")
        long bindTimeoutMs() default QuicSettings.DEFAULT_BIND_TIMEOUT_MS;
    }

    /** The module of this transport's counters. */
    public static final String MODULE = "transport-quic";

    private final Scheduler timers;
    private final QuicTransport transport;

    @Activate
    public QuicTransportComponent(Config config, @Reference TlsCredentials credentials) {
        this.timers = Scheduler.single("hyphae-transport-quic-timer");
        this.transport = new QuicTransport(QuicSettings.from(config), credentials, Clock.systemUTC(), timers);
        try {
            transport.start();
        } catch (RuntimeException e) {
            deactivate();
            throw e;
        }
    }

    @Deactivate
    void deactivate() {
        transport.close().whenComplete((ok, failure) -> timers.close());
    }

    @Override
    public String scheme() {
        return transport.scheme();
    }

    @Override
    public List<Endpoint> localEndpoints() {
        return transport.localEndpoints();
    }

    @Override
    public boolean connectedTo(Endpoint to) {
        return transport.connectedTo(to);
    }

    @Override
    public int maxFrameBytes() {
        return transport.maxFrameBytes();
    }

    @Override
    public CompletionStage<Frame> request(Endpoint to, Frame request, Duration timeout) {
        return transport.request(to, request, timeout);
    }

    @Override
    public CompletionStage<Void> send(Endpoint to, Frame message) {
        return transport.send(to, message);
    }

    @Override
    public Registration register(InboundHandler handler) {
        return transport.register(handler);
    }

    @Override
    public String module() {
        return MODULE;
    }

    /** The transport's counters and the requests awaiting an answer ({@code transport-quic.requests.pending}). */
    @Override
    public SortedMap<String, Long> snapshot() {
        SortedMap<String, Long> all = new TreeMap<>(transport.stats().snapshot());
        all.put(MODULE + ".requests.pending", (long) transport.pending().size());
        return all;
    }
}
