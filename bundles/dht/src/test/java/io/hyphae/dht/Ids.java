package io.hyphae.dht;

import io.hyphae.api.NodeId;
import io.hyphae.spi.dht.Contact;
import io.hyphae.spi.dht.Key;
import io.hyphae.spi.transport.Endpoint;
import java.util.List;
import java.util.Random;

/** Ids and contacts for tests. */
final class Ids {
    private Ids() {
    }

    static NodeId random(Random random) {
        byte[] b = new byte[NodeId.BYTES];
        random.nextBytes(b);
        return NodeId.of(b);
    }

    /** An id sharing exactly {@code prefix} leading bits with {@code base}. */
    static NodeId inBucket(NodeId base, int prefix, Random random) {
        return NodeId.of(Xor.randomInBucket(base, prefix, random::nextLong).toBytes());
    }

    static Contact contact(NodeId id) {
        return new Contact(id, List.of(new Endpoint("mem", "h" + id.shortHex(), 1, id)));
    }

    static Key key(NodeId id) {
        return Key.of(id);
    }
}
