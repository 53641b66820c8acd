package io.hyphae.dht;

import io.hyphae.spi.concurrent.Scheduler;
import io.hyphae.spi.dht.Contact;
import io.hyphae.spi.dht.Key;
import io.hyphae.spi.transport.Endpoint;
import io.hyphae.spi.transport.InvalidEndpointException;
import io.hyphae.wire.Frames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins the mesh: pings every bootstrap endpoint, then looks up the node's own id and refreshes the buckets that
 * lookup did not fill: those no nearer than the k-th nearest node it found. Every node of a nearer bucket is nearer
 * than that one, so the lookup found them all already (Kademlia refreshes every bucket farther than the nearest
 * neighbour; at 10,000 nodes that is three or four lookups more, of about thirteen, that find nothing new). When no bootstrap node answers it retries with doubling backoff (and jitter). A node
 * without bootstrap endpoints is the first of its mesh. A new bootstrap list starts a new join. Runs on the node's
 * serial scheduler.
 */
final class Joiner {
    private static final Logger LOG = LoggerFactory.getLogger(Joiner.class);
    private final DhtCore core;
    private final IntConsumer refreshBelow;
    private int generation;
    private boolean joining;
    private boolean joined;
    private long backoffMs;
    private Scheduler.Cancellable retry = () -> { };

    /**
     * @param refreshBelow refreshes every bucket below the given index that is not full
     */
    Joiner(DhtCore core, IntConsumer refreshBelow) {
        this.core = core;
        this.refreshBelow = refreshBelow;
        this.backoffMs = core.settings.joinRetryMinMs();
    }

    boolean joined() {
        return joined;
    }

    /** The bootstrap list changed: join through it now. */
    void restart() {
        generation++;
        joined = false;
        retry.cancel();
        backoffMs = core.settings.joinRetryMinMs();
        join();
    }

    void join() {
        if (core.closed || joining) {
            return;
        }
        List<String> bootstrap = core.settings.bootstrap();
        if (bootstrap.isEmpty()) {
            if (!joined) {
                LOG.info("{}: no bootstrap endpoints, first node of its mesh", core.localId.shortHex());
            }
            joined = true;
            return;
        }
        List<Endpoint> endpoints = endpoints(bootstrap);
        joining = true;
        int gen = generation;
        core.stats.joinAttempts.increment();
        if (endpoints.isEmpty()) {
            attempted(gen, 0);
            return;
        }
        int[] pending = {endpoints.size()};
        int[] answered = {0};
        for (Endpoint endpoint : endpoints) {
            core.rpc.call(endpoint, new Frames.Ping(core.self())).whenCompleteAsync((frame, error) -> {
                if (error == null && pinged(endpoint, frame)) {
                    answered[0]++;
                }
                if (--pending[0] == 0) {
                    attempted(gen, answered[0]);
                }
            }, core.scheduler);
        }
    }

    private boolean pinged(Endpoint endpoint, Object frame) {
        if (!(frame instanceof Frames.Pong pong)) {
            return false;
        }
        if (!pong.sender().nodeId().equals(endpoint.nodeId())) {
            core.badPeer(endpoint.nodeId(), "bootstrap " + endpoint + " answered as "
                    + pong.sender().nodeId().shortHex(), core.stats.badAnswers);
            return false;
        }
        Contact contact = core.usable(pong.sender());
        if (contact == null) {
            core.stats.contactsRejected.increment();
            return false;
        }
        core.seen(contact);
        return true;
    }

    private void attempted(int gen, int answered) {
        joining = false;
        if (core.closed) {
            return;
        }
        if (gen != generation) {
            join();
            return;
        }
        if (answered == 0) {
            long jitter = core.random.nextLong(backoffMs / 4 + 1);
            LOG.debug("{}: no bootstrap node answered, retrying in {} ms", core.localId.shortHex(), backoffMs);
            retry = core.scheduler.schedule(Duration.ofMillis(backoffMs + jitter), this::join);
            backoffMs = Math.min(backoffMs * 2, core.settings.joinRetryMaxMs());
            return;
        }
        joining = true;
        core.lookup(Key.of(core.localId), false).whenComplete((result, error) -> {
            joining = false;
            joined = true;
            backoffMs = core.settings.joinRetryMinMs();
            List<Contact> found = result != null ? result.closest() : List.of();
            if (found.size() >= core.settings.k()) {
                refreshBelow.accept(core.table.bucketIndex(found.get(found.size() - 1).nodeId()) + 1);
            } else {
                // fewer than k answered (a mesh smaller than k, or a lookup that failed): Kademlia's rule, every
                // bucket farther than the nearest neighbour known
                List<Contact> nearest = core.table.closest(Key.of(core.localId), 1);
                if (!nearest.isEmpty()) {
                    refreshBelow.accept(core.table.bucketIndex(nearest.get(0).nodeId()));
                }
            }
            LOG.info("{}: joined the mesh through {} bootstrap node(s), {} contacts", core.localId.shortHex(),
                    answered, core.table.size());
        });
    }

    private List<Endpoint> endpoints(List<String> bootstrap) {
        List<Endpoint> out = new ArrayList<>();
        for (String text : bootstrap) {
            try {
                Endpoint endpoint = Endpoint.parse(text);
                if (!endpoint.nodeId().equals(core.localId) && core.rpc.reaches(endpoint)) {
                    out.add(endpoint);
                }
            } catch (InvalidEndpointException e) {
                if (core.badPeers.firstInWindow(core.localId)) {
                    LOG.warn("{}: ignoring bootstrap endpoint: {}", core.localId.shortHex(), e.getMessage());
                }
            }
        }
        return out;
    }
}
