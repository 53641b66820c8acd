package io.hyphae.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second {@code hyphae.jar} asked for a port the first one holds: it must say so in one line and exit with
 * status 1, not print SCR's stack traces and wait forever for "node ready".
 */
class PortInUseIT {
    @TempDir
    Path dir;

    @Test
    void aTakenPortEndsTheLauncherWithAReason() throws Exception {
        Path jar = JarNode.builtJar();
        try (JarNode first = JarNode.start("first", jar, dir.resolve("first"), "--port", "0");
             JarNode second = startOnPortOf(first, jar)) {
            assertThat(second.awaitExit(JarNode.READY_TIMEOUT)).as("exit status")
                    .isEqualTo(ReadyReport.EXIT_START_FAILED);

            String err = Files.readString(dir.resolve("second").resolve("err.log"));
            assertThat(err.lines().filter(l -> l.startsWith("hyphae: cannot start io.hyphae.transport.")))
                    .singleElement().asString().contains("Address already in use");
            assertThat(first.isAlive()).as("the first node keeps running").isTrue();
            assertThat(first.stop(Duration.ofSeconds(30))).isEqualTo(143);
        }
    }

    private static JarNode startOnPortOf(JarNode first, Path jar) throws Exception {
        int port = URI.create(first.quicEndpoint(JarNode.READY_TIMEOUT)).getPort();
        return JarNode.start("second", jar, first.directory().resolveSibling("second"), "--port",
                Integer.toString(port));
    }
}
