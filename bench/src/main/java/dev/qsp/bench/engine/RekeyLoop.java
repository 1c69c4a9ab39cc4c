package dev.qsp.bench.engine;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Callable;

import dev.qsp.bench.BenchCli;
import dev.qsp.sockets.engine.RekeyKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./qsp bench rekey --loops 2000 --warmup 50 [--kind ratchet|fresh]}: the seed's rekey measurement,
 * made over full REKEY_INIT / REKEY_ACK / REKEY_COMMIT exchanges between an in-memory client and server engine.
 * Prints the seed's lines ({@code loops=}, {@code warmup=}, {@code elapsed_sec=}, {@code ops_per_sec=},
 * {@code final_epoch=}), exactly those, one per line. A quick single-run figure: at the seed's setting the JIT has
 * not compiled the hot path yet; {@code RekeyBench} is the steady-state JMH figure.
 */
@Command(name = "qsp bench rekey", description = "The rekey loop over an in-memory engine pair.")
public final class RekeyLoop implements Callable<Integer> {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Print this help and exit.")
    boolean help;
    @Option(names = "--loops", paramLabel = "N", description = "Measured rekeys, at least 1 (default: ${DEFAULT-VALUE}).")
    int loops = 2000;
    @Option(names = "--warmup", paramLabel = "N", description = "Rekeys before measuring (default: ${DEFAULT-VALUE}).")
    int warmup = 50;
    @Option(names = "--kind", paramLabel = "ratchet|fresh", description = "Rekey kind (default: ratchet).")
    RekeyKind kind = RekeyKind.RATCHET;

    @Spec
    CommandSpec spec;

    private final PrintStream out;

    private RekeyLoop(PrintStream out) {
        this.out = out;
    }

    /**
     * Runs the loop and exits with its status (0 when it worked, 1 on a failure, 2 on a bad option).
     *
     * @param args the command line ({@code --help})
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Parses {@code args} and runs the loop; returns the exit status (2 on a bad option).
     *
     * @param args the command line
     * @param out  where the result lines go (and {@code --help})
     * @param err  where a bad option or a failure is reported, in one line
     * @return 0 when it worked, 1 on a failure, 2 on a bad option
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return BenchCli.commandLine(new RekeyLoop(out), out, err).execute(args);
    }

    @Override
    public Integer call() throws Exception {
        if (loops < 1) throw new ParameterException(spec.commandLine(), "--loops must be at least 1, not " + loops);
        if (warmup < 0) throw new ParameterException(spec.commandLine(), "--warmup must not be negative: " + warmup);
        EnginePair pair = EnginePair.establish(BenchIdentity.create("rekey-loop"), "rekey-loop", false);
        for (int i = 0; i < warmup; i++) {
            pair.rekey(kind);
        }
        long start = System.nanoTime();
        for (int i = 0; i < loops; i++) {
            pair.rekey(kind);
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        out.println("loops=" + loops);
        out.println("warmup=" + warmup);
        out.println(String.format(Locale.ROOT, "elapsed_sec=%.6f", elapsed));
        out.println(String.format(Locale.ROOT, "ops_per_sec=%.1f", loops / elapsed));
        out.println("final_epoch=" + pair.server.epoch());
        return 0;
    }
}
