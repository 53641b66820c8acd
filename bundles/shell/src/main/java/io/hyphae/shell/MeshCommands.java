package io.hyphae.shell;

import io.hyphae.api.Qos;
import io.hyphae.api.Topic;
import io.hyphae.spi.dht.Contact;
import io.hyphae.spi.dht.Dht;
import io.hyphae.spi.dht.Key;
import io.hyphae.spi.pubsub.Discovery;
import io.hyphae.spi.pubsub.Discovery.Discovered;
import io.hyphae.spi.pubsub.Subscriber;
import io.hyphae.spi.stats.StatsSource;
import io.hyphae.spi.transport.Transport;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/** {@code peers}, {@code discover}, {@code transports} and {@code stats}: what the node sees of the mesh. */
final class MeshCommands {
    static final String PEERS = "hyphae:peers";
    static final String DISCOVER = "hyphae:discover <topic>";
    static final String TRANSPORTS = "hyphae:transports";
    static final String STATS = "hyphae:stats [counter-prefix]";

    private final Services services;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final Duration wait;

    /**
     * @param nanoTime the monotonic clock that times discoveries and lookups
     * @param wait     how long a command waits for a DHT answer
     */
    MeshCommands(Services services, Clock clock, LongSupplier nanoTime, Duration wait) {
        this.services = services;
        this.clock = clock;
        this.nanoTime = nanoTime;
        this.wait = wait;
    }

    /**
     * The closest nodes to this one that answer a DHT lookup of its own id (the live part of its routing table),
     * and the transports' connection counters where they report them.
     */
    void peers(PrintStream out, Object[] raw) {
        Args.parse(raw).expect(0, 0);
        Dht dht = services.dht().orElseThrow(() -> new NoServiceException("no DHT is running"));
        long start = nanoTime.getAsLong();
        List<Contact> contacts;
        try {
            contacts = dht.findNode(Key.of(dht.localId())).toCompletableFuture()
                    .get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            out.println("no DHT answer within " + Format.duration(wait));
            return;
        } catch (ExecutionException e) {
            out.println("DHT lookup failed: " + e.getCause().getMessage());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.println("interrupted while waiting for the DHT");
            return;
        }
        String took = Format.millis(nanoTime.getAsLong() - start);
        out.println("node " + dht.localId().shortHex() + ": " + contacts.size() + " closest peer"
                + (contacts.size() == 1 ? "" : "s") + " answered (" + took + ")");
        if (!contacts.isEmpty()) {
            Table table = Table.of("PEER", "ENDPOINTS");
            contacts.forEach(c -> table.row(c.nodeId().shortHex(), Format.addresses(c.endpoints())));
            table.print(out);
        }
        SortedMap<String, Long> connections = counters(name -> name.contains("connection"));
        if (!connections.isEmpty()) {
            out.println();
            printCounters(out, connections);
        }
    }

    void discover(PrintStream out, Object[] raw) {
        Topic topic = Topic.of(Args.parse(raw).expect(1, 1).get(0));
        Discovery discovery = services.discovery()
                .orElseThrow(() -> new NoServiceException("no discovery service is running"));
        CompletableFuture<List<Subscriber>> answer = new CompletableFuture<>();
        long start = nanoTime.getAsLong();
        Discovered d = discovery.discover(topic, new Discovery.Waiter() {
            @Override
            public Qos qos() {
                return Qos.AT_MOST_ONCE;
            }

            @Override
            public void onSubscribers(List<Subscriber> subscribers) {
                answer.complete(subscribers);
            }

            @Override
            public void onDropped(String reason) {
                answer.completeExceptionally(new DroppedException(reason));
            }
        });
        if (d instanceof Discovered.Cached cached) {
            out.println(topic + ": cache hit, " + count(cached.subscribers()) + " ("
                    + Format.millis(nanoTime.getAsLong() - start) + ")");
            printSubscribers(out, cached.subscribers());
            return;
        }
        Discovered.QuerySent sent = (Discovered.QuerySent) d;
        String query = "DHT query #" + sent.queryId() + (sent.joined() ? " (joined one in flight)" : "");
        try {
            List<Subscriber> subscribers = answer.get(wait.toMillis(), TimeUnit.MILLISECONDS);
            out.println(topic + ": " + query + " answered, " + count(subscribers) + " ("
                    + Format.millis(nanoTime.getAsLong() - start) + ")");
            printSubscribers(out, subscribers);
        } catch (TimeoutException e) {
            out.println(topic + ": " + query + " gave no answer within " + Format.duration(wait));
        } catch (ExecutionException e) {
            out.println(topic + ": " + query + " dropped after " + Format.millis(nanoTime.getAsLong() - start)
                    + ": " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.println("interrupted while waiting for the DHT");
        }
    }

    void transports(PrintStream out, Object[] raw) {
        Args.parse(raw).expect(0, 0);
        List<Transport> transports = services.transports().stream()
                .sorted(Comparator.comparing(Transport::scheme)).toList();
        if (transports.isEmpty()) {
            out.println("no transports are running");
            return;
        }
        Table table = Table.of("SCHEME", "LISTENING ON", "MAX FRAME").rightAlign(2);
        transports.forEach(t -> table.row(t.scheme(), Format.addresses(t.localEndpoints()),
                t.maxFrameBytes() + " B"));
        table.print(out);
    }

    void stats(PrintStream out, Object[] raw) {
        Args args = Args.parse(raw).expect(0, 1);
        String prefix = args.size() == 1 ? args.get(0) : "";
        if (services.statsSources().isEmpty()) {
            out.println("no module reports counters");
            return;
        }
        SortedMap<String, Long> counters = counters(name -> name.startsWith(prefix));
        if (counters.isEmpty()) {
            out.println("no counter starts with \"" + prefix + "\"");
            return;
        }
        printCounters(out, counters);
    }

    private SortedMap<String, Long> counters(java.util.function.Predicate<String> wanted) {
        SortedMap<String, Long> all = new TreeMap<>();
        for (StatsSource source : services.statsSources()) {
            for (Map.Entry<String, Long> e : source.snapshot().entrySet()) {
                if (wanted.test(e.getKey())) {
                    all.merge(e.getKey(), e.getValue(), Long::sum);
                }
            }
        }
        return all;
    }

    private static void printCounters(PrintStream out, SortedMap<String, Long> counters) {
        Table table = Table.of("COUNTER", "VALUE").rightAlign(1);
        counters.forEach(table::row);
        table.print(out);
    }

    private void printSubscribers(PrintStream out, List<Subscriber> subscribers) {
        if (subscribers.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        Table table = Table.of("SUBSCRIBER", "ENDPOINTS", "SEQ", "EXPIRES IN").rightAlign(2);
        subscribers.forEach(s -> table.row(s.nodeId().shortHex(), Format.addresses(s.endpoints()), s.seq(),
                Format.until(now, s.expiresAt())));
        table.print(out);
    }

    private static String count(List<Subscriber> subscribers) {
        return subscribers.size() + " subscriber" + (subscribers.size() == 1 ? "" : "s");
    }

    /** A discovery the DHT could not answer in time; carries discovery's reason. */
    private static final class DroppedException extends Exception {
        private static final long serialVersionUID = 1L;

        DroppedException(String reason) {
            super(reason, null, false, false);
        }
    }
}
