package io.hyphae.router;

import io.hyphae.api.Message;
import io.hyphae.api.MessageId;
import io.hyphae.api.NodeId;
import io.hyphae.api.Qos;
import io.hyphae.api.Topic;
import io.hyphae.spi.concurrent.VirtualTime;
import io.hyphae.spi.pubsub.Subscriber;
import io.hyphae.spi.transport.Endpoint;
import io.hyphae.spi.transport.Peer;
import io.hyphae.wire.Frames;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Ids, messages and subscribers for router tests. */
final class Fixtures {
    static final Random RANDOM = new Random(7);

    private Fixtures() {
    }

    static NodeId node(int n) {
        byte[] b = new byte[NodeId.BYTES];
        Arrays.fill(b, (byte) n);
        return NodeId.of(b);
    }

    static Endpoint endpoint(String scheme, String host, NodeId id) {
        return new Endpoint(scheme, host, 7000, id);
    }

    static Subscriber subscriber(NodeId id, Endpoint... endpoints) {
        return new Subscriber(id, List.of(endpoints), 1, Instant.parse("2030-01-01T00:00:00Z"));
    }

    static Message message(VirtualTime time, NodeId publisher, Qos qos) {
        return new Message(MessageId.random(RANDOM), "default", Topic.of("a.b"), new byte[] {1, 2, 3}, qos, publisher,
                time.now());
    }

    static Frames.Route route(Message m) {
        return new Frames.Route(m.id(), m.realm(), m.topic(), m.payload(), m.qos(), m.publisher(), m.publishedAt(), 0);
    }

    static Peer peer(NodeId id) {
        return new Peer(id, "mem", "host-" + id.shortHex() + ":7000");
    }
}
