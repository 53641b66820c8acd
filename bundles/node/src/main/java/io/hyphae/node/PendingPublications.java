package io.hyphae.node;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The publications not answered yet, so that closing the node can fail them. Intrusive doubly-linked lists (the links
 * live in {@link Publication}) in a few stripes, each under its own lock held for a few field writes and never while
 * calling out: an add on the publisher's thread and a remove where the publication ends cost two rarely contended
 * locks and no allocation, where a concurrent set cost two hash-table updates on its shared size counter (#6).
 * Thread safe.
 */
final class PendingPublications {
    private static final int STRIPES = 8;
    private final Stripe[] stripes = new Stripe[STRIPES];

    PendingPublications() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Stripe();
        }
    }

    /** One list; guards the links of the publications in it. */
    static final class Stripe {
        private Publication head;
    }

    /** Adds {@code p}, which is in no list yet. */
    void add(Publication p) {
        Stripe s = stripes[ThreadLocalRandom.current().nextInt(STRIPES)];
        synchronized (s) {
            p.stripe = s;
            p.nextPending = s.head;
            if (s.head != null) {
                s.head.prevPending = p;
            }
            s.head = p;
        }
    }

    /** Removes {@code p}; true for the one call that found it here. */
    boolean remove(Publication p) {
        Stripe s = p.stripe;
        if (s == null) {
            return false;
        }
        synchronized (s) {
            if (p.stripe != s) {
                return false;
            }
            if (p.prevPending != null) {
                p.prevPending.nextPending = p.nextPending;
            } else {
                s.head = p.nextPending;
            }
            if (p.nextPending != null) {
                p.nextPending.prevPending = p.prevPending;
            }
            p.prevPending = null;
            p.nextPending = null;
            p.stripe = null;
            return true;
        }
    }

    /** A copy of what is pending now, to call out to without a lock. */
    List<Publication> snapshot() {
        List<Publication> all = new ArrayList<>();
        for (Stripe s : stripes) {
            synchronized (s) {
                for (Publication p = s.head; p != null; p = p.nextPending) {
                    all.add(p);
                }
            }
        }
        return all;
    }
}
