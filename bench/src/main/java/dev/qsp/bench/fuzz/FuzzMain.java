package dev.qsp.bench.fuzz;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Callable;

import dev.qsp.bench.BenchCli;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./qsp fuzz --cases 300 --steps 2000 --seed 1 [--mutate-prob 0.15] [--case N]}: runs
 * {@link StateMachineFuzzer} and prints the seed's summary lines ({@code cases=}, {@code steps/case=},
 * {@code mutate_prob=}, {@code result=OK}) on standard output and the totals on standard error; on failure
 * {@code result=FAIL} followed by the seed, case and step, what failed, the last actions and the command that
 * reruns that case, with exit status 1.
 */
@Command(name = "qsp fuzz", description = "The state-machine fuzzer over an in-memory engine pair.")
public final class FuzzMain implements Callable<Integer> {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Print this help and exit.")
    boolean help;
    @Option(names = "--cases", paramLabel = "N", description = "Connections to fuzz (default: ${DEFAULT-VALUE}).")
    int cases = 300;
    @Option(names = "--steps", paramLabel = "N", description = "Actions per connection (default: ${DEFAULT-VALUE}).")
    int steps = 2000;
    @Option(names = "--seed", paramLabel = "N", description = "Seed of the run (default: ${DEFAULT-VALUE}).")
    long seed = 1;
    @Option(names = "--mutate-prob", paramLabel = "P", description = "Probability of a fault per action (default: ${DEFAULT-VALUE}).")
    double mutateProb = 0.15;
    @Option(names = "--case", paramLabel = "N", description = "Run only this case (to reproduce a failure).")
    int onlyCase = -1;

    @Spec
    CommandSpec spec;

    private final PrintStream out;
    private final PrintStream err;

    private FuzzMain(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /**
     * Fuzzes and exits with the status (0 when every case passed, 1 on a fuzz failure, 2 on a bad option).
     *
     * @param args the command line ({@code --help})
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Parses {@code args} and fuzzes; returns the exit status (1 on a fuzz failure, 2 on a bad option).
     *
     * @param args the command line
     * @param out  where the result lines go, with a failure's reproducing command line (and {@code --help})
     * @param err  where the run's totals go, and a bad option or an error other than a fuzz failure, in one line
     * @return 0 when every case passed, 1 on a fuzz failure, 2 on a bad option
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return BenchCli.commandLine(new FuzzMain(out, err), out, err).execute(args);
    }

    @Override
    public Integer call() {
        if (cases < 1) throw new ParameterException(spec.commandLine(), "--cases must be at least 1, not " + cases);
        if (steps < 1) throw new ParameterException(spec.commandLine(), "--steps must be at least 1, not " + steps);
        if (!(mutateProb >= 0 && mutateProb <= 1)) {
            throw new ParameterException(spec.commandLine(), "--mutate-prob must be between 0 and 1, not " + mutateProb);
        }
        StateMachineFuzzer.Settings settings =
                new StateMachineFuzzer.Settings(cases, steps, seed, mutateProb, onlyCase);
        long start = System.nanoTime();
        StateMachineFuzzer.Summary summary;
        try {
            summary = new StateMachineFuzzer().run(settings);
        } catch (FuzzFailure f) {
            printHeader(cases, steps, mutateProb);
            out.println("result=FAIL");
            out.println("seed=" + seed);
            out.println("case=" + f.caseIndex());
            out.println("step=" + f.step());
            out.println("failure=" + f.getMessage());
            out.println("reproduce=./qsp fuzz --cases " + cases + " --steps " + steps + " --seed " + seed
                    + " --mutate-prob " + mutateProb + " --case " + f.caseIndex());
            f.printStackTrace(out);
            return 1;
        }
        printHeader(cases, steps, mutateProb);
        out.println("result=OK");
        // Totals go to standard error so that standard output is exactly the seed's four lines.
        err.println("seed=" + seed + " connections=" + summary.connections() + " faults="
                + summary.faults() + " rekeys=" + summary.rekeys() + " app_bytes=" + summary.appBytes()
                + String.format(Locale.ROOT, " elapsed_sec=%.1f", (System.nanoTime() - start) / 1e9));
        return 0;
    }

    private void printHeader(int cases, int steps, double mutateProb) {
        out.println("cases=" + cases);
        out.println("steps/case=" + steps);
        out.println("mutate_prob=" + mutateProb);
    }
}
