package io.hyphae.router;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The deliveries not finished yet, so that closing the router and a leaving transport can reach them. Intrusive
 * doubly-linked lists (the links live in {@link PeerDelivery}) in a few stripes, each under its own lock held for a
 * few field writes and never while calling out. An add on the publisher's thread and a remove on a transport thread
 * cost two rarely contended locks and no allocation; the concurrent set this replaces cost two hash-table updates
 * per message, both on its shared size counter (#6). Thread safe.
 */
final class InFlight {
    private static final int STRIPES = 8;
    private final Stripe[] stripes = new Stripe[STRIPES];

    InFlight() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Stripe();
        }
    }

    /** One list; guards the links of the deliveries in it. */
    static final class Stripe {
        private PeerDelivery head;
        private int size;
    }

    /** Adds {@code d}, which is in no list yet. */
    void add(PeerDelivery d) {
        Stripe s = stripes[ThreadLocalRandom.current().nextInt(STRIPES)];
        synchronized (s) {
            d.stripe = s;
            d.nextInFlight = s.head;
            if (s.head != null) {
                s.head.prevInFlight = d;
            }
            s.head = d;
            s.size++;
        }
    }

    /** Removes {@code d}; true when it was here (once per delivery). */
    boolean remove(PeerDelivery d) {
        Stripe s = d.stripe;
        if (s == null) {
            return false;
        }
        synchronized (s) {
            if (d.stripe != s) {
                return false;
            }
            if (d.prevInFlight != null) {
                d.prevInFlight.nextInFlight = d.nextInFlight;
            } else {
                s.head = d.nextInFlight;
            }
            if (d.nextInFlight != null) {
                d.nextInFlight.prevInFlight = d.prevInFlight;
            }
            d.prevInFlight = null;
            d.nextInFlight = null;
            d.stripe = null;
            s.size--;
            return true;
        }
    }

    /** A copy of what is in flight now, to call out to without a lock. */
    List<PeerDelivery> snapshot() {
        List<PeerDelivery> all = new ArrayList<>();
        for (Stripe s : stripes) {
            synchronized (s) {
                for (PeerDelivery d = s.head; d != null; d = d.nextInFlight) {
                    all.add(d);
                }
            }
        }
        return all;
    }

    int size() {
        int n = 0;
        for (Stripe s : stripes) {
            synchronized (s) {
                n += s.size;
            }
        }
        return n;
    }
}
