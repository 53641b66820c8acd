package io.hyphae.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives {@code run/target/hyphae.jar} as a user would: three nodes on loopback over QUIC, the second and third
 * bootstrapping from the first; subscribe on two, publish on the third, see the message on both, stop each with
 * SIGTERM. Records the startup time to "node ready" and the resident memory of one node in
 * {@code target/launcher-metrics.txt}.
 */
class ThreeNodeMeshIT {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    private static final String TOPIC = "chat.room";
    private static final Duration ADVERTISE_SETTLE = Duration.ofSeconds(2);
    private static final int ATTEMPTS = 5;

    private final List<JarNode> nodes = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void killWhatIsLeft() {
        nodes.forEach(JarNode::close);
    }

    private JarNode start(String name, String... flags) throws IOException {
        Path jar = JarNode.builtJar();
        assertThat(jar).as("the exported jar (mvn package)").isRegularFile();
        // port 0: any free port, so that the test never collides with a running node
        List<String> all = new ArrayList<>(List.of("--port", "0"));
        all.addAll(List.of(flags));
        JarNode node = JarNode.start(name, jar, dir.resolve(name), all.toArray(String[]::new));
        nodes.add(node);
        return node;
    }

    /** Polls hyphae:peers until the node's DHT lookup of itself answers with {@code count} peers. */
    private static void awaitPeers(JarNode node, int count) throws Exception {
        long deadline = System.nanoTime() + JarNode.READY_TIMEOUT.toNanos();
        while (true) {
            int mark = node.mark();
            node.command("hyphae:peers");
            String line = node.await(mark, l -> l.contains("answered") || l.startsWith("no DHT")
                    || l.startsWith("DHT lookup"), COMMAND_TIMEOUT);
            if (line.contains(": " + count + " closest peers answered")) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the mesh did not form: " + line);
            }
            Thread.sleep(500);
        }
    }

    @Test
    void twoSubscribersGetWhatTheThirdNodePublishes() throws Exception {
        JarNode first = start("node1");
        String seed = first.quicEndpoint(JarNode.READY_TIMEOUT);
        long firstRssKib = first.rssKib();
        Duration firstStartup = first.startup();
        JarNode second = start("node2", "--bootstrap", seed);
        JarNode third = start("node3", "--bootstrap", seed);
        second.quicEndpoint(JarNode.READY_TIMEOUT);
        third.quicEndpoint(JarNode.READY_TIMEOUT);

        for (JarNode node : nodes) {
            awaitPeers(node, 2);
        }
        // A subscriber's advertisement reaches the DHT asynchronously, and the publisher caches the subscribers it
        // finds: should it look before both stores landed, try again on a fresh topic rather than wait out the cache.
        String topic = null;
        String text = null;
        for (int attempt = 1; text == null; attempt++) {
            topic = TOPIC + "." + attempt;
            for (JarNode subscriber : List.of(first, second)) {
                int mark = subscriber.mark();
                subscriber.command("hyphae:subscribe " + topic);
                subscriber.await(mark, l -> l.startsWith("subscribed to "), COMMAND_TIMEOUT);
            }
            Thread.sleep(ADVERTISE_SETTLE.toMillis());
            int mark = third.mark();
            String candidate = "hello mesh " + attempt;
            third.command("hyphae:publish --qos 1 " + topic + " " + candidate);
            String receipt = third.await(mark, l -> l.startsWith("published ") || l.startsWith("sent to ")
                    || l.startsWith("publish to "), COMMAND_TIMEOUT);
            if (receipt.endsWith("remote subscribers 2, delivered 2")) {
                text = candidate;
            } else if (attempt == ATTEMPTS) {
                throw new AssertionError("the publisher never found both subscribers; last receipt: " + receipt);
            }
        }
        String expected = "[" + topic + "] " + text + "  (from ";
        first.await(0, l -> l.startsWith(expected), COMMAND_TIMEOUT);
        second.await(0, l -> l.startsWith(expected), COMMAND_TIMEOUT);

        for (JarNode node : nodes) {
            assertThat(node.stop(Duration.ofSeconds(30))).as("exit code after SIGTERM").isEqualTo(143);
        }
        for (JarNode node : nodes) {
            assertThat(node.isAlive()).isFalse();
        }
        String metrics = String.format("startup to node ready (wall, first node alone): %d ms%n"
                + "resident memory of that node at ready: %d KiB (%.0f MiB)%n",
                firstStartup.toMillis(), firstRssKib, firstRssKib / 1024.0);
        System.out.print(metrics);
        Files.writeString(Path.of("target", "launcher-metrics.txt"), metrics);
    }
}
