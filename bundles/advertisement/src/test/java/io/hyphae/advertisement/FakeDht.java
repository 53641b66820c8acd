package io.hyphae.advertisement;

import io.hyphae.api.NodeId;
import io.hyphae.spi.dht.Contact;
import io.hyphae.spi.dht.Dht;
import io.hyphae.spi.dht.DhtException;
import io.hyphae.spi.dht.Key;
import io.hyphae.spi.dht.Record;
import io.hyphae.spi.pubsub.Signatures;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/** A DHT that records every store; stores verify like a real node's, and may be made to fail or hang. */
final class FakeDht implements Dht {
    final List<Record> stores = new CopyOnWriteArrayList<>();
    volatile boolean failing;
    volatile boolean hanging;

    @Override
    public NodeId localId() {
        return NodeId.of(new byte[32]);
    }

    @Override
    public CompletionStage<Integer> store(Record record) {
        if (!Signatures.verify(record.publisher(), record.publicKey(), record.signedBytes(), record.signature())) {
            return CompletableFuture.failedFuture(new DhtException("record does not verify"));
        }
        stores.add(record);
        if (hanging) {
            return new CompletableFuture<>();
        }
        return failing ? CompletableFuture.failedFuture(new DhtException("no node reachable"))
                : CompletableFuture.completedFuture(1);
    }

    @Override
    public CompletionStage<List<Record>> findValue(Key key) {
        return CompletableFuture.completedFuture(List.of());
    }

    @Override
    public CompletionStage<List<Contact>> findNode(Key target) {
        return CompletableFuture.completedFuture(List.of());
    }

    Record last() {
        return stores.get(stores.size() - 1);
    }

    List<Record> under(Key key) {
        List<Record> out = new ArrayList<>();
        for (Record r : stores) {
            if (r.key().equals(key)) {
                out.add(r);
            }
        }
        return out;
    }
}
