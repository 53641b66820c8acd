package io.hyphae.dht;

import io.hyphae.api.NodeId;
import io.hyphae.spi.concurrent.Scheduler;
import io.hyphae.spi.dht.Contact;
import io.hyphae.spi.dht.Key;
import io.hyphae.spi.pubsub.NodeIdentity;
import io.hyphae.spi.transport.Endpoint;
import io.hyphae.wire.Frames;
import io.hyphae.wire.WireLimits;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state one DHT node shares between its lookups, handlers and maintenance: routing table, record store, RPCs,
 * counters. Everything but the counters, the settings and the own contact is confined to {@link #scheduler}, which
 * must run one task at a time ({@link Scheduler#single} or a {@code VirtualTime}).
 */
final class DhtCore {
    private static final Logger LOG = LoggerFactory.getLogger(DhtCore.class);
    /**
     * A full bucket's oldest entry heard from within this long is not pinged for a newcomer. Pinging it every time
     * made about half of all RPCs while a mesh grew (simulator, 1,000 to 2,000 nodes), nearly all answered.
     */
    static final long PING_AFTER_MS = 60_000;

    final NodeIdentity identity;
    final NodeId localId;
    final Clock clock;
    final Scheduler scheduler;
    final DhtStats stats = new DhtStats();
    final BadPeerLog badPeers;
    final RoutingTable table;
    final RecordStore store;
    final Rpc rpc;
    /** Seeded from the node id, so a simulation replays exactly. */
    final SplittableRandom random;
    volatile DhtSettings settings;
    volatile boolean closed;
    /** Told of every contact newly added to the routing table (replication); runs on the scheduler. */
    Consumer<Contact> onAdded = contact -> { };
    private volatile Contact self;

    DhtCore(DhtSettings settings, NodeIdentity identity, Clock clock, Scheduler scheduler) {
        this.settings = settings;
        this.identity = identity;
        this.localId = identity.nodeId();
        this.clock = clock;
        this.scheduler = scheduler;
        this.badPeers = new BadPeerLog(clock, settings.badPeerLogWindowMs());
        this.table = new RoutingTable(localId, settings.k(), settings.k(), clock::millis, PING_AFTER_MS,
                settings.maxContactFailures());
        this.store = new RecordStore(settings.maxRecordsPerKey(), settings.maxRecords(), settings.maxRecordTtlMs());
        this.rpc = new Rpc(clock, scheduler, stats, () -> this.settings.rpcTimeout());
        this.random = new SplittableRandom(seed(localId));
        this.self = new Contact(localId, List.of());
    }

    private static long seed(NodeId id) {
        long s = 0;
        for (int i = 0; i < 8; i++) {
            s = (s << 8) | (id.byteAt(i) & 0xff);
        }
        return s;
    }

    /** This node as others should know it: its id and the endpoints of every bound transport. */
    Contact self() {
        return self;
    }

    void refreshSelf() {
        self = new Contact(localId, rpc.localEndpoints(localId));
    }

    Instant now() {
        return clock.instant();
    }

    /**
     * {@code contact} as received from the network when it is worth keeping: not this node, within the endpoint
     * limit, with at least one endpoint a bound transport reaches. Otherwise null.
     */
    Contact usable(Contact contact) {
        if (contact == null || contact.nodeId().equals(localId)
                || contact.endpoints().size() > WireLimits.MAX_ENDPOINTS) {
            return null;
        }
        for (Endpoint e : contact.endpoints()) {
            if (rpc.reaches(e)) {
                return contact;
            }
        }
        return null;
    }

    /** {@code contact} was heard from directly. On the scheduler. */
    void seen(Contact contact) {
        RoutingTable.Update update = table.seen(contact);
        if (update.added()) {
            onAdded.accept(contact);
        }
        if (update.pingOldest() != null) {
            pingOldest(update.pingOldest());
        }
    }

    /**
     * Pings the least-recently-seen entry of a full bucket for a newcomer. One lost frame must not evict it: while it
     * keeps failing and is still held it is pinged again, until it answers or failed often enough to be evicted.
     */
    private void pingOldest(Contact oldest) {
        rpc.call(oldest, new Frames.Ping(self())).whenCompleteAsync((frame, error) -> {
            NodeId id = oldest.nodeId();
            if (error == null && frame instanceof Frames.Pong pong && pong.sender().nodeId().equals(id)) {
                table.pingAnswered(oldest);
                return;
            }
            failed(id);
            if (!closed && table.failures(id) > 0) {
                pingOldest(oldest);
            } else {
                table.pingEnded(id); // evicted, or heard from meanwhile
            }
        }, scheduler);
    }

    /**
     * {@code id} did not answer a request: counted, and once it failed {@code maxContactFailures} in a row it is
     * evicted, promoting a replacement. On the scheduler.
     */
    void failed(NodeId id) {
        RoutingTable.Failure failure = table.failed(id);
        if (failure.evicted()) {
            stats.evictions.increment();
            if (failure.promoted() != null) {
                onAdded.accept(failure.promoted());
            }
        }
    }

    /** Counts trouble from {@code peer} every time and logs it once per peer per window. */
    void badPeer(NodeId peer, String problem, LongAdder counter) {
        counter.increment();
        if (badPeers.firstInWindow(peer)) {
            LOG.warn("{}: dropping input from {}: {}", localId.shortHex(), peer.shortHex(), problem);
        }
    }

    /** Starts an iterative lookup from the k nearest held contacts. On the scheduler. */
    CompletableFuture<LookupResult> lookup(Key target, boolean value) {
        stats.lookups.increment();
        table.lookedUp(target, clock.millis());
        Lookup lookup = new Lookup(this, target, value);
        lookup.start(table.closest(target, settings.k()));
        return lookup.result();
    }
}
