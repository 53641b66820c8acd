package io.hyphae.dht;

import io.hyphae.api.NodeId;
import io.hyphae.identity.Ed25519Identity;
import io.hyphae.spi.dht.Contact;
import io.hyphae.spi.dht.Key;
import io.hyphae.spi.dht.Record;
import io.hyphae.spi.transport.Endpoint;
import io.hyphae.spi.transport.Frame;
import io.hyphae.spi.transport.InboundHandler;
import io.hyphae.spi.transport.Peer;
import io.hyphae.wire.Frames;
import io.hyphae.wire.WireLimits;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/** A node that answers DHT requests with garbage of one kind (garbage the wire codec still carries). */
final class HostileHandler implements InboundHandler {
    /** The kinds of garbage. */
    enum Kind { TOO_MANY_CONTACTS, BOGUS_ENDPOINTS, FORGED_RECORDS, WRONG_KEY_RECORDS, NEVER_ANSWERS, WRONG_TYPE }

    private final Kind kind;
    private final Random random;
    private final Supplier<Instant> now;
    private final Ed25519Identity forger = Ed25519Identity.generate();

    HostileHandler(Kind kind, Random random, Supplier<Instant> now) {
        this.kind = kind;
        this.random = random;
        this.now = now;
    }

    @Override
    public boolean accepts(Frame frame) {
        return true;
    }

    @Override
    public CompletionStage<? extends Frame> onRequest(Peer from, Frame request) {
        Key key = request instanceof Frames.FindValue fv ? fv.key()
                : request instanceof Frames.FindNode fn ? fn.target() : null;
        return switch (kind) {
            case NEVER_ANSWERS -> new CompletableFuture<Frame>();
            case WRONG_TYPE -> CompletableFuture.completedFuture(new Frames.Stored(7));
            // as many as the wire carries, more than the DHT's k = 20
            case TOO_MANY_CONTACTS -> CompletableFuture.completedFuture(answer(request,
                    fakeContacts(WireLimits.MAX_CONTACTS, "mem"), List.of()));
            case BOGUS_ENDPOINTS -> CompletableFuture.completedFuture(answer(request, fakeContacts(20, "bogus"),
                    List.of()));
            case FORGED_RECORDS -> CompletableFuture.completedFuture(answer(request, List.of(),
                    key == null ? List.of() : List.of(forged(key))));
            case WRONG_KEY_RECORDS -> CompletableFuture.completedFuture(answer(request, List.of(),
                    key == null ? List.of() : List.of(Records.signed(forger, Key.of(Ids.random(random)), 1,
                            now.get().plusSeconds(60)))));
        };
    }

    private static Frame answer(Frame request, List<Contact> contacts, List<Record> records) {
        if (request instanceof Frames.FindValue) {
            return new Frames.Values(records, contacts, false);
        }
        if (request instanceof Frames.Ping ping) {
            // answers as another node than the one dialled
            return new Frames.Pong(Ids.contact(Ids.random(new Random(ping.hashCode()))));
        }
        return new Frames.Nodes(contacts);
    }

    private Record forged(Key key) {
        Record real = Records.signed(forger, key, 1, now.get().plusSeconds(60));
        byte[] sig = real.signature();
        sig[0] ^= 1;
        return new Record(key, forger.nodeId(), 1, real.expiresAt(), real.value(), real.publicKey(), sig);
    }

    private List<Contact> fakeContacts(int n, String scheme) {
        List<Contact> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            NodeId id = Ids.random(random);
            out.add(new Contact(id, List.of(new Endpoint(scheme, "nowhere" + i, 1, id))));
        }
        return out;
    }

    @Override
    public void onMessage(Peer from, Frame message) {
    }
}
