package io.hyphae.dht;

import io.hyphae.spi.dht.Contact;
import io.hyphae.spi.dht.Key;
import io.hyphae.spi.dht.Record;
import io.hyphae.spi.transport.Frame;
import io.hyphae.spi.transport.InboundHandler;
import io.hyphae.spi.transport.Peer;
import io.hyphae.wire.Frames;
import io.hyphae.wire.WireFrame;
import io.hyphae.wire.WireLimits;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the DHT requests (kad's handlers.go), one method per RPC. Registered with every bound transport. Each
 * request is handed to the node's serial scheduler, so transport threads return at once and the routing table and
 * record store keep one owner. A request whose sender contact names another node than the transport authenticated
 * is refused, counted and logged once per peer.
 */
final class DhtHandlers implements InboundHandler {
    private static final Logger LOG = LoggerFactory.getLogger(DhtHandlers.class);
    private final DhtCore core;

    DhtHandlers(DhtCore core) {
        this.core = core;
    }

    @Override
    public boolean accepts(Frame frame) {
        return frame instanceof Frames.Ping || frame instanceof Frames.FindNode || frame instanceof Frames.FindValue
                || frame instanceof Frames.Store;
    }

    @Override
    public CompletionStage<? extends Frame> onRequest(Peer from, Frame request) {
        CompletableFuture<WireFrame> answer = new CompletableFuture<>();
        core.scheduler.execute(() -> {
            try {
                answer.complete(handle(from, request));
            } catch (RuntimeException e) {
                LOG.error("{}: answering {} from {} failed", core.localId.shortHex(),
                        request.getClass().getSimpleName(), from, e);
                answer.complete(new Frames.Error(Frames.Error.Code.INTERNAL, "the DHT failed to answer"));
            }
        });
        return answer;
    }

    @Override
    public void onMessage(Peer from, Frame message) {
        LOG.debug("{}: ignoring one-way {} from {}", core.localId.shortHex(), message.getClass().getSimpleName(), from);
    }

    private WireFrame handle(Peer from, Frame request) {
        if (core.closed) {
            return new Frames.Error(Frames.Error.Code.UNAVAILABLE, "the DHT is closing");
        }
        core.stats.rpcReceived.increment();
        if (!accepts(request)) {
            return new Frames.Error(Frames.Error.Code.UNSUPPORTED, "not a DHT request");
        }
        Contact sender = senderOf(request);
        if (!sender.nodeId().equals(from.nodeId())) {
            core.badPeer(from.nodeId(), "request names sender " + sender.nodeId().shortHex(), core.stats.badRequests);
            return new Frames.Error(Frames.Error.Code.BAD_REQUEST, "sender contact names another node than the peer");
        }
        Contact usable = core.usable(sender);
        if (usable != null) {
            core.seen(usable);
        }
        if (request instanceof Frames.FindNode find) {
            return new Frames.Nodes(closest(find.target(), sender));
        } else if (request instanceof Frames.FindValue find) {
            return findValue(from, find);
        } else if (request instanceof Frames.Store store) {
            return store(from, store);
        }
        return new Frames.Pong(core.self());
    }

    private static Contact senderOf(Frame request) {
        if (request instanceof Frames.Ping ping) {
            return ping.sender();
        } else if (request instanceof Frames.FindNode find) {
            return find.sender();
        } else if (request instanceof Frames.FindValue find) {
            return find.sender();
        } else if (request instanceof Frames.Store store) {
            return store.sender();
        }
        throw new IllegalArgumentException("not a DHT request: " + request.getClass().getName());
    }

    /** The k nearest held contacts, without the asker (it knows itself). */
    private List<Contact> closest(Key target, Contact asker) {
        int n = Math.min(core.settings.k(), WireLimits.MAX_CONTACTS);
        return core.table.closest(target, n, asker.nodeId());
    }

    /** One page of every live record, with the nearest contacts. A served record is not verified again: it was when stored. */
    private WireFrame findValue(Peer from, Frames.FindValue find) {
        if (find.page() < 0) {
            core.badPeer(from.nodeId(), "asked for page " + find.page(), core.stats.badRequests);
            return new Frames.Error(Frames.Error.Code.BAD_REQUEST, "page must not be negative");
        }
        List<Record> live = core.store.live(find.key(), core.now());
        long from0 = (long) find.page() * WireLimits.MAX_RECORDS;
        int start = (int) Math.min(from0, live.size());
        int end = Math.min(start + WireLimits.MAX_RECORDS, live.size());
        return new Frames.Values(new ArrayList<>(live.subList(start, end)), closest(find.key(), find.sender()),
                end < live.size());
    }

    private WireFrame store(Peer from, Frames.Store store) {
        if (store.records().size() > WireLimits.MAX_RECORDS) {
            core.badPeer(from.nodeId(), "stores " + store.records().size() + " records at once",
                    core.stats.badRequests);
            return new Frames.Error(Frames.Error.Code.BAD_REQUEST, "more than " + WireLimits.MAX_RECORDS + " records");
        }
        Instant now = core.now();
        int accepted = 0;
        for (Record record : store.records()) {
            if (record.isExpired(now)) {
                // it may have expired on its way (a holder replicates a record near its end): not the sender's fault
                core.stats.recordsRejected.increment();
                continue;
            }
            switch (core.store.put(record, now)) {
                case ACCEPTED -> {
                    accepted++;
                    core.stats.recordsStored.increment();
                }
                case DUPLICATE -> accepted++;
                case STALE -> { }
                case FULL -> core.stats.recordsRejected.increment();
                case INVALID -> core.badPeer(from.nodeId(), "stored an invalid " + record, core.stats.recordsRejected);
            }
        }
        return new Frames.Stored(accepted);
    }
}
