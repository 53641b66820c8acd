package io.hyphae.node;

import io.hyphae.api.Message;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands messages to local handlers on the handler executor, never on the caller's (network) thread. A handler that
 * throws is counted and logged (once per subscription and window) and harms neither the node nor other handlers; a
 * full executor drops the message for that handler, counted.
 */
final class LocalDelivery {
    private static final Logger LOG = LoggerFactory.getLogger(LocalDelivery.class);
    private final Executor handlers;
    private final NodeStats stats;
    private final Clock clock;
    private final long logWindowMs;
    private final ConcurrentHashMap<LocalSubscription, Long> loggedAtMs = new ConcurrentHashMap<>();
    private volatile long rejectedLoggedAtMs = Long.MIN_VALUE;

    LocalDelivery(Executor handlers, NodeStats stats, Clock clock, long logWindowMs) {
        this.handlers = handlers;
        this.stats = stats;
        this.clock = clock;
        this.logWindowMs = logWindowMs;
    }

    /** Queues {@code message} for each of {@code subscriptions}; answers how many took it. */
    int deliver(Message message, List<LocalSubscription> subscriptions) {
        int handed = 0;
        for (LocalSubscription s : subscriptions) {
            try {
                handlers.execute(() -> run(s, message));
                handed++;
            } catch (RejectedExecutionException full) {
                stats.handlerRejected.increment();
                long now = clock.millis();
                if (now - rejectedLoggedAtMs >= logWindowMs) {
                    rejectedLoggedAtMs = now;
                    LOG.warn("handler queue is full, dropping {} for {}", message, s);
                }
            }
        }
        stats.handed.add(handed);
        return handed;
    }

    /** Runs {@code task} on the handler executor, or here when the executor refuses it. */
    void completeOnHandlers(Runnable task) {
        try {
            handlers.execute(task);
        } catch (RejectedExecutionException full) {
            task.run();
        }
    }

    /** Forgets the log window of a closed subscription. */
    void forget(LocalSubscription s) {
        loggedAtMs.remove(s);
    }

    private void run(LocalSubscription s, Message message) {
        try {
            s.deliver(message);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (RuntimeException | Error e) { // a handler's failure stays its own
            stats.handlerErrors.increment();
            long now = clock.millis();
            Long last = loggedAtMs.get(s);
            if (last == null || now - last >= logWindowMs) {
                loggedAtMs.put(s, now);
                LOG.warn("handler of {} failed on {}", s, message, e);
            }
        }
    }
}
