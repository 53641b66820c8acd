package io.hyphae.router;

import io.hyphae.api.NodeClosedException;
import io.hyphae.api.NodeId;
import io.hyphae.spi.pubsub.Router.Delivery;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The outcome of one {@code route} call, gathered from its per-subscriber deliveries. Thread safe. */
final class RouteJob {
    /** How one subscriber's delivery ended. */
    enum Outcome {
        /** QoS 0: handed to the network; QoS 1: acknowledged. */
        DELIVERED,
        /** Every endpoint failed (QoS 1: for several rounds in a row, or in the last round before the deadline). */
        UNREACHABLE,
        /** QoS 1: the deadline passed without an acknowledgement although the peer seemed reachable. */
        EXPIRED,
        /** The router closed first. */
        CLOSED
    }

    private static final Logger LOG = LoggerFactory.getLogger(RouteJob.class);
    private final BiConsumer<? super Delivery, ? super Throwable> outcome;
    private final int subscribers;
    // Guarded by this; touched once per subscriber of a route to several (a route to one needs no gathering).
    private int remaining;
    private int delivered;
    private List<NodeId> unreachable;
    private boolean closed;

    /** A route to {@code subscribers} (at least one), whose outcome is told to {@code outcome} once. */
    RouteJob(int subscribers, BiConsumer<? super Delivery, ? super Throwable> outcome) {
        this.subscribers = subscribers;
        this.remaining = subscribers;
        this.outcome = outcome;
    }

    /** One subscriber is done; the last one tells the outcome (on the caller's thread, holding no lock). */
    void finished(NodeId subscriber, Outcome outcome) {
        if (subscribers == 1) { // the usual route: its one delivery ends once, so there is nothing to gather
            complete(outcome == Outcome.CLOSED, outcome == Outcome.DELIVERED ? 1 : 0,
                    outcome == Outcome.UNREACHABLE ? List.of(subscriber) : List.of());
            return;
        }
        boolean closedNow;
        int deliveredNow;
        List<NodeId> unreachableNow;
        synchronized (this) {
            switch (outcome) {
                case DELIVERED -> delivered++;
                case UNREACHABLE -> {
                    if (unreachable == null) {
                        unreachable = new ArrayList<>(1);
                    }
                    unreachable.add(subscriber);
                }
                case CLOSED -> closed = true;
                case EXPIRED -> { }
            }
            if (--remaining != 0) {
                return;
            }
            closedNow = closed;
            deliveredNow = delivered;
            unreachableNow = unreachable == null ? List.of() : unreachable;
        }
        complete(closedNow, deliveredNow, unreachableNow);
    }

    private void complete(boolean routerClosed, int deliveredTo, List<NodeId> unreachablePeers) {
        try {
            if (routerClosed) {
                outcome.accept(null, new NodeClosedException("the router closed before the message was delivered"));
            } else {
                outcome.accept(new Delivery(subscribers, deliveredTo, unreachablePeers), null);
            }
        } catch (RuntimeException e) { // it must not throw; if it does, the transport thread calling us goes on
            LOG.warn("the outcome of a route failed", e);
        }
    }
}
