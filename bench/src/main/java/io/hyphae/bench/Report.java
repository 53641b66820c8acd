package io.hyphae.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Prints the results as Markdown tables, with the ratios against raw QUIC. */
final class Report {
    private Report() {
    }

    static void print(String machineAtStart, String machineAtEnd, List<Main.Row> rows, Map<String, Latencies> setup,
            Map<String, IdleMemory.PerConnection> memory) {
        StringBuilder out = new StringBuilder();
        out.append("\n# Hyphae loopback benchmark\n\n").append(machineAtStart).append("\n")
                .append(machineAtEnd.replace("machine:", "at the end:")).append("\n\n");
        out.append("QoS 0 msg/s: as fast as a window of unfinished sends allows (1,000 for 256 B, 64 for 16 KiB), "
                + "counted at the subscriber. QoS 1 msg/s: requests acknowledged, window 256 / 64. One-way: QoS 0 "
                + "paced at 2,000 msg/s, publisher send to subscriber handler. RTT: QoS 1 one at a time, send to "
                + "acknowledgement (raw: request to 8-byte ack).\n\n");
        out.append("CPU µs/msg: CPU time of the whole process (publisher, subscriber, every thread) during the "
                + "throughput run, per message delivered (QoS 0) or acknowledged (QoS 1). Heap B/msg: bytes allocated "
                + "by every thread during the QoS 0 run, per message delivered.\n\n");
        out.append("| path | payload | QoS 0 msg/s | QoS 0 MB/s | lost | QoS 0 CPU µs/msg | QoS 0 heap B/msg "
                + "| QoS 0 one-way p50 / p99 µs | QoS 1 msg/s | failed | QoS 1 CPU µs/msg "
                + "| QoS 1 RTT p50 / p99 µs |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Main.Row r : rows) {
            out.append(String.format(Locale.ROOT, "| %s | %s | %,.0f | %.1f | %d | %.1f | %,.0f | %.0f / %.0f | %,.0f "
                            + "| %d | %.1f | %.0f / %.0f |%n", r.path(), size(r.size()), r.qos0().perSecond(),
                    r.qos0().perSecond() * r.size() / 1e6, r.qos0().failed(), r.qos0().cpuUsPerMessage(),
                    r.qos0().heapBytesPerMessage(),
                    r.oneWay().percentileUs(50), r.oneWay().percentileUs(99), r.qos1().perSecond(), r.qos1().failed(),
                    r.qos1().cpuUsPerMessage(), r.roundTrip().percentileUs(50), r.roundTrip().percentileUs(99)));
        }
        for (Main.Row r : rows) {
            if (!r.drops().isEmpty()) {
                out.append(String.format(Locale.ROOT, "%n%s %s: dropped on purpose and counted, since the path started "
                        + "(warm-up included): %s", r.path(), size(r.size()), r.drops()));
            }
        }
        out.append("\n\n| ratio vs raw-quic | payload | QoS 0 msg/s (target ≥ 0.8) | QoS 1 msg/s | QoS 1 RTT p50 "
                + "(target ≤ 1.2) |\n|---|---:|---:|---:|---:|\n");
        for (Main.Row r : rows) {
            Main.Row raw = rows.stream().filter(x -> x.path().equals("raw-quic") && x.size() == r.size())
                    .findFirst().orElse(null);
            if (raw == null || r == raw) {
                continue;
            }
            out.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %.2f | %.2f |%n", r.path(), size(r.size()),
                    r.qos0().perSecond() / raw.qos0().perSecond(), r.qos1().perSecond() / raw.qos1().perSecond(),
                    r.roundTrip().percentileUs(50) / raw.roundTrip().percentileUs(50)));
        }
        out.append("\n| connection setup (dial + first request) | p50 ms | min ms | max ms | n |\n"
                + "|---|---:|---:|---:|---:|\n");
        setup.forEach((name, l) -> out.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %d |%n", name,
                l.percentileUs(50) / 1e3, l.percentileUs(0) / 1e3, l.percentileUs(100) / 1e3, l.count())));
        if (!memory.isEmpty()) {
            out.append("\n| idle peer connection, server side | connections | heap KiB/conn | direct KiB/conn "
                    + "| RSS KiB/conn (incl. native) |\n|---|---:|---:|---:|---:|\n");
            memory.forEach((name, m) -> out.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.1f |%n",
                    name, m.connections(), m.heapBytes() / 1024, m.directBytes() / 1024, m.rssBytes() / 1024)));
        }
        System.out.println(out);
    }

    private static String size(int bytes) {
        return bytes >= 1024 ? bytes / 1024 + " KiB" : bytes + " B";
    }
}
