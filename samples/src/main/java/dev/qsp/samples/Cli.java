package dev.qsp.samples;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * How the samples' programs treat their command line (issue 12): {@code --help} prints the usage and exits 0; a
 * bad option or value prints one line, {@code <program>: <what was wrong> (see --help)}, and exits 2; a failure
 * while running prints one line, {@code <program>: <message>}, and exits 1 (no stack trace: these are programs for
 * people, and the message says what went wrong, e.g. which address could not be bound).
 */
final class Cli {
    /** Exit status of a bad option or value (picocli's {@code ExitCode.USAGE}). */
    static final int USAGE = CommandLine.ExitCode.USAGE;
    /** Exit status of a failure while running. */
    static final int FAILED = CommandLine.ExitCode.SOFTWARE;

    private Cli() {
    }

    static CommandLine commandLine(Object command, PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        cl.setParameterExceptionHandler((e, args) -> {
            CommandLine c = e.getCommandLine();
            c.getErr().println(c.getCommandName() + ": " + e.getMessage() + " (see --help)");
            return USAGE;
        });
        cl.setExecutionExceptionHandler((e, c, parsed) -> {
            c.getErr().println(c.getCommandName() + ": " + message(e));
            return FAILED;
        });
        return cl;
    }

    static String message(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /** A bind failure that names the address: the JDK's says only "Address already in use". */
    static BindException bindFailure(String host, int port, BindException e) {
        BindException named = new BindException("cannot listen on " + host + ":" + port + ": " + message(e)
                + (port == 0 ? "" : " (is another server on port " + port + "? choose one with --port)"));
        named.initCause(e);
        return named;
    }
}
