package io.hyphae.run;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One {@code java -jar hyphae.jar} in a subprocess, driven through its standard input (no terminal: each line is a
 * Gogo command) and watched through its standard output. Standard error goes to {@code err.log} in its directory.
 */
final class JarNode implements AutoCloseable {
    /** How long a jar may take to print its ready lines: generous, as the ITs share 2 cores with the build. */
    static final Duration READY_TIMEOUT = Duration.ofSeconds(180);

    private final String name;
    private final Path dir;
    private final Process process;
    private final long startedNanos;
    private final Writer stdin;
    private final List<String> lines = new ArrayList<>();
    private long readyNanos;

    private JarNode(String name, Path dir, Process process, long startedNanos) {
        this.name = name;
        this.dir = dir;
        this.process = process;
        this.startedNanos = startedNanos;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::readStdout, "stdout-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /** The jar under test: {@code -Dhyphae.jar} when set, else this module's build output. */
    static Path builtJar() {
        return Path.of(System.getProperty("hyphae.jar", "target/hyphae.jar"));
    }

    static JarNode start(String name, Path jar, Path dir, String... flags) throws IOException {
        Files.createDirectories(dir);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", jar.toString(), "--data", dir.toString()));
        command.addAll(List.of(flags));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectError(dir.resolve("err.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        long started = System.nanoTime();
        return new JarNode(name, dir, builder.start(), started);
    }

    private void readStdout() {
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                synchronized (lines) {
                    if (line.startsWith(ReadyLines.READY) && readyNanos == 0) {
                        readyNanos = System.nanoTime();
                    }
                    lines.add(line);
                    lines.notifyAll();
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    /** Runs one Gogo command. */
    void command(String line) throws IOException {
        stdin.write(line + "\n");
        stdin.flush();
    }

    /** Waits for a line of standard output matching {@code wanted} from line {@code from} on; answers it. */
    String await(int from, Predicate<String> wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            while (true) {
                for (int i = from; i < lines.size(); i++) {
                    if (wanted.test(lines.get(i))) {
                        return lines.get(i);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || !process.isAlive()) {
                    throw new AssertionError(name + ": no matching line within " + timeout + (process.isAlive() ? ""
                            : " (exited " + process.exitValue() + ")") + "; output so far:\n"
                            + String.join("\n", lines));
                }
                lines.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
    }

    /** How many lines it has printed so far: a mark for {@link #await}. */
    int mark() {
        synchronized (lines) {
            return lines.size();
        }
    }

    /** The QUIC endpoint from its ready lines. */
    String quicEndpoint(Duration timeout) throws InterruptedException {
        return await(0, l -> l.startsWith(ReadyLines.ENDPOINT + "quic://"), timeout)
                .substring(ReadyLines.ENDPOINT.length());
    }

    /** Wall time from the process start to its "node ready" line. */
    Duration startup() {
        synchronized (lines) {
            return Duration.ofNanos(readyNanos - startedNanos);
        }
    }

    /** Resident set size of the process in KiB, from /proc. */
    long rssKib() throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS for " + process.pid());
    }

    /** Sends SIGTERM and waits for the process to end; answers its exit code. */
    int stop(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " still running " + timeout + " after SIGTERM");
        }
        return process.exitValue();
    }

    /** Waits for the process to end on its own; answers its exit code. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " still running after " + timeout);
        }
        return process.exitValue();
    }

    /** Its {@code --data} directory, which also holds {@code err.log}. */
    Path directory() {
        return dir;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Kills it if it is still running: the test's safety net. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
