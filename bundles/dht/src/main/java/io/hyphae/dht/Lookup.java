package io.hyphae.dht;

import io.hyphae.api.NodeId;
import io.hyphae.dht.LookupState.PeerState;
import io.hyphae.spi.dht.Contact;
import io.hyphae.spi.dht.Key;
import io.hyphae.spi.dht.Record;
import io.hyphae.spi.transport.RequestTimeoutException;
import io.hyphae.wire.Frames;
import io.hyphae.wire.WireFrame;
import io.hyphae.wire.WireLimits;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * One iterative lookup (kad's query.go): keeps alpha requests in flight to the nearest peers not yet asked, feeds
 * the referrals back into its {@link LookupState}, and stops when the k nearest reachable peers have answered, or, for
 * values, once enough holders answered and the {@code valueQuorum} nearest reachable peers known are among those that
 * answered. A FIND_VALUE answer marked {@code more} is followed by requests for the next pages. Bad answers are
 * counted, logged once per peer, and that peer treated as unreachable; the lookup carries on. A peer whose answer does
 * not come in time is asked again in its turn, up to {@code lookupAttempts} requests in all: one lost frame must not
 * hide the node nearest to the target (with 1 % loss that made 2 % of lookups miss it).
 * Runs only on the node's serial scheduler: answers come back as tasks on it.
 */
final class Lookup {
    private final DhtCore core;
    private final Key target;
    private final boolean value;
    private final int k;
    private final int alpha;
    private final int maxRpcs;
    private final int maxPages;
    private final int quorum;
    private final int attempts;
    private final LookupState state;
    private final CompletableFuture<LookupResult> result = new CompletableFuture<>();
    private final Map<NodeId, Record> records = new TreeMap<>();
    private final long startMs;
    private int inFlight;
    private int pagesInFlight;
    private int rpcs;
    private int failures;
    private int maxRound;
    private int valueRound;
    private int holders;
    private boolean finished;

    Lookup(DhtCore core, Key target, boolean value) {
        DhtSettings s = core.settings;
        this.core = core;
        this.target = target;
        this.value = value;
        this.k = s.k();
        this.alpha = s.alpha();
        this.maxRpcs = s.maxLookupRpcs();
        this.maxPages = s.maxRecordsPerKey() / WireLimits.MAX_RECORDS + 1;
        this.quorum = s.valueQuorum();
        this.attempts = s.lookupAttempts();
        this.state = new LookupState(target, core.localId, k, 8 * k);
        this.startMs = core.clock.millis();
    }

    CompletableFuture<LookupResult> result() {
        return result;
    }

    void start(List<Contact> seeds) {
        for (Contact c : seeds) {
            state.add(c, 1);
        }
        pump(0);
    }

    private void pump(int triggerRound) {
        if (finished) {
            return;
        }
        if (value && holders >= quorum && pagesInFlight == 0 && state.nearestAnswered(quorum)) {
            // Holders far from the key may hold only some publishers' records (they were among the k nearest once,
            // or a replica was pushed to them): the nearest ones are the replicas every store and push reaches (#4).
            finish();
            return;
        }
        int room = Math.min(alpha - inFlight, maxRpcs - rpcs);
        if (room > 0) {
            for (LookupState.Peer peer : state.nextToQuery(room)) {
                ask(peer, triggerRound + 1);
            }
        }
        if ((inFlight == 0 || state.isDone()) && pagesInFlight == 0) {
            finish();
        }
    }

    private void ask(LookupState.Peer peer, int round) {
        state.asking(peer);
        inFlight++;
        rpcs++;
        maxRound = Math.max(maxRound, round);
        WireFrame request = value ? new Frames.FindValue(core.self(), target, 0)
                : new Frames.FindNode(core.self(), target);
        core.rpc.call(peer.contact(), request)
                .whenCompleteAsync((frame, error) -> answered(peer, round, frame, error), core.scheduler);
    }

    private void answered(LookupState.Peer peer, int round, WireFrame frame, Throwable error) {
        inFlight--;
        if (finished) {
            return;
        }
        NodeId id = peer.contact().nodeId();
        if (error != null || frame instanceof Frames.Error) {
            failures++;
            if (error != null) {
                core.failed(id);
            }
            boolean retry = error instanceof RequestTimeoutException && peer.attempts() < attempts;
            if (retry) {
                core.stats.lookupRetries.increment();
            }
            // a refusal (nothing there, another node there) or an error answer is not a lost frame: no retry
            state.set(peer, retry ? PeerState.HEARD : PeerState.UNREACHABLE);
        } else {
            String problem = value ? takeValues(peer, round, frame) : takeNodes(peer, frame);
            if (problem == null) {
                state.set(peer, PeerState.QUERIED);
                core.seen(peer.contact());
            } else {
                state.set(peer, PeerState.UNREACHABLE);
                failures++;
                core.badPeer(id, problem, core.stats.badAnswers);
            }
        }
        pump(round);
    }

    private String takeNodes(LookupState.Peer peer, WireFrame frame) {
        if (!(frame instanceof Frames.Nodes nodes)) {
            return "answered FIND_NODE with " + frame.getClass().getSimpleName();
        }
        if (nodes.contacts().size() > k) {
            return "answered FIND_NODE with " + nodes.contacts().size() + " contacts, more than k = " + k;
        }
        addReferrals(nodes.contacts(), peer.depth() + 1);
        return null;
    }

    private String takeValues(LookupState.Peer peer, int round, WireFrame frame) {
        if (!(frame instanceof Frames.Values values)) {
            return "answered FIND_VALUE with " + frame.getClass().getSimpleName();
        }
        if (values.closer().size() > k) {
            return "answered FIND_VALUE with " + values.closer().size() + " contacts, more than k = " + k;
        }
        String problem = merge(values.records());
        if (problem != null) {
            return problem;
        }
        addReferrals(values.closer(), peer.depth() + 1);
        if (!values.records().isEmpty()) {
            holders++;
            if (valueRound == 0) {
                valueRound = round;
            }
        }
        if (values.more()) {
            fetchPage(peer, 1);
        }
        return null;
    }

    private void fetchPage(LookupState.Peer peer, int page) {
        if (page > maxPages || rpcs >= maxRpcs) {
            return;
        }
        pagesInFlight++;
        rpcs++;
        core.rpc.call(peer.contact(), new Frames.FindValue(core.self(), target, page))
                .whenCompleteAsync((frame, error) -> paged(peer, page, frame, error), core.scheduler);
    }

    private void paged(LookupState.Peer peer, int page, WireFrame frame, Throwable error) {
        pagesInFlight--;
        if (finished) {
            return;
        }
        if (error != null || !(frame instanceof Frames.Values values)) {
            failures++;
        } else {
            String problem = merge(values.records());
            if (problem != null) {
                failures++;
                core.badPeer(peer.contact().nodeId(), problem, core.stats.badAnswers);
            } else if (values.more()) {
                fetchPage(peer, page + 1);
            }
        }
        pump(maxRound);
    }

    /**
     * Checks every record first, so one forged record discards the whole page. Expired records are only skipped:
     * one may have expired on its way.
     */
    private String merge(List<Record> page) {
        if (page.size() > WireLimits.MAX_RECORDS) {
            return "answered with " + page.size() + " records, more than " + WireLimits.MAX_RECORDS;
        }
        Instant now = core.now();
        List<Record> accepted = new ArrayList<>(page.size());
        for (Record r : page) {
            if (r.isExpired(now)) {
                core.stats.recordsRejected.increment();
                continue;
            }
            // holders return the same signed record; one already verified need not be verified again
            if (!r.equals(records.get(r.publisher()))) {
                String problem = RecordCheck.problem(r, target, now, core.settings.maxRecordTtlMs());
                if (problem != null) {
                    core.stats.recordsRejected.increment();
                    return problem;
                }
            }
            accepted.add(r);
        }
        for (Record r : accepted) {
            records.merge(r.publisher(), r, (held, offered) -> offered.seq() > held.seq() ? offered : held);
        }
        return null;
    }

    private void addReferrals(List<Contact> contacts, int depth) {
        for (Contact c : contacts) {
            Contact usable = core.usable(c);
            if (usable != null) {
                state.add(usable, depth);
            } else if (c != null && !c.nodeId().equals(core.localId)) {
                core.stats.contactsRejected.increment();
            }
        }
    }

    private void finish() {
        finished = true;
        List<LookupState.Peer> nearest = state.closestQueried(k);
        List<Contact> closest = new ArrayList<>(nearest.size());
        for (LookupState.Peer p : nearest) {
            closest.add(p.contact());
        }
        List<Record> found = new ArrayList<>(records.values());
        found.sort(Comparator.comparing(Record::publisher));
        int hops = nearest.isEmpty() ? 0 : nearest.get(0).depth();
        LookupStats stats = new LookupStats(target, value, hops, maxRound, valueRound, rpcs, failures, holders,
                found.size(), core.clock.millis() - startMs);
        result.complete(new LookupResult(closest, found, stats));
    }
}
