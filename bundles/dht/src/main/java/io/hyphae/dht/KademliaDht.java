package io.hyphae.dht;

import io.hyphae.api.NodeId;
import io.hyphae.spi.concurrent.Scheduler;
import io.hyphae.spi.dht.Contact;
import io.hyphae.spi.dht.Dht;
import io.hyphae.spi.dht.DhtException;
import io.hyphae.spi.dht.Key;
import io.hyphae.spi.dht.Record;
import io.hyphae.spi.pubsub.NodeIdentity;
import io.hyphae.spi.transport.Transport;
import io.hyphae.wire.Frames;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kademlia node (SPEC "DHT"): 256-bit ids, XOR metric, k-buckets, iterative lookups with alpha parallel requests,
 * signed records held one per publisher under a key, replication to the k nearest, bucket refresh, join through
 * bootstrap endpoints. A plain class: a simulation makes thousands with {@code new}, sharing one {@code VirtualTime}
 * as clock and scheduler; {@link DhtComponent} wires one in OSGi.
 *
 * <p>Thread safe: every method may be called from any thread and none blocks. All state is confined to the
 * {@code scheduler} passed in, which must run one task at a time; results complete on it.
 */
public final class KademliaDht implements Dht {
    private static final Logger LOG = LoggerFactory.getLogger(KademliaDht.class);
    private final DhtCore core;
    private final DhtHandlers handlers;
    private final Maintenance maintenance;
    private final Joiner joiner;
    private final Map<Transport, Transport.Registration> registrations = new ConcurrentHashMap<>();
    private volatile boolean started;

    /**
     * @param scheduler serial: {@link Scheduler#single} or a {@code VirtualTime}; shared by many nodes in a
     *                  simulation and not closed by {@link #close}
     */
    public KademliaDht(DhtSettings settings, NodeIdentity identity, Clock clock, Scheduler scheduler) {
        this.core = new DhtCore(Objects.requireNonNull(settings, "settings"), Objects.requireNonNull(identity,
                "identity"), Objects.requireNonNull(clock, "clock"), Objects.requireNonNull(scheduler, "scheduler"));
        this.handlers = new DhtHandlers(core);
        this.maintenance = new Maintenance(core);
        this.joiner = new Joiner(core, maintenance::refreshBelow);
        core.onAdded = maintenance::added;
    }

    /** Reaches endpoints of {@code scheme} through {@code transport} and answers DHT requests arriving on it. */
    public void addTransport(Transport transport, String scheme) {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(scheme, "scheme");
        core.rpc.add(scheme, transport);
        registrations.computeIfAbsent(transport, t -> t.register(handlers));
        core.refreshSelf();
        LOG.info("{}: DHT bound transport {}", core.localId.shortHex(), scheme);
        if (started) {
            core.scheduler.execute(() -> {
                if (!joiner.joined()) {
                    joiner.join();
                }
            });
        }
    }

    /** Stops using {@code transport}; requests in flight over it fail and are tried over another endpoint. */
    public void removeTransport(Transport transport) {
        core.rpc.remove(transport);
        Transport.Registration registration = registrations.remove(transport);
        if (registration != null) {
            registration.close();
        }
        core.refreshSelf();
    }

    /** Schedules the join and the periodic maintenance; returns at once. Starting twice is harmless. */
    public synchronized void start() {
        if (started || core.closed) {
            return;
        }
        started = true;
        core.scheduler.execute(() -> {
            maintenance.start(joiner);
            joiner.join();
        });
    }

    /** Uses {@code endpoints} to join from now on and joins through them, without a restart. */
    public void updateBootstrap(List<String> endpoints) {
        core.settings = core.settings.withBootstrap(endpoints);
        if (started) {
            core.scheduler.execute(joiner::restart);
        }
    }

    /** Stops maintenance and answering; lookups in flight end as their requests do. Closing twice is harmless. */
    public void close() {
        core.closed = true;
        registrations.values().forEach(Transport.Registration::close);
        registrations.clear();
        core.scheduler.execute(maintenance::stop);
    }

    @Override
    public NodeId localId() {
        return core.localId;
    }

    @Override
    public CompletionStage<Integer> store(Record record) {
        Objects.requireNonNull(record, "record");
        return onScheduler(() -> {
            String problem = RecordCheck.problem(record, record.key(), core.now(), core.settings.maxRecordTtlMs());
            if (problem != null) {
                return CompletableFuture.failedFuture(new DhtException("record refused: " + problem));
            }
            return core.lookup(record.key(), false).thenCompose(result -> storeAt(record, result.closest()));
        });
    }

