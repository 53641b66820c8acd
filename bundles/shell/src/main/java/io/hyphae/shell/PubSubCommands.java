package io.hyphae.shell;

import io.hyphae.api.PubSub;
import io.hyphae.api.PublishReceipt;
import io.hyphae.api.Qos;
import io.hyphae.api.Subscription;
import io.hyphae.api.Topic;
import io.hyphae.spi.pubsub.Advertiser.Advertisement;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code subscribe}, {@code unsubscribe}, {@code publish} and {@code topics}. The subscriptions made from the shell
 * are held here, one per topic, and printed to the console of the session that made them; {@link #close} ends them
 * all. Thread safe.
 */
final class PubSubCommands implements AutoCloseable {
    static final String SUBSCRIBE = "hyphae:subscribe <topic>";
    static final String UNSUBSCRIBE = "hyphae:unsubscribe <topic>";
    static final String PUBLISH = "hyphae:publish [--qos 0|1] <topic> <text>...";
    static final String TOPICS = "hyphae:topics";
    private static final Map<String, String> PUBLISH_OPTIONS = Map.of("-q", "qos", "--qos", "qos");

    private final Services services;
    private final Clock clock;
    private final Duration wait;
    private final Map<Topic, Subscription> subscriptions = new ConcurrentHashMap<>();

    /**
     * @param wait how long {@code publish} waits for its receipt before it returns without one
     */
    PubSubCommands(Services services, Clock clock, Duration wait) {
        this.services = services;
        this.clock = clock;
        this.wait = wait;
    }

    void subscribe(PrintStream out, Object[] raw) {
        Topic topic = Topic.of(Args.parse(raw).expect(1, 1).get(0));
        PubSub node = node();
        if (subscriptions.containsKey(topic)) {
            out.println("already subscribed to " + topic + " in this shell");
            return;
        }
        Subscription s = node.subscribe(topic, m -> out.println(Format.message(m)));
        if (subscriptions.putIfAbsent(topic, s) != null) {
            s.close(); // another session won the race for this topic
            out.println("already subscribed to " + topic + " in this shell");
            return;
        }
        out.println("subscribed to " + topic + " (node " + node.nodeId().shortHex() + ", realm " + node.realm()
                + "); messages are printed here");
    }

    void unsubscribe(PrintStream out, Object[] raw) {
        Topic topic = Topic.of(Args.parse(raw).expect(1, 1).get(0));
        Subscription s = subscriptions.remove(topic);
        if (s == null) {
            out.println("not subscribed to " + topic + " in this shell");
            return;
        }
        s.close();
        out.println("unsubscribed from " + topic);
    }

    void publish(PrintStream out, Object[] raw) {
        Args args = Args.parse(raw, PUBLISH_OPTIONS).expect(2, Integer.MAX_VALUE);
        Qos qos = Qos.ofLevel(Integer.parseInt(args.option("qos", "0", Set.of("0", "1"))));
        Topic topic = Topic.of(args.get(0));
        byte[] payload = args.rest(1).getBytes(StandardCharsets.UTF_8);
        PubSub node = node();
        try {
            PublishReceipt r = node.publish(topic, payload, qos).toCompletableFuture()
                    .get(wait.toMillis(), TimeUnit.MILLISECONDS);
            out.println("published " + r.id() + " to " + topic + " (qos " + qos.level() + ", " + payload.length
                    + " B): local " + r.local() + ", remote subscribers " + r.subscribers() + ", delivered "
                    + r.delivered() + (r.missed() > 0 ? ", missed " + r.missed() : ""));
        } catch (TimeoutException e) {
            out.println("sent to " + topic + "; no receipt within " + Format.duration(wait)
                    + " (QoS 1 keeps retrying until its deadline)");
        } catch (ExecutionException e) {
            out.println("publish to " + topic + " failed: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.println("interrupted while waiting for the receipt");
        }
    }

    void topics(PrintStream out, Object[] raw) {
        Args.parse(raw).expect(0, 0);
        Map<Topic, Advertisement> advertised = new TreeMap<>();
        services.advertiser().ifPresent(a -> a.advertisements().forEach(ad -> advertised.put(ad.topic(), ad)));
        TreeMap<Topic, Boolean> all = new TreeMap<>();
        subscriptions.keySet().forEach(t -> all.put(t, true));
        advertised.keySet().forEach(t -> all.putIfAbsent(t, false));
        if (all.isEmpty()) {
            out.println("no topics: nothing subscribed from this shell"
                    + (services.advertiser().isPresent() ? " and nothing advertised" : "; no advertiser running"));
            return;
        }
        Instant now = clock.instant();
        Table table = Table.of("TOPIC", "SHELL", "ADVERTISED", "SEQ", "TTL", "EXPIRES IN", "REFRESH IN")
                .rightAlign(3);
        all.forEach((topic, shell) -> {
            Advertisement ad = advertised.get(topic);
            table.row(topic, shell ? "subscribed" : "-", ad == null ? "no" : "yes",
                    ad == null ? null : ad.seq(),
                    ad == null ? null : Format.duration(ad.ttl()),
                    ad == null ? null : Format.until(now, ad.expiresAt()),
                    ad == null ? null : Format.until(now, ad.nextRefreshAt()));
        });
        table.print(out);
    }

    /** The topics subscribed from the shell, sorted. */
    List<Topic> subscribedTopics() {
        return subscriptions.keySet().stream().sorted().toList();
    }

    private PubSub node() {
        return services.node().orElseThrow(() -> new NoServiceException("no Hyphae node is running"));
    }

    /** Ends every subscription made from the shell. */
    @Override
    public void close() {
        subscriptions.values().forEach(Subscription::close);
        subscriptions.clear();
    }
}
