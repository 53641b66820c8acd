package io.hyphae.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.hyphae.api.Topic;
import io.hyphae.spi.dht.Contact;
import io.hyphae.spi.pubsub.Advertiser;
import io.hyphae.spi.pubsub.Discovery;
import io.hyphae.spi.pubsub.Subscriber;
import io.hyphae.api.NodeId;
import io.hyphae.spi.dht.Record;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CommandsTest {
    private static final Instant NOW = Instant.parse("2030-01-01T12:00:00Z");

    private final FakeServices services = new FakeServices();
    private final AtomicLong nanos = new AtomicLong();
    private final Commands commands = new Commands(services, Clock.fixed(NOW, ZoneOffset.UTC), nanos::get,
            Duration.ofMillis(200));
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

    private List<String> lines() {
        String text = buffer.toString(StandardCharsets.UTF_8);
        buffer.reset();
        return text.isEmpty() ? List.of() : List.of(text.split("\n"));
    }

    @Test
    void subscribePrintsArrivingMessagesToTheSessionThatSubscribed() {
        services.node = new FakeServices.FakeNode();

        commands.subscribe(out, "sensors.temp");
        assertThat(lines()).containsExactly(
                "subscribed to sensors.temp (node abababab, realm default); messages are printed here");

        services.node.deliver(Topic.of("sensors.temp"), "21.5 C");
        assertThat(lines()).containsExactly("[sensors.temp] 21.5 C  (from 12121212, qos 0, 6 B)");
    }

    @Test
    void subscribingTwiceKeepsOneSubscription() {
        services.node = new FakeServices.FakeNode();
        commands.subscribe(out, "a");
        commands.subscribe(out, "a");

        assertThat(lines()).last().isEqualTo("already subscribed to a in this shell");
        assertThat(services.node.handlers).hasSize(1);
    }

    @Test
    void unsubscribeClosesTheShellSubscription() {
        services.node = new FakeServices.FakeNode();
        commands.subscribe(out, "a");
        lines();

        commands.unsubscribe(out, "a");
        commands.unsubscribe(out, "a");

        assertThat(lines()).containsExactly("unsubscribed from a", "not subscribed to a in this shell");
        assertThat(services.node.closed).isEqualTo(1);
    }

    @Test
    void closeEndsEveryShellSubscription() {
        services.node = new FakeServices.FakeNode();
        commands.subscribe(out, "a");
        commands.subscribe(out, "b");

        commands.close();

        assertThat(services.node.closed).isEqualTo(2);
    }

    @Test
    void badArgumentsPrintTheReasonAndTheUsageLine() {
        services.node = new FakeServices.FakeNode();

        commands.subscribe(out);
        commands.subscribe(out, "a..b");
        commands.publish(out, "a");
        commands.publish(out, "--qos", "2", "a", "x");
        commands.publish(out, "a", "x", "--qos");
        commands.publish(out, "--wat", "1", "a", "x");
        commands.stats(out, "a", "b");

        assertThat(lines()).containsExactly(
                "one argument expected",
                "usage: hyphae:subscribe <topic>",
                "topic segment 2 is empty: \"a..b\"",
                "usage: hyphae:subscribe <topic>",
                "at least 2 arguments expected",
                "usage: hyphae:publish [--qos 0|1] <topic> <text>...",
                "--qos must be one of [0, 1]: 2",
                "usage: hyphae:publish [--qos 0|1] <topic> <text>...",
                "option --qos needs a value",
                "usage: hyphae:publish [--qos 0|1] <topic> <text>...",
                "unknown option --wat",
                "usage: hyphae:publish [--qos 0|1] <topic> <text>...",
                "at most 1 argument expected, got 2",
                "usage: hyphae:stats [counter-prefix]");
        assertThat(services.node.published).isEmpty();
    }

    @Test
    void publishJoinsTheTextAndPrintsTheReceipt() {
        services.node = new FakeServices.FakeNode();

        commands.publish(out, "-q", 1L, "chat.room", "hello", "mesh");

        assertThat(services.node.published).containsExactly("chat.room hello mesh AT_LEAST_ONCE");
        assertThat(lines()).singleElement().asString()
                .startsWith("published ")
                .endsWith(" to chat.room (qos 1, 10 B): local 0, remote subscribers 2, delivered 2");
    }

    @Test
    void publishWithoutAReceiptInTimeSaysSo() {
        services.node = new FakeServices.FakeNode();
        services.node.receipt = new CompletableFuture<>();

        commands.publish(out, "a", "x");

        assertThat(lines()).containsExactly(
                "sent to a; no receipt within 200ms (QoS 1 keeps retrying until its deadline)");
    }

    @Test
    void commandsWithoutANodeSaySoInOneLine() {
        commands.publish(out, "a", "x");
        commands.subscribe(out, "a");
        commands.peers(out);
        commands.discover(out, "a");

        assertThat(lines()).containsExactly("no Hyphae node is running", "no Hyphae node is running",
                "no DHT is running", "no discovery service is running");
    }

    @Test
    void topicsTableJoinsShellSubscriptionsAndAdvertisements() {
        services.node = new FakeServices.FakeNode();
        services.advertiser = advertiser(List.of(
                new Advertiser.Advertisement(Topic.of("sensors.temp"), Duration.ofMinutes(5), 3,
                        NOW.plusSeconds(299), NOW.plusSeconds(90)),
                new Advertiser.Advertisement(Topic.of("b"), Duration.ofMinutes(5), 12, NOW.minusSeconds(1),
                        NOW.plusMillis(500))));
        commands.subscribe(out, "sensors.temp");
        commands.subscribe(out, "z");
        lines();

        commands.topics(out);

        assertThat(lines()).containsExactly(
                "TOPIC         SHELL       ADVERTISED  SEQ  TTL    EXPIRES IN  REFRESH IN",
                "b             -           yes          12  5m 0s  expired     500ms",
                "sensors.temp  subscribed  yes           3  5m 0s  4m 59s      1m 30s",
                "z             subscribed  no            -  -      -           -");
    }

    @Test
    void topicsWithNothingSaysSo() {
        commands.topics(out);

        assertThat(lines()).containsExactly("no topics: nothing subscribed from this shell; no advertiser running");
    }

    @Test
    void transportsTableIsSortedBySchemeAndAligned() {
        NodeId id = FakeServices.id(0xab);
        services.transports.add(new FakeServices.FakeTransport("tcp", List.of(FakeServices.endpoint("tcp", 4433, id))));
        services.transports.add(new FakeServices.FakeTransport("quic",
                List.of(FakeServices.endpoint("quic", 4433, id), new io.hyphae.spi.transport.Endpoint("quic", "::1",
                        4433, id))));

        commands.transports(out);

        assertThat(lines()).containsExactly(
                "SCHEME  LISTENING ON                              MAX FRAME",
                "quic    quic://127.0.0.1:4433, quic://[::1]:4433  1052672 B",
                "tcp     tcp://127.0.0.1:4433                      1052672 B");
    }

    @Test
    void statsMergesEverySourceSortedAndFiltersByPrefix() {
        services.stats.add(FakeServices.stats("router", Map.of("router.sent", 12L, "router.qos1.retries", 3L)));
        services.stats.add(FakeServices.stats("node", Map.of("node.published", 1500L)));

        commands.stats(out);
        assertThat(lines()).containsExactly(
                "COUNTER              VALUE",
                "node.published        1500",
                "router.qos1.retries      3",
                "router.sent             12");

        commands.stats(out, "router.q");
        assertThat(lines()).containsExactly(
                "COUNTER              VALUE",
                "router.qos1.retries      3");

        commands.stats(out, "dht");
        assertThat(lines()).containsExactly("no counter starts with \"dht\"");
    }

    @Test
    void peersListsTheClosestContactsWithTiming() {
        services.dht = new FakeServices.FakeDht();
        NodeId peer = FakeServices.id(0x01);
        services.dht.contacts = CompletableFuture.completedFuture(List.of(new Contact(peer,
                List.of(FakeServices.endpoint("quic", 4434, peer), FakeServices.endpoint("tcp", 4434, peer)))));
        services.stats.add(FakeServices.stats("quic", Map.of("quic.connections.open", 1L, "quic.frames", 9L)));

        commands.peers(out);

        assertThat(lines()).containsExactly(
                "node abababab: 1 closest peer answered (0.0 ms)",
                "PEER      ENDPOINTS",
                "01010101  quic://127.0.0.1:4434, tcp://127.0.0.1:4434",
                "",
                "COUNTER                VALUE",
                "quic.connections.open      1");
    }

    @Test
    void peersReportsALookupThatFails() {
        services.dht = new FakeServices.FakeDht();
        services.dht.contacts = CompletableFuture.failedFuture(new IllegalStateException("no transport"));

        commands.peers(out);

        assertThat(lines()).containsExactly("DHT lookup failed: no transport");
    }

    @Test
    void discoverShowsACacheHit() {
        NodeId sub = FakeServices.id(0x07);
        services.discovery = discovery((topic, waiter) -> new Discovery.Discovered.Cached(topic,
                List.of(new Subscriber(sub, List.of(FakeServices.endpoint("quic", 4435, sub)), 4,
                        NOW.plusSeconds(61)))));

        commands.discover(out, "a.b");

        assertThat(lines()).containsExactly(
                "a.b: cache hit, 1 subscriber (0.0 ms)",
                "SUBSCRIBER  ENDPOINTS              SEQ  EXPIRES IN",
                "07070707    quic://127.0.0.1:4435    4  1m 1s");
    }

    @Test
    void discoverWaitsForTheDhtAnswerAndTimesIt() {
        services.discovery = discovery((topic, waiter) -> {
            nanos.addAndGet(412_000_000);
            waiter.onSubscribers(List.of());
            return new Discovery.Discovered.QuerySent(5, 1, false);
        });

        commands.discover(out, "a.b");

        assertThat(lines()).containsExactly("a.b: DHT query #5 answered, 0 subscribers (412.0 ms)");
    }

    @Test
    void discoverReportsADroppedQuery() {
        services.discovery = discovery((topic, waiter) -> {
            waiter.onDropped("query timed out");
            return new Discovery.Discovered.QuerySent(6, 2, true);
        });

        commands.discover(out, "a.b");

        assertThat(lines()).containsExactly(
                "a.b: DHT query #6 (joined one in flight) dropped after 0.0 ms: query timed out");
    }

    @Test
    void discoverWithoutAnAnswerInTimeSaysSo() {
        services.discovery = discovery((topic, waiter) -> new Discovery.Discovered.QuerySent(7, 1, false));

        commands.discover(out, "a.b");

        assertThat(lines()).containsExactly("a.b: DHT query #7 gave no answer within 200ms");
    }

    private static Advertiser advertiser(List<Advertiser.Advertisement> ads) {
        return new Advertiser() {
            @Override
            public Advertisement advertise(Topic topic) {
                throw new UnsupportedOperationException();
            }

            @Override
            public boolean cancel(Topic topic) {
                throw new UnsupportedOperationException();
            }

            @Override
            public List<Advertisement> advertisements() {
                return new ArrayList<>(ads);
            }
        };
    }

    private interface DiscoverFunction {
        Discovery.Discovered discover(Topic topic, Discovery.Waiter waiter);
    }

    private static Discovery discovery(DiscoverFunction f) {
        return new Discovery() {
            @Override
            public Discovered discover(Topic topic, Waiter waiter) {
                return f.discover(topic, waiter);
            }

            @Override
            public void evict(Topic topic, NodeId subscriber) {
            }

            @Override
            public boolean withdrawn(Record withdrawal) {
                return false;
            }
        };
    }
}
