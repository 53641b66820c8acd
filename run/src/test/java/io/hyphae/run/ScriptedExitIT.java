package io.hyphae.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A script piped into {@code hyphae.jar} ends as an interactive session would: {@code exit 3} ends it with 3. */
class ScriptedExitIT {
    @TempDir
    Path dir;

    @Test
    void exitInAScriptStopsTheNodeWithItsStatus() throws Exception {
        Path jar = JarNode.builtJar();
        try (JarNode node = JarNode.start("node", jar, dir.resolve("node"), "--port", "0")) {
            node.quicEndpoint(JarNode.READY_TIMEOUT);
            int mark = node.mark();
            node.command("hyphae:subscribe chat.room");
            node.await(mark, l -> l.startsWith("subscribed to chat.room"), JarNode.READY_TIMEOUT);

            node.command("exit 3");

            assertThat(node.awaitExit(Duration.ofSeconds(60))).as("exit status").isEqualTo(3);
        }
    }
}
