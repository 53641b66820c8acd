package io.hyphae.bench;

import io.netty.util.internal.PlatformDependent;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Memory one idle peer connection costs the server: a server transport in this JVM, {@code n} clients in a child
 * JVM ({@link IdleClients}) each holding one connection; heap (after GC), direct memory (Netty's counter plus NIO
 * buffers) and resident set (which includes quiche's and BoringSSL's native state) before and after, per
 * connection.
 */
final class IdleMemory {
    private IdleMemory() {
    }

    /** Bytes per connection. */
    record PerConnection(int connections, double heapBytes, double directBytes, double rssBytes) {
    }

    static PerConnection measure(Transports.Kind kind, int connections) throws Exception {
        try (Transports.Owned server = Transports.start(kind)) {
            Pinger.serve(server.transport());
            String endpoint = server.transport().localEndpoints().get(0).toString();
            Snapshot before = Snapshot.take();
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process child = new ProcessBuilder(java, "-Xmx768m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                    "-cp", System.getProperty("java.class.path"), IdleClients.class.getName(), kind.scheme(),
                    endpoint, Integer.toString(connections))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                        StandardCharsets.UTF_8));
                String line;
                while ((line = out.readLine()) != null && !line.equals("READY")) {
                    System.out.println("  child: " + line);
                }
                if (line == null) {
                    throw new IllegalStateException("the idle clients ended before they were ready");
                }
                Thread.sleep(2_000); // let handshakes' leftovers settle
                Snapshot after = Snapshot.take();
                return new PerConnection(connections, (after.heap - before.heap) / (double) connections,
                        (after.direct - before.direct) / (double) connections,
                        (after.rss - before.rss) / (double) connections);
            } finally {
                child.getOutputStream().close();
                if (!child.waitFor(20, TimeUnit.SECONDS)) {
                    child.destroyForcibly();
                }
            }
        }
    }

    private record Snapshot(long heap, long direct, long rss) {
        static Snapshot take() throws InterruptedException {
            for (int i = 0; i < 3; i++) {
                System.gc();
                Thread.sleep(200);
            }
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            long nio = 0;
            List<BufferPoolMXBean> pools = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class);
            for (BufferPoolMXBean pool : pools) {
                if (pool.getName().equals("direct")) {
                    nio = pool.getMemoryUsed();
                }
            }
            long netty = Math.max(0, PlatformDependent.usedDirectMemory());
            return new Snapshot(heap, nio + netty, residentBytes());
        }

        private static long residentBytes() {
            File status = new File("/proc/self/status");
            try {
                for (String line : Files.readAllLines(status.toPath())) {
                    if (line.startsWith("VmRSS:")) {
                        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                    }
                }
            } catch (IOException | NumberFormatException e) {
                return 0;
            }
            return 0;
        }
    }
}