    private CompletableFuture<Integer> storeAt(Record record, List<Contact> closest) {
        int k = core.settings.k();
        boolean selfAmong = closest.size() < k
                || Xor.compare(record.key(), core.localId, closest.get(k - 1).nodeId()) < 0;
        int local = 0;
        if (selfAmong) {
            RecordStore.Outcome outcome = core.store.put(record, core.now());
            local = outcome == RecordStore.Outcome.ACCEPTED || outcome == RecordStore.Outcome.DUPLICATE ? 1 : 0;
        }
        List<CompletableFuture<Integer>> answers = new ArrayList<>();
        for (Contact c : closest) {
            answers.add(core.rpc.call(c, new Frames.Store(core.self(), List.of(record))).handle((frame, error) ->
                    frame instanceof Frames.Stored stored && stored.accepted() > 0 ? 1 : 0));
        }
        int own = local;
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenComposeAsync(ignored -> {
            if (core.closed) {
                // the copy held here leaves with this node: a caller that was told "stored" would not store it
                // again elsewhere, and the record would be lost (#4)
                return CompletableFuture.failedFuture(new DhtException("the DHT of " + core.localId.shortHex()
                        + " closed before " + record + " was stored"));
            }
            int accepted = own + answers.stream().mapToInt(CompletableFuture::join).sum();
            return accepted > 0 ? CompletableFuture.completedFuture(accepted)
                    : CompletableFuture.failedFuture(new DhtException("no node accepted " + record + " ("
                            + closest.size() + " asked)"));
        }, core.scheduler);
    }

    @Override
    public CompletionStage<List<Record>> findValue(Key key) {
        return lookupValue(key).thenApply(LookupResult::records);
    }

    @Override
    public CompletionStage<List<Contact>> findNode(Key target) {
        return lookupNodes(target).thenApply(LookupResult::closest);
    }

    /** A FIND_NODE lookup with its {@link LookupStats}. */
    public CompletionStage<LookupResult> lookupNodes(Key target) {
        Objects.requireNonNull(target, "target");
        return onScheduler(() -> core.lookup(target, false));
    }

    /** A FIND_VALUE lookup with its {@link LookupStats}; the records include those this node holds. */
    public CompletionStage<LookupResult> lookupValue(Key key) {
        Objects.requireNonNull(key, "key");
        return onScheduler(() -> core.lookup(key, true).thenApply(result -> {
            Map<NodeId, Record> merged = new TreeMap<>();
            for (Record r : core.store.live(key, core.now())) {
                merged.put(r.publisher(), r);
            }
            for (Record r : result.records()) {
                merged.merge(r.publisher(), r, (held, found) -> found.seq() > held.seq() ? found : held);
            }
            return new LookupResult(result.closest(), new ArrayList<>(merged.values()), result.stats());
        }));
    }

    private <T> CompletableFuture<T> onScheduler(Supplier<CompletableFuture<T>> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        core.scheduler.execute(() -> {
            if (core.closed) {
                result.completeExceptionally(new DhtException("the DHT of " + core.localId.shortHex() + " is closed"));
                return;
            }
            try {
                work.get().whenComplete((value, error) -> {
                    if (error != null) {
                        result.completeExceptionally(error);
                    } else {
                        result.complete(value);
                    }
                });
            } catch (RuntimeException e) {
                result.completeExceptionally(new DhtException("DHT operation failed: " + e.getMessage(), e));
            }
        });
        return result;
    }

    /** This node as others know it: its id and the endpoints of every bound transport. */
    public Contact contact() {
        return core.self();
    }

    public DhtStats stats() {
        return core.stats;
    }

    public DhtSettings settings() {
        return core.settings;
    }

    /** Whether the node has joined (or is the first of its mesh). Read on the scheduler for an exact answer. */
    public boolean joined() {
        return joiner.joined();
    }

    /** The routing table; read it only on the scheduler (in a simulation: between {@code VirtualTime} steps). */
    public RoutingTable routingTable() {
        return core.table;
    }

    /** The record store; read it only on the scheduler (in a simulation: between {@code VirtualTime} steps). */
    public RecordStore recordStore() {
        return core.store;
    }

    @Override
    public String toString() {
        return "KademliaDht[" + core.localId.shortHex() + "]";
    }
}
