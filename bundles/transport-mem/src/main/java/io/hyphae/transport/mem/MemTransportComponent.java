package io.hyphae.transport.mem;

import io.hyphae.api.NodeId;
import io.hyphae.spi.concurrent.Scheduler;
import io.hyphae.spi.pubsub.NodeIdentity;
import io.hyphae.spi.transport.Endpoint;
import io.hyphae.spi.transport.Frame;
import io.hyphae.spi.transport.InboundHandler;
import io.hyphae.spi.transport.Transport;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletionStage;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code mem} transport as a service: a {@link MemTransport} on a {@link VirtualNetwork} of its own, so one
 * framework is a single-process network (the node reaches itself; tests and simulations that need many nodes build
 * {@link MemTransport}s on one shared network without DS).
 * <p>
 * Its node id comes from the {@link NodeIdentity} service when one is there; the reference is optional, static and
 * greedy, so a node identity that arrives later re-activates the component with it. Without one (the identity bundle
 * is not installed) it uses a random node id, logged at start. A configuration change re-activates the component
 * (no modified method), so the service leaves and comes back with its new endpoint and users of transports see the
 * change, as they see any transport come and go.
 */
@Component(service = Transport.class, configurationPid = MemTransportComponent.PID,
        property = Transport.SCHEME + "=" + MemTransport.SCHEME)
@Designate(ocd = MemTransportComponent.Config.class)
public final class MemTransportComponent implements Transport {
    /** Configuration PID. */
    public static final String PID = "io.hyphae.transport.mem";
    private static final Logger LOG = LoggerFactory.getLogger(MemTransportComponent.class);

    /** Configuration of the mem transport. */
    @ObjectClassDefinition(name = "Hyphae mem transport",
            description = "In-JVM transport (scheme mem) over a virtual network owned by this framework")
    public @interface Config {
        @AttributeDefinition(description = "Host name of this node on the virtual network")
        String host() default MemSettings.DEFAULT_HOST;

        @AttributeDefinition(description = "Port on that host, 0..65535", min = "0", max = "65535")
        int port() default MemSettings.DEFAULT_PORT;

        @AttributeDefinition(description = "One-way latency of every link, in milliseconds", min = "0")
        long latencyMs() default MemSettings.DEFAULT_LATENCY_MS;

        @AttributeDefinition(description = "Largest random extra latency of a frame, in milliseconds", min = "0")
        long jitterMs() default MemSettings.DEFAULT_JITTER_MS;

        @AttributeDefinition(description = "Probability that a frame is lost, 0..1", min = "0", max = "1")
        double lossRate() default MemSettings.DEFAULT_LOSS_RATE;
    }

    private final Scheduler scheduler;
    private final MemTransport transport;

    /** OSGi wiring only: a scheduler thread of its own and the node id of {@code identity} when there is one. */
    @Activate
    public MemTransportComponent(Config config, @Reference(name = "identity",
            cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            NodeIdentity identity) {
        this(MemSettings.from(config), identity != null ? identity.nodeId() : randomNodeId(),
                Scheduler.single("hyphae-mem-1"));
        if (identity == null) {
            LOG.info("no NodeIdentity service; mem transport uses the random node id {}", transport.endpoint()
                    .nodeId());
        }
    }

    /** A started transport for {@code nodeId} on a network of its own, timed by {@code scheduler}, which it owns. */
    public MemTransportComponent(MemSettings settings, NodeId nodeId, Scheduler scheduler) {
        this.scheduler = scheduler;
        VirtualNetwork network = new VirtualNetwork(scheduler, new SplittableRandom(), settings.defaultLink());
        this.transport = new MemTransport(network, settings.host(), settings.port(), nodeId, scheduler);
        transport.start();
    }

    /** Closes the transport (pending requests fail at once) and stops the scheduler thread; does not wait. */
    @Deactivate
    public void close() {
        transport.close();
        scheduler.close();
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

    /** The transport's counters. */
    public MemStats stats() {
        return transport.stats();
    }

    private static NodeId randomNodeId() {
        byte[] bytes = new byte[NodeId.BYTES];
        new SecureRandom().nextBytes(bytes);
        return NodeId.of(bytes);
    }
}
