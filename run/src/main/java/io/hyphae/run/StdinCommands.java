package io.hyphae.run;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.Charset;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;

/**
 * Runs each line of standard input as a Gogo command when the jar runs without a terminal (a pipe, a script, a
 * test): the stand-in for the jline shell, whose dumb terminal spins a core there. Output goes to standard output.
 * At the end of input the node keeps running, headless; {@code exit [status]} (the jline shell's built-in, which the
 * Gogo runtime lacks) stops the framework and ends the process with that status (default 0), so a script that ends
 * the way an interactive session does behaves the same. Enabled by {@link Launch} through {@link #ENABLED}; started by
 * {@link ReadyReport} once the node is ready, so that scripted commands never race the node's start.
 */
final class StdinCommands implements AutoCloseable {
    /** System property that {@link Launch} sets when commands are read from standard input. */
    static final String ENABLED = "hyphae.stdin.commands";
    /** System property: print the stack trace of a failing command to standard error. */
    static final String TRACE = "hyphae.stdin.trace";

    private final InputStream in;
    private final PrintStream out;
    private final CommandSession session;
    private final Thread reader;

    /** Starts reading on a daemon thread. */
    StdinCommands(CommandProcessor processor) {
        // the process's own streams: Gogo replaces System.out with a per-thread stream that would write to itself
        this.in = new FileInputStream(FileDescriptor.in);
        this.out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, Charset.defaultCharset());
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, Charset.defaultCharset());
        this.session = processor.createSession(in, out, err);
        this.reader = new Thread(this::readLines, "hyphae-run-stdin");
        reader.setDaemon(true); // a blocked read must not keep the JVM up
        reader.start();
    }

    private void readLines() {
        BufferedReader lines = new BufferedReader(new InputStreamReader(in, Charset.defaultCharset()));
        try {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                String command = line.strip();
                if (command.isEmpty()) {
                    continue;
                }
                Integer status = exitStatus(command);
                if (status != null) {
                    Launch.exitSoon(status); // the shutdown hook stops the framework
                    return;
                }
                run(command);
            }
        } catch (IOException e) {
            out.println("hyphae: stopped reading commands: " + e.getMessage());
        }
    }

    /**
     * The status of an {@code exit} command ({@code exit} alone: 0), or null when {@code command} is another command.
     * An {@code exit} with a status that is no number is another command, so Gogo words the error.
     */
    static Integer exitStatus(String command) {
        String[] words = command.split("\\s+");
        if (!words[0].equals("exit") || words.length > 2) {
            return null;
        }
        try {
            return words.length == 1 ? 0 : Integer.parseInt(words[1]);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private void run(String line) {
        try {
            Object result = session.execute(line);
            if (result != null) {
                out.println(session.format(result, Converter.INSPECT));
            }
        } catch (Exception e) {
            Throwable cause = e;
            while (cause instanceof InvocationTargetException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            out.println("gogo: " + cause);
            if (Boolean.getBoolean(TRACE)) {
                cause.printStackTrace(System.err);
            }
        }
        out.flush();
    }

    /** Ends the session; a read in progress ends with the process (the reader is a daemon thread). */
    @Override
    public void close() {
        session.close();
    }
}
