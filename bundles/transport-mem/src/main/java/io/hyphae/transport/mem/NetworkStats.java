package io.hyphae.transport.mem;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of a {@link VirtualNetwork}, under the names {@code mem.network.<counter>}. Every frame handed to the
 * network for an attached address counts as sent and then as exactly one of delivered or dropped (by loss, by a
 * partition, or because its receiver detached while it was in flight). Thread safe.
 */
public final class NetworkStats {
    final LongAdder sent = new LongAdder();
    final LongAdder delivered = new LongAdder();
    final LongAdder droppedByLoss = new LongAdder();
    final LongAdder droppedByPartition = new LongAdder();
    final LongAdder droppedDetached = new LongAdder();
    final LongAdder refused = new LongAdder();
    final LongAdder receiverFailures = new LongAdder();

    /** Frames the network accepted for delivery (in flight, delivered or dropped). */
    public long sent() {
        return sent.sum();
    }

    /** Frames handed to a receiver. */
    public long delivered() {
        return delivered.sum();
    }

    /** Frames dropped by a link's loss rate. */
    public long droppedByLoss() {
        return droppedByLoss.sum();
    }

    /** Frames dropped because sender and receiver were on different sides of a partition. */
    public long droppedByPartition() {
        return droppedByPartition.sum();
    }

    /** Frames dropped because the receiver detached while they were in flight. */
    public long droppedDetached() {
        return droppedDetached.sum();
    }

    /** Frames refused at send: nobody attached at the address, or another node than the sender expected. */
    public long refused() {
        return refused.sum();
    }

    /** Deliveries in which the receiver threw (a bug in the receiver; the network carried on). */
    public long receiverFailures() {
        return receiverFailures.sum();
    }

    @Override
    public String toString() {
        return "mem.network.sent=" + sent() + " delivered=" + delivered() + " droppedByLoss=" + droppedByLoss()
                + " droppedByPartition=" + droppedByPartition() + " droppedDetached=" + droppedDetached()
                + " refused=" + refused() + " receiverFailures=" + receiverFailures();
    }
}
