package io.hyphae.shell;

import io.hyphae.api.Message;
import io.hyphae.api.MessageHandler;
import io.hyphae.api.MessageId;
import io.hyphae.api.NodeId;
import io.hyphae.api.PubSub;
import io.hyphae.api.PublishReceipt;
import io.hyphae.api.Qos;
import io.hyphae.api.Subscription;
import io.hyphae.api.Topic;
import io.hyphae.spi.dht.Contact;
import io.hyphae.spi.dht.Dht;
import io.hyphae.spi.dht.Key;
import io.hyphae.spi.dht.Record;
import io.hyphae.spi.pubsub.Advertiser;
import io.hyphae.spi.pubsub.Discovery;
import io.hyphae.spi.stats.StatsSource;
import io.hyphae.spi.transport.Endpoint;
import io.hyphae.spi.transport.Frame;
import io.hyphae.spi.transport.Transport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/** Scripted services: set a field to make a service present. */
final class FakeServices implements Services {
    FakeNode node;
    Advertiser advertiser;
    Discovery discovery;
    FakeDht dht;
    final List<Transport> transports = new ArrayList<>();
    final List<StatsSource> stats = new ArrayList<>();

    static NodeId id(int n) {
        byte[] b = new byte[NodeId.BYTES];
        Arrays.fill(b, (byte) n);
        return NodeId.of(b);
    }

    static Endpoint endpoint(String scheme, int port, NodeId id) {
        return new Endpoint(scheme, "127.0.0.1", port, id);
    }

    @Override
    public Optional<PubSub> node() {
        return Optional.ofNullable(node);
    }

    @Override
    public Optional<Advertiser> advertiser() {
        return Optional.ofNullable(advertiser);
    }

    @Override
    public Optional<Discovery> discovery() {
        return Optional.ofNullable(discovery);
    }

    @Override
    public Optional<Dht> dht() {
        return Optional.ofNullable(dht);
    }

    @Override
    public List<Transport> transports() {
        return transports;
    }

    @Override
    public List<StatsSource> statsSources() {
        return stats;
    }

    static StatsSource stats(String module, Map<String, Long> counters) {
        return new StatsSource() {
            @Override
            public String module() {
                return module;
            }

            @Override
            public SortedMap<String, Long> snapshot() {
                return new TreeMap<>(counters);
            }
        };
    }

    /** Delivers published messages to its own subscribers at once; answers the receipt it is given. */
    static final class FakeNode implements PubSub {
        final NodeId id = id(0xab);
        final List<MessageHandler> handlers = new CopyOnWriteArrayList<>();
        final List<String> published = new ArrayList<>();
        int closed;
        CompletionStage<PublishReceipt> receipt;

        @Override
        public NodeId nodeId() {
            return id;
        }

        @Override
        public String realm() {
            return "default";
        }

        @Override
        public CompletionStage<PublishReceipt> publish(Topic topic, byte[] payload, Qos qos) {
            published.add(topic + " " + new String(payload) + " " + qos);
            return receipt != null ? receipt : CompletableFuture.completedFuture(
                    new PublishReceipt(MessageId.random(new java.util.Random(7)), topic, qos, handlers.size(), 2, 2));
        }

        void deliver(Topic topic, String text) {
            Message m = new Message(MessageId.random(new java.util.Random(7)), "default", topic, text.getBytes(), Qos.AT_MOST_ONCE, id(0x12),
                    Instant.EPOCH);
            handlers.forEach(h -> h.onMessage(m));
        }

        @Override
        public Subscription subscribe(Topic topic, MessageHandler handler) {
            handlers.add(handler);
            return new Subscription() {
                boolean active = true;

                @Override
                public Topic topic() {
                    return topic;
                }

                @Override
                public boolean isActive() {
                    return active;
                }

                @Override
                public void close() {
                    if (active) {
                        active = false;
                        closed++;
                        handlers.remove(handler);
                    }
                }
            };
        }
    }

    static final class FakeDht implements Dht {
        CompletionStage<List<Contact>> contacts = CompletableFuture.completedFuture(List.of());

        @Override
        public NodeId localId() {
            return id(0xab);
        }

        @Override
        public CompletionStage<Integer> store(Record record) {
            return CompletableFuture.completedFuture(0);
        }

        @Override
        public CompletionStage<List<Record>> findValue(Key key) {
            return CompletableFuture.completedFuture(List.of());
        }

        @Override
        public CompletionStage<List<Contact>> findNode(Key target) {
            return contacts;
        }
    }

    static final class FakeTransport implements Transport {
        private final String scheme;
        private final List<Endpoint> endpoints;

        FakeTransport(String scheme, List<Endpoint> endpoints) {
            this.scheme = scheme;
            this.endpoints = endpoints;
        }

        @Override
        public String scheme() {
            return scheme;
        }

        @Override
        public List<Endpoint> localEndpoints() {
            return endpoints;
        }

        @Override
        public int maxFrameBytes() {
            return 1_048_576 + 4096;
        }

        @Override
        public CompletionStage<Frame> request(Endpoint to, Frame request, Duration timeout) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<Void> send(Endpoint to, Frame message) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Registration register(io.hyphae.spi.transport.InboundHandler handler) {
            throw new UnsupportedOperationException();
        }
    }
}
