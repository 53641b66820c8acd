package io.hyphae.discovery;

import io.hyphae.api.Topic;
import io.hyphae.spi.concurrent.Scheduler;
import io.hyphae.spi.dht.Dht;
import io.hyphae.spi.dht.Key;
import io.hyphae.spi.dht.Record;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

/**
 * Sends discovery's FIND_VALUE queries and brings each outcome back onto discovery's scheduler: checking signatures
 * and calling waiters is discovery's work, not the DHT thread's. Thread safe; call holding no lock.
 */
final class DhtQueries {

    private final Dht dht;
    private final String realm;
    private final Scheduler scheduler;
    private final DiscoveryStats stats;
    private final BiConsumer<Long, List<Record>> answered;
    private final BiConsumer<Long, Throwable> failed;

    /** {@code answered} and {@code failed} are called on {@code scheduler} with the query id. */
    DhtQueries(Dht dht, String realm, Scheduler scheduler, DiscoveryStats stats,
               BiConsumer<Long, List<Record>> answered, BiConsumer<Long, Throwable> failed) {
        this.dht = dht;
        this.realm = realm;
        this.scheduler = scheduler;
        this.stats = stats;
        this.answered = answered;
        this.failed = failed;
    }

    void send(long queryId, Topic topic) {
        stats.queriesSent.increment();
        CompletionStage<List<Record>> answer;
        try {
            answer = dht.findValue(Key.ofTopic(realm, topic));
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((records, failure) -> scheduler.execute(() -> {
            if (failure != null) {
                stats.dhtFailures.increment();
                failed.accept(queryId, failure);
            } else {
                answered.accept(queryId, records);
            }
        }));
    }
}
