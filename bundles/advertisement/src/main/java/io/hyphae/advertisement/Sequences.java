package io.hyphae.advertisement;

import io.hyphae.api.Topic;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Record versions per topic: {@code max(last + 1, epochMillis)}, so a version grows with every store of a topic in
 * this run and, as long as the clock does not go back, across restarts too (a new run starts from the clock, which
 * has passed every version the last run used unless it stored one topic more than once a millisecond). The last
 * version of a cancelled topic is kept until the clock passes it, so advertising again at once still wins over the
 * withdrawal. Not thread safe: guarded by the owner's lock.
 */
final class Sequences {
    private final Map<Topic, Long> last = new HashMap<>();

    long next(Topic topic, long nowMillis) {
        Long previous = last.get(topic);
        long seq = previous == null ? nowMillis : Math.max(previous + 1, nowMillis);
        last.put(topic, seq);
        return seq;
    }

    /** Forgets the versions the clock has passed, except those of {@code live} topics. */
    void prune(long nowMillis, Map<Topic, ?> live) {
        for (Iterator<Map.Entry<Topic, Long>> it = last.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Topic, Long> e = it.next();
            if (e.getValue() < nowMillis && !live.containsKey(e.getKey())) {
                it.remove();
            }
        }
    }

    int size() {
        return last.size();
    }
}
