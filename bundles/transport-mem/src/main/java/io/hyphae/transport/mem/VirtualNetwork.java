package io.hyphae.transport.mem;

import io.hyphae.api.NodeId;
import io.hyphae.spi.concurrent.Scheduler;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-JVM network of named hosts: nodes {@link #attach attach} at {@code host:port} and exchange byte frames with
 * a per-link latency, jitter and loss rate, across partitions that can be made and healed. Every random choice comes
 * from one seeded {@link RandomGenerator}, drawn in send order, and every delay goes through the injected
 * {@link Scheduler}: on a {@link io.hyphae.spi.concurrent.VirtualTime} driven by one thread a run replays exactly
 * from its seed, without sleeping.
 * <p>
 * Frames arrive on the scheduler's thread; a receiver that throws is counted and logged, never propagated. A
 * partition or loss drops frames silently (a black hole, as on a real network); only an address nobody holds, or a
 * node other than the one expected, is refused at send. Thread safe; no lock is held while calling a receiver or
 * the scheduler.
 */
public final class VirtualNetwork {
    private static final Logger LOG = LoggerFactory.getLogger(VirtualNetwork.class);

    private final Scheduler scheduler;
    private final RandomGenerator random; // guarded by this: draws happen in send order
    private final Map<Address, Attachment> attachments = new ConcurrentHashMap<>();
    private final Map<Set<String>, LinkConditions> links = new ConcurrentHashMap<>();
    private final List<Partition> partitions = new CopyOnWriteArrayList<>();
    private final NetworkStats stats = new NetworkStats();
    private volatile LinkConditions defaultConditions;

    /** A network whose links have {@code defaultConditions} unless {@link #setConditions set} otherwise. */
    public VirtualNetwork(Scheduler scheduler, RandomGenerator random, LinkConditions defaultConditions) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.random = Objects.requireNonNull(random, "random");
        this.defaultConditions = Objects.requireNonNull(defaultConditions, "defaultConditions");
    }

    /** A network of {@link LinkConditions#PERFECT perfect} links. */
    public VirtualNetwork(Scheduler scheduler, RandomGenerator random) {
        this(scheduler, random, LinkConditions.PERFECT);
    }

    /**
     * Attaches {@code nodeId} at {@code host:port}; frames to that address go to {@code receiver} until the returned
     * attachment is closed.
     *
     * @throws AddressInUseException when another attachment holds {@code host:port}
     */
    public Attachment attach(String host, int port, NodeId nodeId, Receiver receiver) {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(receiver, "receiver");
        Attachment attachment = new Attachment(this, host, port, nodeId, receiver);
        Attachment holder = attachments.putIfAbsent(new Address(host, port), attachment);
        if (holder != null) {
            throw new AddressInUseException("mem address " + attachment.address() + " is held by node " + holder
                    .nodeId().shortHex() + "; node " + nodeId.shortHex() + " cannot attach there");
        }
        return attachment;
    }

    /** Sets the conditions of every link without conditions of its own. */
    public void setDefaultConditions(LinkConditions conditions) {
        defaultConditions = Objects.requireNonNull(conditions, "conditions");
    }

    /** Sets the conditions of the link between {@code hostA} and {@code hostB}, both directions. */
    public void setConditions(String hostA, String hostB, LinkConditions conditions) {
        links.put(linkKey(hostA, hostB), Objects.requireNonNull(conditions, "conditions"));
    }

    /** The conditions frames between the two hosts meet. */
    public LinkConditions conditions(String hostA, String hostB) {
        if (links.isEmpty()) {
            return defaultConditions; // the common case: no link of its own, and no key to build per frame
        }
        LinkConditions own = links.get(linkKey(hostA, hostB));
        return own != null ? own : defaultConditions;
    }

    /**
     * Cuts {@code hosts} off from every other host until the partition is {@link Partition#heal healed}: frames
     * between a host inside and one outside are dropped, also those already in flight. Hosts on the same side still
     * reach each other. Partitions stack: two hosts talk when no partition separates them.
     */
    public Partition partition(Collection<String> hosts) {
        Partition partition = new Partition(Set.copyOf(hosts));
        partitions.add(partition);
        LOG.info("partitioned {} from the rest of the mem network", partition.hosts());
        return partition;
    }

    /** Heals every partition. */
    public void healAll() {
        partitions.clear();
    }

    /** Whether no partition separates the two hosts. */
    public boolean connected(String hostA, String hostB) {
        if (partitions.isEmpty()) {
            return true;
        }
        for (Partition p : partitions) {
            if (p.separates(hostA, hostB)) {
                return false;
            }
        }
        return true;
    }

    public NetworkStats stats() {
        return stats;
    }

    Attachment.Transmission transmit(Attachment from, String toHost, int toPort, NodeId expected, byte[] bytes) {
        if (!connected(from.host(), toHost)) {
            // a partition is a black hole: the sender learns nothing, not even whether the address is held
            stats.sent.increment();
            stats.droppedByPartition.increment();
            return Attachment.Transmission.SENT;
        }
        Attachment to = attachments.get(new Address(toHost, toPort));
        if (to == null) {
            stats.refused.increment();
            return Attachment.Transmission.NO_SUCH_ADDRESS;
        }
        if (!to.nodeId().equals(expected)) {
            stats.refused.increment();
            return Attachment.Transmission.WRONG_NODE;
        }
        stats.sent.increment();
        LinkConditions link = conditions(from.host(), toHost);
        long delayNanos;
        synchronized (this) {
            if (link.lossRate() > 0 && random.nextDouble() < link.lossRate()) {
                stats.droppedByLoss.increment();
                return Attachment.Transmission.SENT;
            }
            long jitterNanos = link.jitter().toNanos();
            delayNanos = link.latency().toNanos() + (jitterNanos > 0 ? random.nextLong(jitterNanos + 1) : 0);
        }
        Datagram datagram = new Datagram(from.host(), from.port(), from.nodeId(), bytes);
        scheduler.schedule(Duration.ofNanos(delayNanos), () -> deliver(to, datagram));
        return Attachment.Transmission.SENT;
    }

    void detach(Attachment attachment) {
        attachments.remove(new Address(attachment.host(), attachment.port()), attachment);
    }

    private static Set<String> linkKey(String hostA, String hostB) {
        return hostA.equals(hostB) ? Set.of(hostA) : Set.of(hostA, hostB);
    }

    private void deliver(Attachment to, Datagram datagram) {
        if (!connected(datagram.fromHost(), to.host())) {
            stats.droppedByPartition.increment();
            return;
        }
        if (!to.isAttached()) {
            stats.droppedDetached.increment();
            return;
        }
        stats.delivered.increment();
        try {
            to.receiver().receive(datagram);
        } catch (RuntimeException e) {
            stats.receiverFailures.increment();
            LOG.error("mem receiver {} failed on {}", to, datagram, e);
        }
    }

    /** Where an attachment is: a key that costs no string building per frame. */
    private record Address(String host, int port) {
        // written out: the generated ones go through method handles, and this is looked up for every frame
        @Override
        public boolean equals(Object o) {
            return o instanceof Address other && port == other.port && host.equals(other.host);
        }

        @Override
        public int hashCode() {
            return 31 * host.hashCode() + port;
        }
    }

    /** Takes the frames that arrive at an attachment; called on the network's scheduler thread. */
    @FunctionalInterface
    public interface Receiver {
        void receive(Datagram datagram);
    }

    /** Hosts cut off from the rest of the network. */
    public final class Partition {
        private final Set<String> hosts;

        private Partition(Set<String> hosts) {
            this.hosts = hosts;
        }

        public Set<String> hosts() {
            return hosts;
        }

        /** Reconnects these hosts; frames sent from now on arrive again. Healing twice is harmless. */
        public void heal() {
            if (partitions.remove(this)) {
                LOG.info("healed the partition of {}", hosts);
            }
        }

        boolean separates(String hostA, String hostB) {
            return hosts.contains(hostA) != hosts.contains(hostB);
        }
    }
}
