package io.hyphae.router;

import io.hyphae.api.MessageId;
import java.time.Clock;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The message ids seen lately, bounded both in count and in time: an id is forgotten after {@code windowMs} or when
 * {@code maxIds} newer ids came. Thread safe; the lock guards only the map.
 */
final class DedupeWindow {
    private final int maxIds;
    private final long windowMs;
    private final Clock clock;
    private final LinkedHashMap<MessageId, Long> seenAtMs = new LinkedHashMap<>();

    DedupeWindow(int maxIds, long windowMs, Clock clock) {
        this.maxIds = maxIds;
        this.windowMs = windowMs;
        this.clock = clock;
    }

    /** Records {@code id}; true when it was not in the window (the message is new). */
    synchronized boolean firstSeen(MessageId id) {
        long now = clock.millis();
        forgetOld(now);
        if (seenAtMs.containsKey(id)) {
            return false;
        }
        if (seenAtMs.size() >= maxIds) {
            Iterator<MessageId> oldest = seenAtMs.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        seenAtMs.put(id, now);
        return true;
    }

    /** Forgets {@code id}, so a retry of it is taken again (its delivery failed before it was accepted). */
    synchronized void forget(MessageId id) {
        seenAtMs.remove(id);
    }

    synchronized int size() {
        forgetOld(clock.millis());
        return seenAtMs.size();
    }

    private void forgetOld(long nowMs) {
        Iterator<Map.Entry<MessageId, Long>> it = seenAtMs.entrySet().iterator();
        while (it.hasNext()) {
            if (nowMs - it.next().getValue() < windowMs) {
                return; // insertion order is time order
            }
            it.remove();
        }
    }
}
