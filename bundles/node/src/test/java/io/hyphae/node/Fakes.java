package io.hyphae.node;

import io.hyphae.api.Message;
import io.hyphae.api.MessageHandler;
import io.hyphae.api.NodeId;
import io.hyphae.api.Topic;
import io.hyphae.spi.dht.Record;
import io.hyphae.spi.pubsub.Advertiser;
import io.hyphae.spi.pubsub.Discovery;
import io.hyphae.spi.pubsub.Router;
import io.hyphae.spi.pubsub.Subscriber;
import io.hyphae.spi.transport.Endpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Scripted collaborators of a node. */
final class Fakes {
    private Fakes() {
    }

    static NodeId node(int n) {
        byte[] b = new byte[NodeId.BYTES];
        Arrays.fill(b, (byte) n);
        return NodeId.of(b);
    }

    static Subscriber subscriber(NodeId id) {
        return new Subscriber(id, List.of(new Endpoint("mem", "n" + id.shortHex(), 1, id)), 1,
                Instant.parse("2030-01-01T00:00:00Z"));
    }

    /** Records advertise and cancel calls, in order, as "+topic" and "-topic". */
    static final class FakeAdvertiser implements Advertiser {
        final List<String> calls = new ArrayList<>();

        @Override
        public synchronized Advertisement advertise(Topic topic) {
            calls.add("+" + topic);
            return new Advertisement(topic, Duration.ofSeconds(300), 1, Instant.EPOCH, Instant.EPOCH);
        }

        @Override
        public synchronized boolean cancel(Topic topic) {
            calls.add("-" + topic);
            return true;
        }

        @Override
        public List<Advertisement> advertisements() {
            return List.of();
        }
    }

    /** Answers from {@link #cache} when it holds the topic, else parks the waiter in {@link #waiting}. */
    static final class FakeDiscovery implements Discovery {
        final Map<Topic, List<Subscriber>> cache = new HashMap<>();
        final List<Waiter> waiting = new ArrayList<>();
        final List<String> evicted = new ArrayList<>();

        @Override
        public synchronized Discovered discover(Topic topic, Waiter waiter) {
            List<Subscriber> cached = cache.get(topic);
            if (cached != null) {
                return new Discovered.Cached(topic, cached);
            }
            waiting.add(waiter);
            return new Discovered.QuerySent(waiting.size(), waiting.size(), waiting.size() > 1);
        }

        @Override
        public synchronized void evict(Topic topic, NodeId subscriber) {
            evicted.add(topic + "/" + subscriber.shortHex());
        }

        @Override
        public boolean withdrawn(Record withdrawal) {
            return false;
        }
    }

    /** Records routes; each completes when the test completes its future. */
    static final class FakeRouter implements Router {
        record Routed(Message message, List<Subscriber> subscribers, CompletableFuture<Delivery> delivery) {
        }

        final List<Routed> routed = new ArrayList<>();
        final List<MessageHandler> sinks = new ArrayList<>();

        @Override
        public synchronized CompletionStage<Delivery> route(Message message, List<Subscriber> subscribers) {
            Routed r = new Routed(message, subscribers, new CompletableFuture<>());
            routed.add(r);
            return r.delivery();
        }

        @Override
        public synchronized Registration deliverTo(MessageHandler sink) {
            sinks.add(sink);
            return () -> {
                synchronized (FakeRouter.this) {
                    sinks.remove(sink);
                }
            };
        }

        /** A message arrives from another node. */
        void inbound(Message m) {
            List<MessageHandler> copy;
            synchronized (this) {
                copy = List.copyOf(sinks);
            }
            copy.forEach(s -> s.onMessage(m));
        }
    }
}
