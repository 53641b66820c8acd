package io.hyphae.router;

import io.hyphae.api.Message;
import io.hyphae.api.MessageHandler;
import io.hyphae.api.NodeId;
import io.hyphae.spi.concurrent.Scheduler;
import io.hyphae.spi.dht.Record;
import io.hyphae.spi.pubsub.Discovery;
import io.hyphae.spi.pubsub.Router;
import io.hyphae.spi.pubsub.Subscriber;
import io.hyphae.spi.transport.Transport;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The {@link Router}: sends each message straight to each subscriber over the bound transport of its endpoint's
 * scheme, retries QoS 1 until acknowledged or past {@code qos1DeadlineMs} (following, through discovery, a
 * subscriber whose endpoints changed), bounds what each peer has outstanding, and takes inbound routes (validated, de-duplicated, acknowledged) for the registered sinks. A plain class: OSGi
 * wires it through {@link RouterComponent}; the embedding and tests build it with {@code new}.
 *
 * <p>Thread safe. No method blocks; outcomes complete on transport or timer threads. Transports may come and go at
 * any time: a delivery in flight over one that leaves is sent again over what is left.
 */
public final class MessageRouter implements Router, AutoCloseable {
    private final RouterSettings settings;
    private final RouterStats stats = new RouterStats();
    private final TransportTable table = new TransportTable();
    private final Outbound outbound;
    private final Inbound inbound;
    private volatile boolean closed;

    /**
     * A router that works with the node's discovery: signed withdrawals that subscribers send directly go to it, and
     * when every endpoint a QoS 1 delivery knows of a subscriber fails, it is asked where the subscriber is now
     * ({@link Discovery#rediscover}), so the delivery follows a subscriber whose transports changed until its
     * deadline instead of giving up.
     *
     * @param settings  realm, limits, retry and window settings
     * @param clock     reads deadlines and window ages
     * @param timers    runs retries and deadlines; owned by the caller
     * @param random    jitters retry delays; must be thread safe
     * @param discovery the discovery in force, read at each use; may supply null while there is none (withdrawals
     *                  are then dropped and failed rounds count towards {@code unreachableAfterRounds})
     */
    public MessageRouter(RouterSettings settings, Clock clock, Scheduler timers, RandomGenerator random,
                         Supplier<Discovery> discovery) {
        this(settings, clock, timers, random, Objects.requireNonNull(discovery, "discovery"), withdrawal -> {
            Discovery d = discovery.get();
            if (d != null) {
                d.withdrawn(withdrawal);
            }
        });
    }

    /**
     * A router without discovery: a QoS 1 subscriber whose every endpoint fails for {@code unreachableAfterRounds}
     * rounds in a row is reported unreachable.
     *
     * @param settings    realm, limits, retry and window settings
     * @param clock       reads deadlines and window ages
     * @param timers      runs retries and deadlines; owned by the caller
     * @param random      jitters retry delays; must be thread safe
     * @param withdrawals takes the signed withdrawals subscribers send directly (usually {@code Discovery#withdrawn})
     */
    public MessageRouter(RouterSettings settings, Clock clock, Scheduler timers, RandomGenerator random,
                         Consumer<Record> withdrawals) {
        this(settings, clock, timers, random, () -> null, withdrawals);
    }

    private MessageRouter(RouterSettings settings, Clock clock, Scheduler timers, RandomGenerator random,
                          Supplier<Discovery> discovery, Consumer<Record> withdrawals) {
        this.settings = Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(timers, "timers");
        Objects.requireNonNull(random, "random");
        Objects.requireNonNull(withdrawals, "withdrawals");
        BadPeerLog badPeers = new BadPeerLog(settings.badPeerLogWindowMs(), clock);
        this.outbound = new Outbound(settings, table, stats, clock, timers, random, badPeers, discovery);
        DedupeWindow dedupe = new DedupeWindow(settings.dedupeMaxIds(), settings.dedupeWindowMs(), clock,
                random.nextLong());
        this.inbound = new Inbound(settings, stats, dedupe, badPeers, table, outbound, withdrawals);
    }

    /** A router that ignores direct withdrawals and jitters with a fresh {@link Random}. */
    public MessageRouter(RouterSettings settings, Clock clock, Scheduler timers) {
        this(settings, clock, timers, new Random(), withdrawal -> { });
    }

    /** Uses {@code transport} for its scheme and takes inbound frames from it. Adding twice is harmless. */
    public void addTransport(Transport transport) {
        if (!closed) {
            table.add(transport, inbound);
        }
    }

    /** Stops using {@code transport}; what was in flight over it goes out again over the others. */
    public void removeTransport(Transport transport) {
        if (table.remove(transport)) {
            outbound.transportRemoved(transport);
        }
    }

    @Override
    public CompletionStage<Delivery> route(Message message, List<Subscriber> subscribers) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(subscribers, "subscribers");
        CompletableFuture<Delivery> result = new CompletableFuture<>();
        outbound.route(message, subscribers, (delivery, failure) -> {
            if (failure != null) {
                result.completeExceptionally(failure);
            } else {
                result.complete(delivery);
            }
        });
        return result;
    }

    @Override
    public void route(Message message, List<Subscriber> subscribers,
                      BiConsumer<? super Delivery, ? super Throwable> outcome) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(subscribers, "subscribers");
        Objects.requireNonNull(outcome, "outcome");
        outbound.route(message, subscribers, outcome);
    }

    @Override
    public Registration deliverTo(MessageHandler sink) {
        Objects.requireNonNull(sink, "sink");
        return inbound.deliverTo(sink);
    }

    public RouterSettings settings() {
        return settings;
    }

    public RouterStats stats() {
        return stats;
    }

    /** Messages accepted for {@code peer} and not finished yet. */
    public int outstanding(NodeId peer) {
        return outbound.outstanding(peer);
    }

    /** Unregisters from every transport and ends what is in flight ({@code NodeClosedException}). Idempotent. */
    @Override
    public void close() {
        closed = true;
        table.clear();
        outbound.close();
    }
}
