package io.hyphae.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Turns the command line of {@code hyphae.jar} into configuration before any Hyphae bundle starts. The jar starts
 * the framework at start level 1 (SCR, ConfigAdmin and this bundle); once the bnd launcher registers its service with
 * the command line, this component writes the ConfigAdmin configurations the flags ask for, sets the properties the
 * level 2 bundles read when they start (Gogo's shell, fileinstall's directory, slf4j-simple's level), keeps the shell
 * or fileinstall from starting when they are not wanted, and raises the start level. It also stops the framework
 * cleanly on SIGTERM, which the bnd launcher does not.
 *
 * <p>Prints to the console, not to a log: it is the launcher's user interface, and using SLF4J here would fix
 * slf4j-simple's settings before the log level is known.
 */
@Component(immediate = true)
public final class Launch {
    /** The service property under which the bnd launcher registers the command line. */
    static final String LAUNCHER_ARGUMENTS = "launcher.arguments";
    /**
     * The launcher's service is registered with the command line before the launcher installs and starts the
     * bundles, and marked ready after it set the beginning start level: raising the level before that would be
     * undone by the launcher.
     */
    static final String LAUNCHER_READY = "launcher.ready";
    static final String GOGO_SHELL_BSN = "org.apache.felix.gogo.jline";
    static final String FILEINSTALL_BSN = "org.apache.felix.fileinstall";
    private static final String FILEINSTALL_DIR = "felix.fileinstall.dir";
    private static final String SLF4J_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";
    private static final long STOP_WAIT_MS = 10_000;

    private final BundleContext context;
    private final Thread shutdownHook;

    @Activate
    public Launch(BundleContext context, @Reference ConfigurationAdmin configAdmin,
                  @Reference(service = Object.class, target = "(&(" + LAUNCHER_ARGUMENTS + "=*)(" + LAUNCHER_READY + "=true))")
                  Map<String, Object> launcher) {
        this.context = context;
        this.shutdownHook = new Thread(this::stopFramework, "hyphae-run-shutdown");
        List<String> args = Arrays.asList(launcher.get(LAUNCHER_ARGUMENTS) instanceof String[] a ? a : new String[0]);
        try {
            start(configAdmin, LaunchOptions.parse(args, System::getProperty));
        } catch (LaunchException e) {
            System.err.println("hyphae: " + e.getMessage());
            System.err.println(LaunchOptions.USAGE);
            exitSoon(2);
        }
    }

    private void start(ConfigurationAdmin configAdmin, LaunchOptions options) {
        if (options.help()) {
            System.out.println(LaunchOptions.USAGE);
            exitSoon(0);
            return;
        }
        boolean terminal = System.console() != null;
        boolean shell = options.shell().orElse(terminal);
        if (options.shell().isEmpty() && !terminal) {
            // jline 3.21's dumb terminal spins a core when stdin is not a terminal (BUILD-NOTES F): read lines instead
            System.setProperty(StdinCommands.ENABLED, "true");
        }
        setUnlessSet(SLF4J_LEVEL, options.logLevel().orElse(shell ? "warn" : "info"));
        Optional<Path> etc = etcDirectory(options);
        etc.ifPresent(dir -> setUnlessSet(FILEINSTALL_DIR, dir.toAbsolutePath().toString()));
        options.data().ifPresent(Launch::createDirectories);
        configure(configAdmin, NodeConfigurations.of(options));
        if (!shell) {
            keepStopped(GOGO_SHELL_BSN);
        }
        if (etc.isEmpty() && System.getProperty(FILEINSTALL_DIR) == null) {
            keepStopped(FILEINSTALL_BSN); // it would create and watch ./load
        }
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        raiseStartLevel();
    }

    @Deactivate
    void deactivate() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook is what stops us
        }
    }

    /** {@code --etc}, else {@code <data>/etc} or {@code ./etc} when it exists. */
    private static Optional<Path> etcDirectory(LaunchOptions options) {
        if (options.etc().isPresent()) {
            createDirectories(options.etc().get());
            return options.etc();
        }
        return options.data().map(d -> d.resolve("etc")).filter(Files::isDirectory)
                .or(() -> Optional.of(Path.of("etc")).filter(Files::isDirectory));
    }

    private static void configure(ConfigurationAdmin configAdmin, Map<String, Map<String, Object>> configurations) {
        configurations.forEach((pid, properties) -> {
            try {
                // location "?": bound to whichever bundle's component uses it, not to this bundle
                Configuration c = configAdmin.getConfiguration(pid, "?");
                Dictionary<String, Object> merged = c.getProperties() == null ? new Hashtable<>() : c.getProperties();
                properties.forEach(merged::put);
                c.update(merged);
            } catch (IOException e) {
                System.err.println("hyphae: cannot write configuration " + pid + ": " + e.getMessage());
            }
        });
    }

    /** Marks a bundle of a higher start level as stopped, so raising the level does not start it. */
    private void keepStopped(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                try {
                    b.stop();
                } catch (BundleException e) {
                    System.err.println("hyphae: cannot keep " + symbolicName + " from starting: " + e.getMessage());
                }
            }
        }
    }

    /** Raises the framework to the highest start level a bundle has, asynchronously. */
    private void raiseStartLevel() {
        int highest = 1;
        for (Bundle b : context.getBundles()) {
            BundleStartLevel level = b.adapt(BundleStartLevel.class);
            if (level != null) {
                highest = Math.max(highest, level.getStartLevel());
            }
        }
        context.getBundle(0).adapt(FrameworkStartLevel.class).setStartLevel(highest);
    }

    private void stopFramework() {
        Bundle system = context.getBundle(0);
        try {
            system.stop();
            if (system instanceof Framework framework) {
                framework.waitForStop(STOP_WAIT_MS);
            }
        } catch (BundleException e) {
            System.err.println("hyphae: cannot stop the framework: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Exits from another thread: exiting on SCR's thread would wait for the framework it holds. */
    static void exitSoon(int status) {
        Thread exit = new Thread(() -> System.exit(status), "hyphae-run-exit");
        exit.start();
    }

    private static void setUnlessSet(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new LaunchException("cannot create directory " + dir + ": " + e.getMessage());
        }
    }
}
