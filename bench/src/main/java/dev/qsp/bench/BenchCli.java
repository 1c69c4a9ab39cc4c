package dev.qsp.bench;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * How the bench module's programs ({@code ./qsp bench}, {@code ./qsp bench rekey}, {@code ./qsp fuzz}) treat their
 * command lines (issue 12 item 6): {@code --help} prints the usage, exit 0; a bad option or value is one line on
 * standard error, {@code <program>: <what was wrong> (see --help)}, exit 2; a failure while running is one line,
 * exit 1.
 */
public final class BenchCli {
    public static final int USAGE = CommandLine.ExitCode.USAGE;
    public static final int FAILED = CommandLine.ExitCode.SOFTWARE;

    private BenchCli() {
    }

    public static CommandLine commandLine(Object command, PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(command);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        cl.setParameterExceptionHandler((e, args) -> {
            CommandLine c = e.getCommandLine();
            c.getErr().println(c.getCommandName() + ": " + e.getMessage() + " (see --help)");
            return USAGE;
        });
        cl.setExecutionExceptionHandler((e, c, parsed) -> {
            c.getErr().println(c.getCommandName() + ": " + (e.getMessage() == null ? e.getClass().getName()
                    : e.getMessage()));
            return FAILED;
        });
        return cl;
    }
}
