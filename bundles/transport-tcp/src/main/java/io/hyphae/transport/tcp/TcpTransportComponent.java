package io.hyphae.transport.tcp;

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
 * Provides the {@link TcpTransport} in OSGi with PID {@code io.hyphae.transport.tcp}. Wiring only: activation binds
 * the listening socket (a local operation, bounded by {@code bindTimeoutMs}), deactivation closes without waiting.
 * Its counters are a {@link StatsSource} of module {@value #MODULE}, which {@code hyphae:stats} prints.
 */
@Component(service = {Transport.class, StatsSource.class}, configurationPid = TcpSettings.PID,
        property = Transport.SCHEME + "=" + TcpTransport.SCHEME)
@Designate(ocd = TcpTransportComponent.Config.class)
public final class TcpTransportComponent implements Transport, StatsSource {

    /** Configuration of PID {@code io.hyphae.transport.tcp}. */
    @ObjectClassDefinition(name = "Hyphae TCP transport",
            description = "Peer-to-peer connections over TCP with TLS 1.3 from the node identity (UDP fallback).")
    public @interface Config {
        @AttributeDefinition(description = "Address to bind; 127.0.0.1 keeps the node local, 0.0.0.0 for all")
        String bindHost() default TcpSettings.DEFAULT_BIND_HOST;

        @AttributeDefinition(description = "TCP port to listen on; 0 for an ephemeral port")
        int port() default TcpSettings.DEFAULT_PORT;

        @AttributeDefinition(required = false, description = "Host other nodes dial; empty: the bind address")
        String advertisedHost() default TcpSettings.DEFAULT_ADVERTISED_HOST;

        @AttributeDefinition(description = "A connection that received nothing for this long is closed, in ms")
        long idleTimeoutMs() default TcpSettings.DEFAULT_IDLE_TIMEOUT_MS;

        @AttributeDefinition(description = "Keep-alive interval in ms while a connection lingers; 0 disables")
        long keepAliveMs() default TcpSettings.DEFAULT_KEEP_ALIVE_MS;

        @AttributeDefinition(description = "How long an unused connection is kept open for reuse, in ms")
        long lingerMs() default TcpSettings.DEFAULT_LINGER_MS;

        @AttributeDefinition(description = "Connect and handshake deadline of a dial in ms; after a failed dial the"
                + " address is held down (frames fail at once) for 1 s, doubling up to 10 s")
        long connectTimeoutMs() default TcpSettings.DEFAULT_CONNECT_TIMEOUT_MS;

        @AttributeDefinition(description = "Bytes waiting to be sent per connection before sends fail")
        int maxQueuedBytes() default TcpSettings.DEFAULT_MAX_QUEUED_BYTES;

        @AttributeDefinition(description = "Event loop threads")
        int ioThreads() default TcpSettings.DEFAULT_IO_THREADS;

        @AttributeDefinition(description = "How long activation waits for the local bind, in ms")
        long bindTimeoutMs() default TcpSettings.DEFAULT_BIND_TIMEOUT_MS;
    }

    /** The module of this transport's counters. */
    public static final String MODULE = "transport-tcp";

    private final Scheduler timers;
    private final TcpTransport transport;

    @Activate
    public TcpTransportComponent(Config config, @Reference TlsCredentials credentials) {
        this.timers = Scheduler.single("hyphae-transport-tcp-timer");
        this.transport = new TcpTransport(TcpSettings.from(config), credentials, Clock.systemUTC(), timers);
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

    /** The transport's counters and the requests awaiting an answer ({@code transport-tcp.requests.pending}). */
    @Override
    public SortedMap<String, Long> snapshot() {
        SortedMap<String, Long> all = new TreeMap<>(transport.stats().snapshot());
        all.put(MODULE + ".requests.pending", (long) transport.pending().size());
        return all;
    }
}
