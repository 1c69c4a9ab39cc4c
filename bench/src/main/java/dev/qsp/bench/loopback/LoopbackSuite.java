package dev.qsp.bench.loopback;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.qsp.bench.BenchCli;
import dev.qsp.bench.suite.BenchSuite;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./qsp bench loopback} (issue 13 item 2): the loopback handshake and 64-byte echo rows of plain TCP,
 * SunJSSE, BCJSSE and QSP, and the server's handshakes per second with 2 and 8 concurrent clients for QSP and
 * BCJSSE, all interleaved round by round inside each fork ({@link LoopbackFork}; BCJSSE in the same JVM through
 * its own class loader, {@link BcJsseLoader}). Forks run one after another; the samples of all forks are
 * aggregated ({@link LoopbackResults}) into {@code loopback.md} and {@code loopback.json}.
 * <p>
 * Settings: full (default) — 2 forks × (8 warm-up + 45 measured rounds); per round about 300 ms of handshakes and
 * 250 ms of echoes per stack, the stacks taking turns operation by operation, and per throughput stack a 600 ms
 * window at 2 and at 8 clients (about 10 minutes on 2 cores). {@code --quick}: 1 fork × (3 + 10) rounds, half the
 * times (about 1 minute).
 */
@Command(name = "qsp bench loopback", description = "Loopback handshake and 64-byte echo of plain TCP, SunJSSE, "
        + "BCJSSE and QSP, and server handshakes/s at 2 and 8 clients (QSP, BCJSSE), interleaved round by round.")
public final class LoopbackSuite implements Callable<Integer> {
    /** Full setting, per round and stack: ms of handshakes, of echoes, and of each throughput window. */
    static final int HANDSHAKE_MS = 300;
    static final int ECHO_MS = 250;
    static final int THROUGHPUT_MS = 600;

    @Spec
    CommandSpec spec;
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Print this help and exit.")
    boolean help;
    @Option(names = "--quick", description = "1 fork x (3 + 10) rounds, half the times (about 1 minute).")
    boolean quick;
    @Option(names = "--forks", paramLabel = "N", description = "JVMs run one after another (default 2; 1 with --quick).")
    Integer forks;
    @Option(names = "--rounds", paramLabel = "N", description = "Measured rounds per fork (default 45; 10 with --quick).")
    Integer rounds;
    @Option(names = "--warmup", paramLabel = "N", description = "Unrecorded rounds per fork first (default 8; 3 with --quick).")
    Integer warmup;
    @Option(names = "--stacks", paramLabel = "LIST", split = ",", description = "Stacks of the handshake and echo rows "
            + "(default plain,sunjsse,bcjsse,qsp; also qsp-kme).")
    List<String> stacks = List.of("plain", "sunjsse", "bcjsse", "qsp");
    @Option(names = "--seed", paramLabel = "N", description = "Seed of the per-round order (default 1; fork i uses seed + i).")
    long seed = 1;
    @Option(names = "--out", paramLabel = "DIR", description = "Where to write loopback.json and loopback.md (default: bench/results).")
    Path out;

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Parses {@code args} and runs; returns the exit status (2 on a bad option). */
    public static int run(String[] args, java.io.PrintStream out, java.io.PrintStream err) {
        return BenchCli.commandLine(new LoopbackSuite(), out, err).execute(args);
    }

    int forks() {
        return forks != null ? forks : quick ? 1 : 2;
    }

    int rounds() {
        return rounds != null ? rounds : quick ? 10 : 45;
    }

    int warmup() {
        return warmup != null ? warmup : quick ? 3 : 8;
    }

    private int slice(int full) {
        return quick ? full / 2 : full;
    }

    private void validate() {
        if (forks() < 1) {
            throw new ParameterException(spec.commandLine(), "--forks must be at least 1, not " + forks());
        }
        if (forks() * rounds() < 6) {
            throw new ParameterException(spec.commandLine(), "--forks x --rounds must be at least 6 for a 95% interval"
                    + " of the median, not " + forks() * rounds());
        }
        if (warmup() < 0) {
            throw new ParameterException(spec.commandLine(), "--warmup must not be negative: " + warmup());
        }
        for (String s : stacks) {
            if (!List.of("plain", "sunjsse", "bcjsse", "qsp", "qsp-kme").contains(s)) {
                throw new ParameterException(spec.commandLine(), "unknown stack '" + s
                        + "' (plain, sunjsse, bcjsse, qsp, qsp-kme)");
            }
        }
    }

