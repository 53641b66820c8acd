package io.hyphae.sim;

import java.util.List;

/** Reads {@link SimulationSettings} from command-line flags: {@code --nodes 10000 --churn-per-min 10 ...}. */
final class SimulationFlags {
    static final String USAGE = """
            usage: DhtSimulation [--nodes N] [--churn-per-min PERCENT] [--minutes M] [--seed S]
                                 [--latency-ms MS] [--jitter-ms MS] [--loss P] [--lookups N] [--value-lookups N]
                                 [--keys N] [--publishers N] [--join-spacing-ms MS] [--warm-up-s S] [--record-ttl-s S]
              --churn-per-min  percent of the nodes leaving (closed without notice) and as many joining per virtual minute
              --loss           probability in [0, 1] that a frame is lost""";

    private SimulationFlags() {
    }

    /**
     * @throws IllegalArgumentException naming the flag that is unknown, lacks its value or is out of range
     */
    static SimulationSettings parse(List<String> args) {
        SimulationSettings s = SimulationSettings.defaults();
        for (int i = 0; i < args.size(); i += 2) {
            String flag = args.get(i);
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException("flag " + flag + " needs a value");
            }
            String v = args.get(i + 1);
            try {
                s = apply(s, flag, v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("flag " + flag + " needs a number, not \"" + v + "\"", e);
            }
        }
        return s;
    }

    private static SimulationSettings apply(SimulationSettings s, String flag, String v) {
        return switch (flag) {
            case "--nodes" -> s.withNodes(Integer.parseInt(v));
            case "--churn-per-min" -> s.withChurn(Double.parseDouble(v));
            case "--minutes" -> s.withMinutes(Integer.parseInt(v));
            case "--seed" -> s.withSeed(Long.parseLong(v));
            case "--latency-ms" -> s.withLinks(Long.parseLong(v), s.jitterMs(), s.lossRate());
            case "--jitter-ms" -> s.withLinks(s.latencyMs(), Long.parseLong(v), s.lossRate());
            case "--loss" -> s.withLinks(s.latencyMs(), s.jitterMs(), Double.parseDouble(v));
            case "--lookups" -> s.withWorkload(Integer.parseInt(v), s.valueLookups(), s.keys(), s.publishersPerKey());
            case "--value-lookups" -> s.withWorkload(s.lookups(), Integer.parseInt(v), s.keys(),
                    s.publishersPerKey());
            case "--keys" -> s.withWorkload(s.lookups(), s.valueLookups(), Integer.parseInt(v), s.publishersPerKey());
            case "--publishers" -> s.withWorkload(s.lookups(), s.valueLookups(), s.keys(), Integer.parseInt(v));
            case "--join-spacing-ms" -> s.withPhases(Long.parseLong(v), s.warmUpSeconds(), s.recordTtlSeconds());
            case "--warm-up-s" -> s.withPhases(s.joinSpacingMs(), Long.parseLong(v), s.recordTtlSeconds());
            case "--record-ttl-s" -> s.withPhases(s.joinSpacingMs(), s.warmUpSeconds(), Long.parseLong(v));
            default -> throw new IllegalArgumentException("unknown flag " + flag);
        };
    }
}
