package io.hyphae.node;

import io.hyphae.api.MessageHandler;
import io.hyphae.api.Topic;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * This node's subscriptions by topic. Reads (the delivery path) take no lock; changes take this object's lock and
 * queue the advertise (first subscription of a topic) or cancel (last one closed) on a {@link SerialRunner}, so the
 * advertiser sees them in the order the subscriptions changed, and is called with no lock held.
 */
final class LocalSubscriptions {
    private final ConcurrentHashMap<Topic, CopyOnWriteArrayList<LocalSubscription>> byTopic =
            new ConcurrentHashMap<>();
    private final SerialRunner control = new SerialRunner();
    private final Consumer<Topic> onFirst;
    private final Consumer<Topic> onLast;

    /**
     * @param onFirst called when a topic gets its first subscription (advertise)
     * @param onLast  called when a topic loses its last subscription (cancel)
     */
    LocalSubscriptions(Consumer<Topic> onFirst, Consumer<Topic> onLast) {
        this.onFirst = onFirst;
        this.onLast = onLast;
    }

    LocalSubscription add(Topic topic, MessageHandler handler, Consumer<LocalSubscription> close) {
        LocalSubscription s = new LocalSubscription(topic, handler, close);
        synchronized (this) {
            CopyOnWriteArrayList<LocalSubscription> list = byTopic.computeIfAbsent(topic,
                    t -> new CopyOnWriteArrayList<>());
            if (list.isEmpty()) {
                control.submit(() -> onFirst.accept(topic));
            }
            list.add(s);
        }
        control.drain();
        return s;
    }

    /** Removes {@code s}; true when it was live. */
    boolean remove(LocalSubscription s) {
        boolean removed;
        synchronized (this) {
            CopyOnWriteArrayList<LocalSubscription> list = byTopic.get(s.topic());
            removed = list != null && list.remove(s);
            if (removed && list.isEmpty()) {
                byTopic.remove(s.topic());
                control.submit(() -> onLast.accept(s.topic()));
            }
        }
        control.drain();
        return removed;
    }

    /** The live subscriptions of {@code topic}; empty when none. Lock free. */
    List<LocalSubscription> of(Topic topic) {
        List<LocalSubscription> list = byTopic.get(topic);
        return list == null ? List.of() : list;
    }

    /** Removes every subscription (the node closes); answers them, to be marked closed. No cancel is queued. */
    synchronized List<LocalSubscription> clear() {
        List<LocalSubscription> all = new ArrayList<>();
        for (Map.Entry<Topic, CopyOnWriteArrayList<LocalSubscription>> e : byTopic.entrySet()) {
            all.addAll(e.getValue());
        }
        byTopic.clear();
        return all;
    }

    /** Topics with at least one subscription. */
    List<Topic> topics() {
        return List.copyOf(byTopic.keySet());
    }
}
