package io.hyphae.discovery;

import io.hyphae.api.NodeId;
import io.hyphae.spi.dht.Contact;
import io.hyphae.spi.dht.Dht;
import io.hyphae.spi.dht.DhtException;
import io.hyphae.spi.dht.Key;
import io.hyphae.spi.dht.Record;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A DHT whose FIND_VALUE answers what the test put under a key: at once, or when the test completes the held query,
 * or never (a lost query), or with a failure. It serves records as given, unverified, as a hostile node would.
 */
final class FakeDht implements Dht {
    enum Mode { ANSWER, HOLD, FAIL }

    final Map<Key, List<Record>> records = new ConcurrentHashMap<>();
    final List<Key> queries = new CopyOnWriteArrayList<>();
    final List<CompletableFuture<List<Record>>> held = new CopyOnWriteArrayList<>();
    private final NodeId self;
    volatile Mode mode = Mode.ANSWER;

    FakeDht(NodeId self) {
        this.self = self;
    }

    void put(Record record) {
        putUnder(record.key(), record);
    }

    /** Serves {@code record} under {@code key}, whatever key it names, as a confused or hostile node might. */
    void putUnder(Key key, Record record) {
        records.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(record);
    }

    /** Completes the {@code i}-th held query with what is under its key now. */
    void answer(int i) {
        held.get(i).complete(List.copyOf(records.getOrDefault(queries.get(i), List.of())));
    }

    @Override
    public NodeId localId() {
        return self;
    }

    @Override
    public CompletionStage<Integer> store(Record record) {
        put(record);
        return CompletableFuture.completedFuture(1);
    }

    @Override
    public CompletionStage<List<Record>> findValue(Key key) {
        queries.add(key);
        CompletableFuture<List<Record>> future = new CompletableFuture<>();
        held.add(future);
        switch (mode) {
            case ANSWER -> future.complete(new ArrayList<>(records.getOrDefault(key, List.of())));
            case FAIL -> future.completeExceptionally(new DhtException("no node reachable"));
            case HOLD -> { }
        }
        return future;
    }

    @Override
    public CompletionStage<List<Contact>> findNode(Key target) {
        return CompletableFuture.completedFuture(List.of());
    }
}
