package io.hyphae.bench;

import io.netty.channel.epoll.Epoll;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Side-by-side loopback benchmark of Hyphae over QUIC and TCP against raw Netty QUIC, one publisher and one
 * subscriber in this JVM: QoS 0 and QoS 1 throughput and latency for 256-byte and 16-KiB payloads, connection setup
 * time and memory per idle peer connection. Prints the machine and one table; see README.md.
 *
 * <p>Options: {@code --scale F} multiplies message counts (default 1), {@code --connections N} idle connections for
 * the memory row (default 200, 0 skips), {@code --paths a,b} limits the paths ({@code raw-quic},
 * {@code quic-transport}, {@code tcp-transport}, {@code quic-pubsub}, {@code quic-pubsub-direct} (handlers on the
 * network thread), {@code tcp-pubsub}; {@code raw-quic-handoff}
 * only when named), {@code --rounds N} measures all paths in turn N times and reports medians (default 1: each path
 * once, opened and closed in turn), {@code --sizes a,b} the payload sizes in bytes (default 256,16384; up to 1 KiB
 * counts as small: more messages, a wider window).
 */
public final class Main {
    private static final int[] DEFAULT_SIZES = {256, 16 * 1024};

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        double scale = 1;
        double warmUpSeconds = 15;
        int connections = 200;
        int rounds = 1;
        int[] sizes = DEFAULT_SIZES;
        List<String> only = List.of("raw-quic", "quic-transport", "tcp-transport", "quic-pubsub", "quic-pubsub-direct",
                "tcp-pubsub");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--scale" -> scale = Double.parseDouble(args[++i]);
                case "--connections" -> connections = Integer.parseInt(args[++i]);
                case "--warmup-s" -> warmUpSeconds = Double.parseDouble(args[++i]);
                case "--paths" -> only = List.of(args[++i].split(","));
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--sizes" -> sizes = sizes(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (--scale F, --warmup-s S, --rounds N, --connections N, --paths a,b, --sizes a,b)");
            }
        }
        String machineAtStart = machine();
        System.out.println(machineAtStart);
        Map<String, Callable<Carrier>> paths = new LinkedHashMap<>();
        paths.put("raw-quic", () -> RawQuic.Client.withOwnServer().connect());
        paths.put("raw-quic-handoff", () -> new HandedOff(RawQuic.Client.withOwnServer().connect()));
        paths.put("quic-transport", () -> new TransportPath(Transports.Kind.QUIC));
        paths.put("tcp-transport", () -> new TransportPath(Transports.Kind.TCP));
        paths.put("quic-pubsub", () -> new PubSubPath(Transports.Kind.QUIC));
        paths.put("quic-pubsub-direct", () -> new PubSubPath(Transports.Kind.QUIC, true));
        paths.put("tcp-pubsub", () -> new PubSubPath(Transports.Kind.TCP));

        List<Row> rows = rounds == 1 ? measureEach(paths, only, sizes, scale, warmUpSeconds)
                : measureInRounds(paths, only, sizes, scale, warmUpSeconds, rounds);
        Map<String, Latencies> setup = new LinkedHashMap<>();
        int setups = Math.max(5, (int) (20 * scale));
        setup.put("raw-quic", Setup.rawQuic(setups));
        setup.put("hyphae-quic", Setup.hyphae(Transports.Kind.QUIC, setups));
        setup.put("hyphae-tcp", Setup.hyphae(Transports.Kind.TCP, setups));
        Map<String, IdleMemory.PerConnection> memory = new LinkedHashMap<>();
        if (connections > 0) {
            memory.put("hyphae-quic", IdleMemory.measure(Transports.Kind.QUIC, connections));
            memory.put("hyphae-tcp", IdleMemory.measure(Transports.Kind.TCP, connections));
        }
        Report.print(machineAtStart, machine(), rows, setup, memory);
        System.exit(0);
    }

    private static int[] sizes(String list) {
        int[] sizes = Arrays.stream(list.split(",")).mapToInt(Integer::parseInt).toArray();
        for (int size : sizes) {
            if (size < Long.BYTES || size > 1 << 20) { // a payload carries its send time
                throw new IllegalArgumentException("--sizes: " + size + " is not within 8 bytes to 1 MiB");
            }
        }
        return sizes;
    }

    /** Opens, warms up, measures and closes one path after the other. */
    private static List<Row> measureEach(Map<String, Callable<Carrier>> paths, List<String> only, int[] sizes,
                                         double scale, double warmUpSeconds) throws Exception {
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, Callable<Carrier>> entry : paths.entrySet()) {
            if (!only.contains(entry.getKey())) {
                continue;
            }
            System.out.printf("%n== %s%n", entry.getKey());
            try (Carrier path = entry.getValue().call()) {
                warmUp(path, scale, warmUpSeconds);
                for (int size : sizes) {
                    rows.add(measure(entry.getKey(), path, size, scale));
                    System.out.println("  " + rows.get(rows.size() - 1).line());
                }
            }
        }
        return rows;
    }

    /**
     * Opens and warms up every path, then measures them in turn, {@code rounds} times, and answers per path and size
     * the median of each rate and CPU figure and the percentiles of all latency samples: on a shared box the load
     * drifts over minutes, and interleaving spreads that drift over every path alike instead of favouring the one
     * measured in the quiet minute.
     */
    private static List<Row> measureInRounds(Map<String, Callable<Carrier>> paths, List<String> only, int[] sizes,
                                             double scale, double warmUpSeconds, int rounds) throws Exception {
        Map<String, Carrier> open = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, Callable<Carrier>> entry : paths.entrySet()) {
                if (only.contains(entry.getKey())) {
                    System.out.printf("%n== %s: open and warm up%n", entry.getKey());
                    Carrier path = entry.getValue().call();
                    open.put(entry.getKey(), path);
                    warmUp(path, scale, warmUpSeconds);
                }
            }
            Map<String, List<Row>> byPathAndSize = new LinkedHashMap<>();
            for (int round = 1; round <= rounds; round++) {
                System.out.printf("%n== round %d of %d%n", round, rounds);
                for (Map.Entry<String, Carrier> entry : open.entrySet()) {
                    for (int size : sizes) {
                        Row row = measure(entry.getKey(), entry.getValue(), size, scale);
                        System.out.println("  " + row.line());
                        byPathAndSize.computeIfAbsent(entry.getKey() + "/" + size, k -> new ArrayList<>()).add(row);
                    }
                }
            }
            List<Row> rows = new ArrayList<>();
            byPathAndSize.values().forEach(list -> rows.add(Row.median(list)));
            return rows;
        } finally {
            open.values().forEach(Carrier::close);
        }
    }

    /**
     * Runs every kind of measurement until {@code seconds} passed, at least once: on 2 busy cores C2 needs 10-30 s
     * to compile a path, and a path with more code (Hyphae's) needs longer than raw QUIC, so a fixed count measured
     * the compiler more than the path (bench/README.md).
     */
    private static void warmUp(Carrier path, double scale, double seconds) throws Exception {
        long until = System.nanoTime() + (long) (seconds * 1e9);
        do {
            Measure.throughput(path, 256, (int) (40_000 * scale), false, 1_000);
            Measure.throughput(path, 256, (int) (20_000 * scale), true, 256);
            Measure.throughput(path, 16 * 1024, (int) (4_000 * scale), false, 64);
            Measure.roundTrips(path, 256, (int) (2_000 * scale));
        } while (System.nanoTime() < until);
    }

    private static Row measure(String name, Carrier path, int size, double scale) throws Exception {
        boolean small = size <= 1024;
        int qos0Count = (int) ((small ? 300_000 : 30_000) * scale);
        int qos1Count = (int) ((small ? 100_000 : 20_000) * scale);
        Measure.Rate qos0 = Measure.throughput(path, size, qos0Count, false, small ? 1_000 : 64);
        Measure.Rate qos1 = Measure.throughput(path, size, qos1Count, true, small ? 256 : 64);
        Latencies oneWay = Measure.pacedOneWay(path, size, (int) (6_000 * scale), 2_000);
        Latencies roundTrip = Measure.roundTrips(path, size, (int) (3_000 * scale));
        return new Row(name, path.describe(), size, qos0, qos1, oneWay, roundTrip, path.drops());
    }

    /** One path and payload size. */
    record Row(String path, String describe, int size, Measure.Rate qos0, Measure.Rate qos1, Latencies oneWay,
               Latencies roundTrip, String drops) {
        /** Medians of the rates and CPU figures of {@code rows} (one path and size), latencies over all samples. */
        static Row median(List<Row> rows) {
            Row first = rows.get(0);
            return new Row(first.path(), first.describe(), first.size(),
                    medianRate(rows.stream().map(Row::qos0).toList()), medianRate(rows.stream().map(Row::qos1).toList()),
                    Latencies.merged(rows.stream().map(Row::oneWay).toList()),
                    Latencies.merged(rows.stream().map(Row::roundTrip).toList()), rows.get(rows.size() - 1).drops());
        }

        private static Measure.Rate medianRate(List<Measure.Rate> rates) {
            return new Measure.Rate(rates.stream().mapToLong(Measure.Rate::done).sum(),
                    rates.stream().mapToLong(Measure.Rate::failed).sum(),
                    median(rates.stream().mapToDouble(Measure.Rate::perSecond).toArray()),
                    median(rates.stream().mapToDouble(Measure.Rate::cpuUsPerMessage).toArray()),
                    median(rates.stream().mapToDouble(Measure.Rate::heapBytesPerMessage).toArray()));
        }

        private static double median(double[] values) {
            java.util.Arrays.sort(values);
            int n = values.length;
            return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
        }

        String line() {
            return String.format(Locale.ROOT, "%-15s %6d B  qos0 %,9.0f msg/s (lost %d, %.1f cpu us/msg, %.0f heap "
                            + "B/msg)  qos1 %,9.0f msg/s (failed %d, %.1f cpu us/msg)  qos0 one-way p50 %6.0f p99 "
                            + "%6.0f us  qos1 rtt p50 %6.0f p99 %6.0f us",
                    path, size, qos0.perSecond(), qos0.failed(), qos0.cpuUsPerMessage(), qos0.heapBytesPerMessage(),
                    qos1.perSecond(),
                    qos1.failed(), qos1.cpuUsPerMessage(),
                    oneWay.percentileUs(50), oneWay.percentileUs(99), roundTrip.percentileUs(50),
                    roundTrip.percentileUs(99))
                    + (drops.isEmpty() ? "" : "  [counted drops so far: " + drops + "]");
        }
    }

    static String machine() {
        String cpu = "?";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
        } catch (IOException e) {
            // not Linux: leave "?"
        }
        return String.format(Locale.ROOT, "machine: %d cores (%s), %s %s, %s, load average %.2f, epoll %s",
                Runtime.getRuntime().availableProcessors(), cpu, System.getProperty("java.vm.name"),
                System.getProperty("java.runtime.version"), System.getProperty("os.name") + " "
                        + System.getProperty("os.version"),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), Epoll.isAvailable());
    }
}
