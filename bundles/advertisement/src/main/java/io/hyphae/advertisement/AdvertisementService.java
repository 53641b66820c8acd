package io.hyphae.advertisement;

import io.hyphae.api.NodeClosedException;
import io.hyphae.api.Topic;
import io.hyphae.spi.concurrent.Scheduler;
import io.hyphae.spi.dht.Dht;
import io.hyphae.spi.pubsub.Advertiser;
import io.hyphae.spi.pubsub.NodeIdentity;
import io.hyphae.spi.stats.StatsSource;
import io.hyphae.spi.transport.Endpoint;
import io.hyphae.spi.transport.Transport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's signed subscriber records in the DHT. Each advertised topic has one record under
 * {@code Key.ofTopic(realm, topic)}, stored at once, again every {@code ttl * refreshFraction} less a random jitter,
 * again at once when the node's endpoints change, and replaced by a signed withdrawal (next version) on
 * {@link #cancel} and {@link #close}. Versions come from {@link Sequences}. Thread safe: state sits behind one lock,
 * and signing and DHT calls happen outside it; nothing here blocks except {@link #close()}, for at most
 * {@link AdvertisementSettings#withdrawDeadline()}. In OSGi, {@link AdvertisementComponent} builds and wires it.
 */
public final class AdvertisementService implements Advertiser, StatsSource, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdvertisementService.class);

    private final AdvertisementSettings settings;
    private final Clock clock;
    private final Scheduler scheduler;
    private final RecordPublisher publisher;
    private final LocalEndpoints endpoints;
    private final AdvertisementStats stats = new AdvertisementStats();
    private final Object lock = new Object();
    // guarded by lock
    private final Map<Topic, Advertised> live = new LinkedHashMap<>();
    private final Sequences sequences = new Sequences();
    private final RandomGenerator random;
    private boolean closed;

    /** The caller owns {@code scheduler} and closes it after {@link #close()}. */
    public AdvertisementService(AdvertisementSettings settings, Dht dht, NodeIdentity identity, Clock clock,
                                Scheduler scheduler, RandomGenerator random) {
        this.settings = Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(dht, "dht");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.random = Objects.requireNonNull(random, "random");
        this.publisher = new RecordPublisher(Objects.requireNonNull(identity, "identity"), dht, settings.realm(),
                stats);
        this.endpoints = new LocalEndpoints(identity.nodeId());
    }

    /** A transport came: its endpoints are advertised from now on, and every live advertisement is re-stored. */
    public void addTransport(Transport transport) {
        endpoints.add(Objects.requireNonNull(transport, "transport"));
        scheduler.execute(this::endpointsChanged);
    }

    /** A transport went: live advertisements are re-stored without its endpoints. */
    public void removeTransport(Transport transport) {
        if (endpoints.remove(transport)) {
            scheduler.execute(this::endpointsChanged);
        }
    }

    /**
     * Re-stores at once every live advertisement whose endpoints are not the node's current ones. Called when a
     * transport comes or goes; call it also when a bound transport starts or stops listening. Any thread.
     */
    public void endpointsChanged() {
        List<Endpoint> now = endpoints.current();
        List<Planned> planned = new ArrayList<>();
        synchronized (lock) {
            if (closed) {
                return;
            }
            Instant at = clock.instant();
            for (Advertised a : live.values()) {
                if (!a.endpoints.equals(now)) {
                    planned.add(plan(a, now, at));
                }
            }
        }
        if (!planned.isEmpty()) {
            stats.endpointChanges.increment();
            LOG.info("endpoints are now {}; re-advertising {} topic(s)", now, planned.size());
        }
        planned.forEach(this::store);
    }

    @Override
    public Advertisement advertise(Topic topic) {
        Objects.requireNonNull(topic, "topic");
        List<Endpoint> current = endpoints.current();
        Planned planned;
        synchronized (lock) {
            if (closed) {
                throw new NodeClosedException("advertiser is closed; cannot advertise " + topic);
            }
            Advertised existing = live.get(topic);
            if (existing != null) {
                return existing.info(settings.ttl());
            }
            Advertised a = new Advertised(topic);
            live.put(topic, a);
            planned = plan(a, current, clock.instant());
        }
        LOG.debug("advertising {} (seq {})", topic, planned.seq());
        store(planned);
        return planned.info();
    }

    @Override
    public boolean cancel(Topic topic) {
        Objects.requireNonNull(topic, "topic");
        Planned withdrawal;
        synchronized (lock) {
            Advertised a = live.remove(topic);
            if (a == null || closed) {
                return false;
            }
            withdrawal = planWithdrawal(a, clock.instant());
        }
        LOG.debug("withdrawing {} (seq {})", topic, withdrawal.seq());
        store(withdrawal);
        return true;
    }

    @Override
    public List<Advertisement> advertisements() {
        synchronized (lock) {
            return live.values().stream().map(a -> a.info(settings.ttl())).toList();
        }
    }

    public AdvertisementStats stats() {
        return stats;
    }

    @Override
    public String module() {
        return AdvertisementStats.MODULE;
    }

    @Override
    public SortedMap<String, Long> snapshot() {
        return stats.snapshot();
    }

    /**
     * Withdraws every live advertisement and stops the timers. Waits for the withdrawals at most
     * {@link AdvertisementSettings#withdrawDeadline()}, then gives up on them (best effort). Idempotent.
     */
    @Override
    public void close() {
        List<Planned> withdrawals = new ArrayList<>();
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            Instant now = clock.instant();
            live.values().forEach(a -> withdrawals.add(planWithdrawal(a, now)));
            live.clear();
        }
        CompletableFuture<?>[] stores = withdrawals.stream().map(this::store).toArray(CompletableFuture[]::new);
        Deadline.await(CompletableFuture.allOf(stores), settings.withdrawDeadline(), withdrawals.size());
    }

    /** Takes the next version, sets the timer and says what to store. Called holding the lock. */
    private Planned plan(Advertised a, List<Endpoint> current, Instant now) {
        a.timer.cancel();
        a.seq = sequences.next(a.topic, now.toEpochMilli());
        a.expiresAt = now.plus(settings.ttl()).truncatedTo(ChronoUnit.MILLIS);
        a.endpoints = current;
        Duration interval = settings.refreshInterval();
        Duration delay = interval.minusMillis((long) (interval.toMillis() * settings.jitterFraction()
                * random.nextDouble()));
        a.nextRefreshAt = now.plus(delay);
        a.timer = scheduler.schedule(delay, () -> refresh(a));
        return new Planned(a, a.seq, a.expiresAt, current, false, a.info(settings.ttl()));
    }

    /** Called holding the lock, after {@code a} left {@link #live}. */
    private Planned planWithdrawal(Advertised a, Instant now) {
        a.timer.cancel();
        long seq = sequences.next(a.topic, now.toEpochMilli());
        sequences.prune(now.toEpochMilli(), live);
        // Every record this node stored for the topic expires by now + ttl; the withdrawal must outlive them all.
        Instant expiresAt = now.plus(settings.ttl()).truncatedTo(ChronoUnit.MILLIS);
        return new Planned(a, seq, expiresAt, List.of(), true, null);
    }

    private void refresh(Advertised a) {
        Planned planned;
        List<Endpoint> current = endpoints.current();
        synchronized (lock) {
            if (closed || live.get(a.topic) != a) {
                return; // cancelled after this timer fired
            }
            planned = plan(a, current, clock.instant());
        }
        stats.refreshes.increment();
        store(planned);
    }

    private CompletableFuture<Integer> store(Planned p) {
        return publisher.store(p).whenComplete((accepted, failure) -> stored(p, failure));
    }

    /** On a DHT thread: a failed advertisement is tried again after {@code storeRetry} if that comes sooner. */
    private void stored(Planned p, Throwable failure) {
        if (failure != null) {
            stats.storeFailures.increment();
        }
        boolean firstFailure = false;
        boolean recovered = false;
        synchronized (lock) {
            Advertised a = p.entry();
            if (p.withdrawal() || closed || live.get(a.topic) != a || a.seq != p.seq()) {
                if (failure != null) {
                    LOG.debug("storing {} seq {} failed: {}", a.topic, p.seq(), failure.toString());
                }
                return;
            }
            if (failure == null) {
                recovered = a.failing;
                a.failing = false;
            } else {
                firstFailure = !a.failing;
                a.failing = true;
                Instant retryAt = clock.instant().plus(settings.storeRetry());
                if (retryAt.isBefore(a.nextRefreshAt)) {
                    a.timer.cancel();
                    a.nextRefreshAt = retryAt;
                    a.timer = scheduler.schedule(settings.storeRetry(), () -> refresh(a));
                }
            }
        }
        if (firstFailure) {
            LOG.warn("cannot advertise {} in the DHT, retrying every {} s: {}", p.entry().topic,
                    settings.storeRetry().toSeconds(), failure.toString());
        } else if (recovered) {
            LOG.info("advertised {} again after failures", p.entry().topic);
        }
    }
}
