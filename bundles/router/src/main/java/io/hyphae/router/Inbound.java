package io.hyphae.router;

import io.hyphae.api.Message;
import io.hyphae.api.MessageHandler;
import io.hyphae.api.Qos;
import io.hyphae.spi.dht.Record;
import io.hyphae.spi.pubsub.Router;
import io.hyphae.spi.transport.Endpoint;
import io.hyphae.spi.transport.Frame;
import io.hyphae.spi.transport.InboundHandler;
import io.hyphae.spi.transport.Peer;
import io.hyphae.spi.transport.Transport;
import io.hyphae.wire.Frames;
import io.hyphae.wire.WireFrame;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving half of the router, registered with every bound transport: takes routes (validated, de-duplicated,
 * acknowledged when QoS 1, handed to the sinks), acknowledgements and withdrawals. Runs on transport threads and
 * never blocks; a bad frame is counted, logged once per peer and window, answered with an error when it was a
 * request, and never thrown.
 */
final class Inbound implements InboundHandler {
    private static final Logger LOG = LoggerFactory.getLogger(Inbound.class);

    private final RouterSettings settings;
    private final RouterStats stats;
    private final DedupeWindow dedupe;
    private final BadPeerLog badPeers;
    private final TransportTable table;
    private final Outbound outbound;
    private final Consumer<Record> withdrawals;
    private final CopyOnWriteArrayList<MessageHandler> sinks = new CopyOnWriteArrayList<>();

    Inbound(RouterSettings settings, RouterStats stats, DedupeWindow dedupe, BadPeerLog badPeers, TransportTable table,
            Outbound outbound, Consumer<Record> withdrawals) {
        this.settings = settings;
        this.stats = stats;
        this.dedupe = dedupe;
        this.badPeers = badPeers;
        this.table = table;
        this.outbound = outbound;
        this.withdrawals = withdrawals;
    }

    Router.Registration deliverTo(MessageHandler sink) {
        MessageHandler wrapped = sink::onMessage; // a distinct instance, so one sink registered twice closes apart
        sinks.add(wrapped);
        return () -> sinks.remove(wrapped);
    }

    @Override
    public boolean accepts(Frame frame) {
        return frame instanceof Frames.Route || frame instanceof Frames.Ack || frame instanceof Frames.Withdraw;
    }

    @Override
    public CompletionStage<? extends Frame> onRequest(Peer from, Frame request) {
        WireFrame response;
        if (request instanceof Frames.Route route) {
            response = onRoute(from, route);
        } else if (request instanceof Frames.Ack ack) {
            outbound.onAck(from.nodeId(), ack.id());
            response = ack;
        } else if (request instanceof Frames.Withdraw withdraw) {
            response = new Frames.Stored(onWithdraw(from, withdraw) ? 1 : 0);
        } else {
            response = bad(from, "unexpected request " + request.getClass().getSimpleName());
        }
        return CompletableFuture.completedFuture(response);
    }

    @Override
    public void onMessage(Peer from, Frame message) {
        if (message instanceof Frames.Route route) {
            WireFrame answer = onRoute(from, route);
            if (answer instanceof Frames.Ack ack && route.qos() == Qos.AT_LEAST_ONCE) {
                ackOneWay(from, ack);
            }
        } else if (message instanceof Frames.Ack ack) {
            outbound.onAck(from.nodeId(), ack.id());
        } else if (message instanceof Frames.Withdraw withdraw) {
            onWithdraw(from, withdraw);
        } else {
            bad(from, "unexpected frame " + message.getClass().getSimpleName());
        }
    }

    /** Takes one route; answers the Ack to send back, or an error saying why it was not taken. */
    private WireFrame onRoute(Peer from, Frames.Route route) {
        String wrong = validate(from, route);
        if (wrong != null) {
            return bad(from, wrong);
        }
        if (sinks.isEmpty()) {
            // Not acknowledged and not remembered: a QoS 1 sender retries until the node is listening again.
            stats.noSink.increment();
            return new Frames.Error(Frames.Error.Code.UNAVAILABLE, "no message sink is registered");
        }
        if (dedupe.firstSeen(route.publisher(), route.id())) {
            stats.received.increment();
            Message message = route.toMessage(); // shares the decoded payload, no copy
            for (MessageHandler sink : sinks) {
                try {
                    sink.onMessage(message);
                } catch (RuntimeException e) {
                    stats.sinkErrors.increment();
                    LOG.error("message sink failed on {}", message, e);
                }
            }
        } else {
            // A duplicate is still acknowledged: the first acknowledgement may have been lost.
            stats.duplicates.increment();
        }
        return new Frames.Ack(route.id());
    }

    private String validate(Peer from, Frames.Route route) {
        if (!route.realm().equals(settings.realm())) {
            return "route " + route.id() + " is for realm \"" + route.realm() + "\", this node serves \""
                    + settings.realm() + "\"";
        }
        if (route.payloadSize() > settings.maxPayloadBytes()) {
            return "route " + route.id() + " payload of " + route.payloadSize() + " bytes exceeds maxPayloadBytes "
                    + settings.maxPayloadBytes();
        }
        if (route.hops() != 0) {
            return "route " + route.id() + " has hops " + route.hops() + ", only direct delivery (0) is taken";
        }
        if (!route.publisher().equals(from.nodeId())) {
            return "route " + route.id() + " claims publisher " + route.publisher().shortHex()
                    + " but came directly from " + from.nodeId().shortHex();
        }
        return null;
    }

    private boolean onWithdraw(Peer from, Frames.Withdraw withdraw) {
        Record record = withdraw.withdrawal();
        if (!record.publisher().equals(from.nodeId())) {
            bad(from, "withdrawal of " + record.publisher().shortHex() + " sent by another node");
            return false;
        }
        stats.withdrawals.increment();
        try {
            withdrawals.accept(record);
            return true;
        } catch (RuntimeException e) {
            LOG.error("withdrawal hook failed on {}", record, e);
            return false;
        }
    }

    /** A QoS 1 route came one way: acknowledge it one way, to the address it came from, best effort. */
    private void ackOneWay(Peer from, Frames.Ack ack) {
        Transport transport = table.forScheme(from.scheme());
        Endpoint back;
        try {
            back = Endpoint.parse(from.scheme() + "://" + from.remoteAddress() + "/" + from.nodeId().toHex());
        } catch (RuntimeException notDialable) {
            back = null;
        }
        if (transport == null || back == null) {
            stats.acksUnsent.increment();
            return;
        }
        try {
            transport.send(back, ack).whenComplete((ok, failure) -> {
                if (failure != null) {
                    stats.acksUnsent.increment();
                }
            });
        } catch (RuntimeException e) { // a transport must fail the stage; one that throws costs only this ack
            stats.acksUnsent.increment();
        }
    }

    private Frames.Error bad(Peer from, String reason) {
        stats.badFrames.increment();
        if (badPeers.firstInWindow(from.nodeId())) {
            LOG.warn("dropping frames from {}: {}", from, reason);
        }
        return new Frames.Error(Frames.Error.Code.BAD_REQUEST, reason);
    }
}
