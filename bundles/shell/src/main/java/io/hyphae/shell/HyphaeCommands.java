package io.hyphae.shell;

import io.hyphae.api.PubSub;
import io.hyphae.spi.dht.Dht;
import io.hyphae.spi.pubsub.Advertiser;
import io.hyphae.spi.pubsub.Discovery;
import io.hyphae.spi.stats.StatsSource;
import io.hyphae.spi.transport.Transport;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The Gogo commands of scope {@code hyphae} (in Felix Gogo and in Karaf's shell). Wiring only: every service is an
 * optional or multiple dynamic reference, so the shell stays up while the node, a transport or the DHT comes and
 * goes, and each command says what is missing; the work is {@link Commands}. Output goes to the calling session's
 * console, messages of {@code subscribe} too. Immediate: Gogo releases the service after each command, and a
 * delayed component would then be disposed together with the subscriptions the shell holds.
 */
@Component(service = HyphaeCommands.class, immediate = true, property = {
        "osgi.command.scope=hyphae",
        "osgi.command.function=subscribe",
        "osgi.command.function=unsubscribe",
        "osgi.command.function=publish",
        "osgi.command.function=topics",
        "osgi.command.function=peers",
        "osgi.command.function=discover",
        "osgi.command.function=transports",
        "osgi.command.function=stats"})
public final class HyphaeCommands {
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile PubSub node;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Advertiser advertiser;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Discovery discovery;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Dht dht;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<Transport> transports;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<StatsSource> statsSources;

    // not Services itself: Gogo would take a public transports() for the transports command
    private final Commands commands = new Commands(new Bound(), Clock.systemUTC(), System::nanoTime,
            Commands.DEFAULT_WAIT);

    @Descriptor("subscribe to a topic; its messages are printed to this console")
    public void subscribe(CommandSession session, @Descriptor("topic") Object... args) {
        commands.subscribe(session.getConsole(), args);
    }

    @Descriptor("end a subscription made with hyphae:subscribe")
    public void unsubscribe(CommandSession session, @Descriptor("topic") Object... args) {
        commands.unsubscribe(session.getConsole(), args);
    }

    @Descriptor("publish text to a topic: hyphae:publish [--qos 0|1] <topic> <text>...")
    public void publish(CommandSession session, @Descriptor("[--qos 0|1] topic text...") Object... args) {
        commands.publish(session.getConsole(), args);
    }

    @Descriptor("topics subscribed from the shell and advertised by this node")
    public void topics(CommandSession session, Object... args) {
        commands.topics(session.getConsole(), args);
    }

    @Descriptor("the closest peers in the DHT, and connection counters")
    public void peers(CommandSession session, Object... args) {
        commands.peers(session.getConsole(), args);
    }

    @Descriptor("find the subscribers of a topic (cache or DHT), with timing")
    public void discover(CommandSession session, @Descriptor("topic") Object... args) {
        commands.discover(session.getConsole(), args);
    }

    @Descriptor("the running transports and where they listen")
    public void transports(CommandSession session, Object... args) {
        commands.transports(session.getConsole(), args);
    }

    @Descriptor("counters of every module, or those starting with a prefix")
    public void stats(CommandSession session, @Descriptor("[counter-prefix]") Object... args) {
        commands.stats(session.getConsole(), args);
    }

    @Deactivate
    void deactivate() {
        commands.close();
    }

    /** What is bound right now. */
    private final class Bound implements Services {
        @Override
        public Optional<PubSub> node() {
            return Optional.ofNullable(HyphaeCommands.this.node);
        }

        @Override
        public Optional<Advertiser> advertiser() {
            return Optional.ofNullable(advertiser);
        }

        @Override
        public Optional<Discovery> discovery() {
            return Optional.ofNullable(discovery);
        }

        @Override
        public Optional<Dht> dht() {
            return Optional.ofNullable(dht);
        }

        @Override
        public List<Transport> transports() {
            List<Transport> bound = transports;
            return bound == null ? List.of() : List.copyOf(bound);
        }

        @Override
        public List<StatsSource> statsSources() {
            List<StatsSource> bound = statsSources;
            return bound == null ? List.of() : List.copyOf(bound);
        }
    }
}
