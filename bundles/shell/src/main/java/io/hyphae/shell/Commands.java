package io.hyphae.shell;

import io.hyphae.api.HyphaeException;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Every {@code hyphae:} command, as plain methods that print to a stream: {@link HyphaeCommands} calls them with the
 * session's console, tests with a buffer. A command never throws: bad arguments print the reason and the usage line,
 * a missing service or a refused topic prints one line. Thread safe.
 */
final class Commands implements AutoCloseable {
    /** How long a command waits for the network (a receipt, a DHT answer) by default. */
    static final Duration DEFAULT_WAIT = Duration.ofSeconds(10);

    private final PubSubCommands pubSub;
    private final MeshCommands mesh;

    Commands(Services services, Clock clock, LongSupplier nanoTime, Duration wait) {
        this.pubSub = new PubSubCommands(services, clock, wait);
        this.mesh = new MeshCommands(services, clock, nanoTime, wait);
    }

    void subscribe(PrintStream out, Object... args) {
        run(out, PubSubCommands.SUBSCRIBE, o -> pubSub.subscribe(o, args));
    }

    void unsubscribe(PrintStream out, Object... args) {
        run(out, PubSubCommands.UNSUBSCRIBE, o -> pubSub.unsubscribe(o, args));
    }

    void publish(PrintStream out, Object... args) {
        run(out, PubSubCommands.PUBLISH, o -> pubSub.publish(o, args));
    }

    void topics(PrintStream out, Object... args) {
        run(out, PubSubCommands.TOPICS, o -> pubSub.topics(o, args));
    }

    void peers(PrintStream out, Object... args) {
        run(out, MeshCommands.PEERS, o -> mesh.peers(o, args));
    }

    void discover(PrintStream out, Object... args) {
        run(out, MeshCommands.DISCOVER, o -> mesh.discover(o, args));
    }

    void transports(PrintStream out, Object... args) {
        run(out, MeshCommands.TRANSPORTS, o -> mesh.transports(o, args));
    }

    void stats(PrintStream out, Object... args) {
        run(out, MeshCommands.STATS, o -> mesh.stats(o, args));
    }

    private static void run(PrintStream out, String usage, Consumer<PrintStream> command) {
        try {
            command.accept(out);
        } catch (UsageException | HyphaeException e) {
            // HyphaeException here is API misuse by the user: an invalid topic or a payload over the limit
            out.println(e.getMessage());
            out.println("usage: " + usage);
        } catch (NoServiceException e) {
            out.println(e.getMessage());
        }
    }

    /** Ends the subscriptions made from the shell. */
    @Override
    public void close() {
        pubSub.close();
    }
}
