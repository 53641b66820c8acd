package io.hyphae.run;

import io.hyphae.spi.transport.Endpoint;
import io.hyphae.spi.transport.InvalidEndpointException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * What the command line of {@code hyphae.jar} asks for. Each flag has a system property twin ({@code --port 4434} or
 * {@code -Dhyphae.port=4434}); a flag wins over its property. Absent options stay empty, so the components keep their
 * own defaults.
 *
 * @param port          QUIC (UDP) port; also the TCP port unless {@code tcpPort} is given
 * @param tcpPort       TCP port
 * @param bind          address both transports bind
 * @param advertise     host other nodes dial, when it is not the bind address
 * @param bootstrap     endpoints to join the mesh through
 * @param realm         the node's realm
 * @param data          directory of the node's key file (a stable node id across restarts)
 * @param etc           directory of {@code <pid>.cfg} files that Felix fileinstall applies and watches
 * @param shell         {@code TRUE} for {@code --shell}, {@code FALSE} for {@code --no-shell}, empty to decide by
 *                      whether there is a terminal
 * @param logLevel      slf4j-simple default level
 * @param help          print the usage and stop
 */
record LaunchOptions(Optional<Integer> port, Optional<Integer> tcpPort, Optional<String> bind,
                     Optional<String> advertise, List<String> bootstrap, Optional<String> realm, Optional<Path> data,
                     Optional<Path> etc, Optional<Boolean> shell, Optional<String> logLevel, boolean help) {
    static final String USAGE = String.join("\n",
            "usage: java [-Dhyphae.<option>=<value>...] -jar hyphae.jar [options]",
            "  --port <n>            QUIC (UDP) port, and TCP port unless --tcp-port; 0: any free port"
                    + " (default 4433)",
            "  --tcp-port <n>        TCP port (default: --port)",
            "  --bind <address>      address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)",
            "  --advertise <host>    host other nodes dial, when not the bind address",
            "  --bootstrap <ep,...>  endpoints to join through, e.g. quic://127.0.0.1:4433/<node id hex>",
            "  --realm <name>        realm to publish and subscribe in (default \"default\")",
            "  --data <dir>          keeps the node key in <dir>/node.key: the same node id on every start",
            "  --etc <dir>           <pid>.cfg files applied and watched by Felix fileinstall"
                    + " (default <data>/etc or ./etc when present)",
            "  --no-shell            run headless, without the Gogo shell (automatic without a terminal)",
            "  --shell               start the shell even without a terminal",
            "  --log-level <level>   error, warn, info, debug or trace (default: warn with the shell, info"
                    + " without)",
            "  --help                print this and exit",
            "Each option is also a system property: -Dhyphae.port=4434, -Dhyphae.no-shell=true, ...");

    private static final List<String> FLAGS_WITH_VALUE = List.of("port", "tcp-port", "bind", "advertise",
            "bootstrap", "realm", "data", "etc", "log-level");
    private static final List<String> SWITCHES = List.of("no-shell", "shell", "help");
    private static final List<String> LEVELS = List.of("error", "warn", "info", "debug", "trace");

    /**
     * @param args     the command line after {@code -jar hyphae.jar}
     * @param property reads a system property ({@code System::getProperty}); null when unset
     * @throws LaunchException naming the flag and the value that is wrong
     */
    static LaunchOptions parse(List<String> args, UnaryOperator<String> property) {
        Values values = new Values(property);
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                throw new LaunchException("unexpected argument \"" + arg + "\"");
            }
            String name = arg.substring(2);
            String inline = null;
            int eq = name.indexOf('=');
            if (eq > 0) {
                inline = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (SWITCHES.contains(name) && inline == null) {
                values.flags.add(name + "=true");
            } else if (FLAGS_WITH_VALUE.contains(name)) {
                if (inline == null) {
                    if (i + 1 >= args.size()) {
                        throw new LaunchException("--" + name + " needs a value");
                    }
                    inline = args.get(++i);
                }
                values.flags.add(name + "=" + inline);
            } else {
                throw new LaunchException("unknown option " + arg);
            }
        }
        return values.options();
    }

    /** Flags as {@code name=value}, the last one of a name winning, over the {@code hyphae.<name>} properties. */
    private static final class Values {
        final List<String> flags = new ArrayList<>();
        final UnaryOperator<String> property;

        Values(UnaryOperator<String> property) {
            this.property = property;
        }

        Optional<String> get(String name) {
            for (int i = flags.size() - 1; i >= 0; i--) {
                if (flags.get(i).startsWith(name + "=")) {
                    return Optional.of(flags.get(i).substring(name.length() + 1).strip());
                }
            }
            return Optional.ofNullable(property.apply("hyphae." + name)).map(String::strip);
        }

        boolean on(String name) {
            return get(name).map(v -> v.isEmpty() || Boolean.parseBoolean(v)).orElse(false);
        }

        LaunchOptions options() {
            Optional<Boolean> shell = on("no-shell") ? Optional.of(false)
                    : on("shell") ? Optional.of(true) : Optional.empty();
            Optional<String> level = get("log-level").map(String::toLowerCase);
            level.filter(l -> !LEVELS.contains(l)).ifPresent(l -> {
                throw new LaunchException("--log-level must be one of " + LEVELS + ": " + l);
            });
            return new LaunchOptions(port("port"), port("tcp-port"), text("bind"), text("advertise"),
                    bootstrap(), text("realm"), text("data").map(Path::of), text("etc").map(Path::of), shell, level,
                    on("help"));
        }

        private Optional<String> text(String name) {
            Optional<String> value = get(name);
            value.filter(String::isEmpty).ifPresent(v -> {
                throw new LaunchException("--" + name + " is empty");
            });
            return value;
        }

        private Optional<Integer> port(String name) {
            return text(name).map(v -> {
                try {
                    int port = Integer.parseInt(v);
                    if (port >= 0 && port <= 65535) {
                        return port;
                    }
                } catch (NumberFormatException e) {
                    // reported below
                }
                throw new LaunchException("--" + name + " must be a port number 0..65535: " + v);
            });
        }

        private List<String> bootstrap() {
            List<String> endpoints = get("bootstrap").stream()
                    .flatMap(v -> Arrays.stream(v.split(",")))
                    .map(String::strip)
                    .filter(s -> !s.isEmpty())
                    .toList();
            for (String e : endpoints) {
                try {
                    Endpoint.parse(e);
                } catch (InvalidEndpointException ex) {
                    throw new LaunchException("--bootstrap: " + ex.getMessage());
                }
            }
            return endpoints;
        }
    }

    LaunchOptions {
        Objects.requireNonNull(bootstrap, "bootstrap");
        bootstrap = List.copyOf(bootstrap);
    }
}