    @Override
    public Integer call() throws Exception {
        validate();
        Path target = targetDir();
        Path dir = out != null ? out : target.getParent().resolve("results");
        Path work = Files.createDirectories(target.resolve("bench-run"));
        List<String> throughput = new ArrayList<>();
        for (String s : List.of("qsp", "bcjsse")) {
            if (stacks.contains(s)) {
                throughput.add(s);
            }
        }
        Map<String, String> run = BenchSuite.machine(quick);
        run.put("setting", String.format(Locale.ROOT, "%s: %d fork(s) x (%d warm-up + %d measured rounds); slices per"
                + " round and stack: handshakes %d ms and echoes %d ms (stacks taking turns operation by operation), a"
                + " throughput window of %d ms at 2 and at 8 clients (%s)",
                quick ? "quick (./qsp bench loopback --quick)" : "full (./qsp bench loopback)", forks(), warmup(),
                rounds(), slice(HANDSHAKE_MS), slice(ECHO_MS), slice(THROUGHPUT_MS), String.join(",", throughput)));
        LoadSampler load = new LoadSampler();
        long start = System.nanoTime();
        List<Sample> samples = new ArrayList<>();
        String clock = "";
        List<String> warm = new ArrayList<>();
        for (int f = 0; f < forks(); f++) {
            Path raw = work.resolve("loopback-fork-" + f + ".json");
            Files.deleteIfExists(raw);
            List<String> cmd = new ArrayList<>(List.of(java(), "-Xms512m", "-Xmx512m",
                    "--enable-native-access=ALL-UNNAMED", "-XX:-UseDynamicNumberOfCompilerThreads", "-cp", BenchSuite.benchmarksJar().toString(),
                    LoopbackFork.class.getName(), "--target", target.toString(), "--out", raw.toString(),
                    "--fork", Integer.toString(f), "--rounds", Integer.toString(rounds()),
                    "--warmup", Integer.toString(warmup()), "--stacks", String.join(",", stacks),
                    "--throughput-stacks", String.join(",", throughput),
                    "--handshake-ms", Integer.toString(slice(HANDSHAKE_MS)), "--echo-ms", Integer.toString(slice(ECHO_MS)),
                    "--throughput-ms", Integer.toString(slice(THROUGHPUT_MS)), "--seed", Long.toString(seed + f)));
            System.out.println("bench: loopback fork " + (f + 1) + " of " + forks() + " (" + String.join(",", stacks)
                    + "; log " + work.resolve("loopback-fork-" + f + ".out") + ")");
            BenchSuite.runChild(cmd, work.resolve("loopback-fork-" + f + ".out"));
            JsonNode root = new ObjectMapper().readTree(raw.toFile());
            clock = root.path("cpu_clock").asText();
            warm.add(String.format(Locale.ROOT, "fork %d: %d warm-up rounds (JIT %.1f%% of the last one's CPU), JIT"
                    + " %.1f%% of the measured rounds' CPU", f, root.path("warmup_rounds").asInt(),
                    100 * root.path("warmup_last_jit_share").asDouble(),
                    100 * root.path("measured_jit_share").asDouble()));
            samples.addAll(read(root));
        }
        load.close();
        run.put("load average at end", BenchSuite.loadAverage());
        run.put("1-min load average during the run", load.summary());
        run.put("process CPU clock", clock);
        run.put("warm-up", String.join("; ", warm));
        run.put("suite wall time", Math.round((System.nanoTime() - start) / 1e9) + " s");
        LoopbackReport report = new LoopbackReport(samples);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("loopback.md"), report.markdown(run), StandardCharsets.UTF_8);
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(dir.resolve("loopback.json").toFile(),
                report.json(run));
        System.out.println("bench: wrote " + dir.resolve("loopback.json") + " and " + dir.resolve("loopback.md"));
        System.out.print(Files.readString(dir.resolve("loopback.md")));
        return 0;
    }

    /** The raw samples of one fork's JSON (as {@link LoopbackFork} writes them). */
    static List<Sample> read(JsonNode root) {
        List<Sample> samples = new ArrayList<>();
        for (JsonNode s : root.path("samples")) {
            samples.add(new Sample(s.path("fork").asInt(), s.path("round").asInt(), Kind.of(s.path("row").asText()),
                    s.path("stack").asText(), s.path("ops").asLong(), s.path("value").asDouble(),
                    s.path("cpu_us").asDouble()));
        }
        return samples;
    }

    private static Path targetDir() throws Exception {
        return BenchSuite.targetDir();
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The 1-minute load average every 15 s while the forks run (the machine is shared; the report says how much). */
    private static final class LoadSampler implements AutoCloseable {
        private final List<Double> loads = new ArrayList<>();
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "load-sampler");
            t.setDaemon(true);
            return t;
        });

        LoadSampler() {
            timer.scheduleAtFixedRate(this::sample, 0, 15, TimeUnit.SECONDS);
        }

        private synchronized void sample() {
            try {
                loads.add(Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]));
            } catch (IOException | RuntimeException e) {
                // not Linux: no samples, the summary says so
            }
        }

        synchronized String summary() {
            if (loads.isEmpty()) {
                return "unknown";
            }
            Stats s = Stats.of(loads);
            double min = loads.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
            double max = loads.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
            return String.format(Locale.ROOT, "median %.2f, min %.2f, max %.2f (%d samples, every 15 s)", s.median(),
                    min, max, loads.size());
        }

        @Override
        public void close() {
            timer.shutdownNow();
        }
    }
}
