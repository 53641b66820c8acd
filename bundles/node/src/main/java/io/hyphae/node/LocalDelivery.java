package io.hyphae.node;

import io.hyphae.api.Message;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands messages to local handlers, and publish receipts to their continuations, on the handler executor, never on
 * the caller's (network) thread. A handler that throws is counted and logged (once per subscription and window) and
 * harms neither the node nor other handlers; a message that finds {@code capacity} messages already waiting is
 * dropped for that handler, counted.
 *
 * <p>Tasks wait in one lock-free queue that a few drain tasks on the executor empty, each running many tasks per
 * start: an executor task per message cost a thread wake-up per message, more than a 256-byte message is worth
 * (bench/, #6). One drainer runs while the queue is short; another starts for each {@value #TASKS_PER_DRAINER}
 * tasks waiting, up to {@code maxDrainers}, so slow handlers still get every handler thread.
 *
 * <p>A drainer that emptied the queue lingers a little before it leaves, yielding its core
 * ({@value #LINGER_YIELDS} times {@link Thread#yield()}) while it checks for more: tasks that come a few microseconds
 * apart (a stream of messages, receipts of a publisher's window) then run on the thread already awake instead of each
 * waking a parked one (a futex wake on the network thread, a context switch on the handler's; bench/, #6). Yielding,
 * not spinning: a thread that has work takes the core at once. Only one drainer lingers at a time.
 *
 * <p>With no handler threads ({@code maxDrainers} 0, {@code handlerThreads=0}) every task runs on the thread that
 * hands it over: a message on the network thread that read it (or the publisher's, for a local subscriber), a receipt
 * continuation on the thread that completes the receipt. Nothing is queued and no thread is woken: the hand-off to a
 * handler thread costs about a third of the throughput of small messages on two cores (bench/, #6), which a handler
 * that never blocks need not pay. A task handed over while a task of this delivery runs on the same thread (a handler
 * that publishes to a topic it subscribes to here) waits until that one returns, so handlers never nest; at most
 * {@code capacity} messages wait so, beyond that they are dropped and counted. Thread safe.
 */
final class LocalDelivery {
    private static final Logger LOG = LoggerFactory.getLogger(LocalDelivery.class);
    /** Tasks waiting per running drainer before another one starts. */
    private static final int TASKS_PER_DRAINER = 64;
    /**
     * Checks for more work, with a yield between them, before a drainer that emptied the queue leaves. On the
     * quic-pubsub bench (one lingering drainer) 3, 10, 30 and 100 cost the same CPU per 256-byte message within the
     * noise (5.6 to 7.1 µs), but with 10 the QoS 1 round trip p50 came out 2x raw in two of three runs, with 100 at
     * most 1.5x: a drainer still lingering when the next message of a slow stream comes saves its wake-up.
     */
    static final int LINGER_YIELDS = 100;
    private final Executor handlers;
    private final int maxDrainers;
    private final int capacity;
    private final NodeStats stats;
    private final Clock clock;
    private final long logWindowMs;
    private final Runnable idle;
    private final int lingerYields;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger waiting = new AtomicInteger(); // tasks in the queue
    private final AtomicInteger waitingMessages = new AtomicInteger(); // message deliveries in the queue
    private final AtomicInteger drainers = new AtomicInteger();
    private final AtomicBoolean lingering = new AtomicBoolean(); // a drainer that emptied the queue waits for more
    private final Runnable drain = this::drain;
    private final ConcurrentHashMap<LocalSubscription, Long> loggedAtMs = new ConcurrentHashMap<>();
    /** No handler threads: tasks run on the caller's thread ({@link #runHere}); null with handler threads. */
    private final ThreadLocal<Running> runningHere;
    private volatile long rejectedLoggedAtMs = Long.MIN_VALUE;

    /**
     * @param handlers    runs the drain tasks; unused when {@code maxDrainers} is 0
     * @param maxDrainers tasks of this class the executor runs at once at most (its threads); 0 runs every task on
     *                    the thread that hands it over
     * @param capacity    messages that may wait for a handler thread
     */
    LocalDelivery(Executor handlers, int maxDrainers, int capacity, NodeStats stats, Clock clock, long logWindowMs) {
        this(handlers, maxDrainers, capacity, stats, clock, logWindowMs, Thread::yield, LINGER_YIELDS);
    }

    /** As above; a drainer that emptied the queue runs {@code idle} up to {@code lingerYields} times before leaving. */
    LocalDelivery(Executor handlers, int maxDrainers, int capacity, NodeStats stats, Clock clock, long logWindowMs,
                  Runnable idle, int lingerYields) {
        this.idle = idle;
        this.lingerYields = lingerYields;
        this.handlers = handlers;
        this.maxDrainers = maxDrainers;
        this.capacity = capacity;
        this.stats = stats;
        this.clock = clock;
        this.logWindowMs = logWindowMs;
        this.runningHere = maxDrainers == 0 ? ThreadLocal.withInitial(Running::new) : null;
    }

    /**
     * Queues {@code message} for each of {@code subscriptions} (without handler threads: runs their handlers here);
     * answers how many took it.
     */
    int deliver(Message message, List<LocalSubscription> subscriptions) {
        if (subscriptions.isEmpty()) {
            return 0; // a publisher's usual case: no iterator made for it
        }
        int handed = 0;
        for (LocalSubscription s : subscriptions) {
            if (runningHere != null) {
                if (runHere(new Delivery(s, message))) {
                    handed++;
                }
                continue;
            }
            if (waitingMessages.incrementAndGet() > capacity) {
                waitingMessages.decrementAndGet();
                rejected(message, s);
                continue;
            }
            submit(new Delivery(s, message));
            handed++;
        }
        stats.handed.add(handed);
        return handed;
    }

    /** Runs {@code task} on the handler executor, or here when the executor refuses it. */
    void completeOnHandlers(Runnable task) {
        submit(task);
    }

    /** Forgets the log window of a closed subscription. */
    void forget(LocalSubscription s) {
        loggedAtMs.remove(s);
    }

    private void submit(Runnable task) {
        if (runningHere != null) {
            runHere(task);
            return;
        }
        tasks.add(task);
        int queued = waiting.incrementAndGet();
        int running = drainers.get();
        while (running < maxDrainers && (running == 0 || queued > running * TASKS_PER_DRAINER)) {
            if (drainers.compareAndSet(running, running + 1)) {
                start();
                return;
            }
            running = drainers.get();
        }
    }

    private void start() {
        try {
            handlers.execute(drain);
        } catch (RejectedExecutionException full) {
            // The executor takes no more work (shut down, or a caller's full executor): as it used to, messages
            // are dropped and counted, receipts complete here. Drainers still running take care of the queue.
            if (drainers.decrementAndGet() == 0) {
                Runnable task;
                while ((task = poll()) != null) {
                    if (task instanceof Delivery d) {
                        rejected(d.message, d.subscription);
                    } else {
                        task.run();
                    }
                }
            }
        }
    }

    /**
     * Runs queued tasks until the queue is empty and stays so while it lingers; the drain that leaves last checks
     * nothing was left behind.
     */
    private void drain() {
        while (true) {
            Runnable task;
            while ((task = poll()) != null) {
                runGuarded(task);
            }
            if (lingerForMore()) {
                continue; // still counted as running, so submit() started no other drainer meanwhile
            }
            drainers.decrementAndGet();
            if (tasks.isEmpty()) {
                return; // a task added after this check sees this drainer gone and starts one
            }
            int running;
            do {
                running = drainers.get();
                if (running >= maxDrainers) {
                    return;
                }
            } while (!drainers.compareAndSet(running, running + 1));
        }
    }

    /**
     * Whether a task arrives while this drainer lingers. One drainer lingers at a time: the others that a burst
     * started leave at once, so that after a burst one thread, not every handler thread, yields the cores the network
     * threads need (bench/, #6).
     */
    private boolean lingerForMore() {
        if (!lingering.compareAndSet(false, true)) {
            return !tasks.isEmpty();
        }
        try {
            return moreWithin(lingerYields);
        } finally {
            lingering.set(false);
        }
    }

    /** Whether a task arrives while {@code idle} runs up to {@code yields} times. */
    private boolean moreWithin(int yields) {
        for (int i = 0; i < yields; i++) {
            if (!tasks.isEmpty()) {
                return true;
            }
            idle.run();
        }
        return !tasks.isEmpty();
    }

    /**
     * Runs {@code task} on this thread now, or, while a task of this delivery already runs on it, after that one;
     * false when it was a message and {@code capacity} messages wait so already (dropped and counted).
     */
    private boolean runHere(Runnable task) {
        Running here = runningHere.get();
        if (here.running) {
            if (task instanceof Delivery d && here.waitingMessages >= capacity) {
                rejected(d.message, d.subscription);
                return false;
            }
            here.later.add(task);
            if (task instanceof Delivery) {
                here.waitingMessages++;
            }
            return true;
        }
        here.running = true;
        try {
            runGuarded(task);
            Runnable next;
            while ((next = here.later.poll()) != null) {
                if (next instanceof Delivery) {
                    here.waitingMessages--;
                }
                runGuarded(next);
            }
        } finally {
            here.running = false; // after an Error, what still waits runs behind the next task on this thread
        }
        return true;
    }

    private static void runGuarded(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.error("handler task {} failed", task, e);
        }
    }

    /** What runs on one thread without handler threads: whether a task runs, and what waits behind it. */
    private static final class Running {
        final ArrayDeque<Runnable> later = new ArrayDeque<>();
        boolean running;
        int waitingMessages;
    }

    private Runnable poll() {
        Runnable task = tasks.poll();
        if (task != null) {
            waiting.decrementAndGet();
            if (task instanceof Delivery) {
                waitingMessages.decrementAndGet();
            }
        }
        return task;
    }

    private void rejected(Message message, LocalSubscription s) {
        stats.handlerRejected.increment();
        long now = clock.millis();
        if (now - rejectedLoggedAtMs >= logWindowMs) {
            rejectedLoggedAtMs = now;
            LOG.warn("handler queue is full, dropping {} for {}", message, s);
        }
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

    /** One message for one subscription. */
    private final class Delivery implements Runnable {
        final LocalSubscription subscription;
        final Message message;

        Delivery(LocalSubscription subscription, Message message) {
            this.subscription = subscription;
            this.message = message;
        }

        @Override
        public void run() {
            LocalDelivery.this.run(subscription, message);
        }
    }
}
