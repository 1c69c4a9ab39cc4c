package dev.qsp.bench.suite;

import java.io.IOException;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import java.util.concurrent.Callable;

import dev.qsp.bench.BenchCli;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./qsp bench}: runs the comparison suite and writes {@code latest.json} and {@code latest.md}.
 * <p>
 * Settings (documented in the README and printed in the report):
 * <ul>
 * <li>full (default): handshake, echo and rekey 1 fork, 3 × 2 s warm-up, 5 × 2 s measurement; bulk 1 fork, 2
 * warm-up and 5 measured transfers of 256 MiB; idle memory 1,000 connections per stack (BCJSSE included).</li>
 * <li>{@code --quick}: handshake, echo and rekey 1 × 1 s warm-up, 2 × 1 s measurement; bulk 1 warm-up and 2
 * measured transfers; idle memory 1,000 connections for plain, SunJSSE and QSP; no BCJSSE idle memory.</li>
 * </ul>
 * The project's stacks run through JMH in this JVM's class path (benchmarks.jar); the BCJSSE rows run JMH in a
 * JVM whose class path is target/classes plus target/bcjsse-lib (Bouncy Castle 1.84), because BCJSSE does not
 * exist for the project's bcprov 1.87. Idle memory runs {@code IdleMemory} in a JVM of its own per stack.
 * <p>
 * Usage: {@code BenchSuite [--quick] [--out DIR]} (default out: bench/results beside target/).
 */
public final class BenchSuite {
    /** Stacks measured in the project's own class path. */
    static final List<String> MAIN_STACKS = List.of("plain", "sunjsse", "qsp", "qsp-kme");
    static final List<String> IDLE_STACKS = List.of("plain", "sunjsse", "qsp");

    private final boolean quick;
    private final Path target;
    private final Path work;
    private final List<Figure> figures = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private EngineReport engines;

    BenchSuite(boolean quick, Path target) throws IOException {
        this.quick = quick;
        this.target = target;
        this.work = Files.createDirectories(target.resolve("bench-run"));
    }

    /** The suite's command line (issue 12 item 6): picocli, one-line errors and exit status 2 on a bad option. */
    @Command(name = "qsp bench", description = "The JMH comparison suite: plain TCP, SunJSSE, BCJSSE and QSP "
            + "(also: qsp bench rekey --help).")
    static final class Options implements Callable<Integer> {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Print this help and exit.")
        boolean help;
        @Option(names = "--quick", description = "Fewer iterations (under 3 minutes on 2 cores).")
        boolean quick;
        @Option(names = "--out", paramLabel = "DIR", description = "Where to write latest.json and latest.md (default: bench/results).")
        Path out;

        @Override
        public Integer call() throws Exception {
            runSuite(quick, out);
            return 0;
        }
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Parses {@code args} and runs the suite; returns the exit status (2 on a bad option). */
    static int run(String[] args, java.io.PrintStream out, java.io.PrintStream err) {
        return BenchCli.commandLine(new Options(), out, err).execute(args);
    }

    private static void runSuite(boolean quick, Path out) throws Exception {
        Path target = targetDir();
        if (out == null) {
            out = target.getParent().resolve("results");
        }
        long start = System.nanoTime();
        Map<String, String> run = machine(quick);
        BenchSuite suite = new BenchSuite(quick, target);
        suite.runAll();
        run.put("load average at end", loadAverage());
        run.put("suite wall time", Math.round((System.nanoTime() - start) / 1e9) + " s");
        new Report(suite.figures, run, suite.notes).write(out);
        suite.engines.appendTo(out, run);
        System.out.println("bench: wrote " + out.resolve("latest.json") + " and " + out.resolve("latest.md"));
        System.out.print(Files.readString(out.resolve("latest.md")));
    }

    void runAll() throws Exception {
        String stacks = String.join(",", MAIN_STACKS);
        step("handshake and echo: " + stacks);
        figures.addAll(jmhHere("main-latency", "dev\\.qsp\\.bench\\.(HandshakeBench|EchoBench)\\.", stacks, false));
        step("bulk: " + stacks);
        figures.addAll(jmhHere("main-bulk", "dev\\.qsp\\.bench\\.BulkBench\\.", stacks, true));
        step("handshake, echo and bulk: bcjsse (own JVM, Bouncy Castle 1.84)");
        figures.addAll(jmhBcJsse("bcjsse-latency", "dev\\.qsp\\.bench\\.(HandshakeBench|EchoBench)\\.", false));
        figures.addAll(jmhBcJsse("bcjsse-bulk", "dev\\.qsp\\.bench\\.BulkBench\\.", true));
        List<String> idle = new ArrayList<>(IDLE_STACKS);
        for (String stack : idle) {
            step("idle memory: " + stack);
            figures.add(idleMemory(stack, benchmarksJar().toString()));
        }
        if (!quick) {
            step("idle memory: bcjsse");
            figures.add(idleMemory("bcjsse", bcClassPath()));
        }
        engines = new EngineSuite(quick, target).run();
        step("rekey: ratchet and fresh (in-memory engine pair)");
        figures.addAll(jmhHere("rekey", "dev\\.qsp\\.bench\\.RekeyBench\\.", null, false));
        notes.add("qsp-kme: each handshake also fetches a QKD key from the embedded simulated KME pair (SPEC.md §5.7)"
                + " over mutual-TLS HTTPS on loopback (enc_keys at one KME, dec_keys at the other); its bulk and echo"
                + " rows run over a connection that did so once.");
        notes.add("Idle memory counts both ends of each connection in one JVM (heap used after full GCs, 1,000"
                + " connections, minus the heap before them).");
    }

    private void step(String what) {
        System.out.println("bench: " + what + (quick ? " (quick)" : ""));
    }

    /** Runs JMH in this class path (forks inherit it) and reads its JSON result. */
    private List<Figure> jmhHere(String name, String include, String stacks, boolean singleShot) throws Exception {
        Path result = work.resolve(name + ".json");
        ChainedOptionsBuilder options = new OptionsBuilder().include(include).forks(1).resultFormat(ResultFormatType.JSON).result(result.toString())
                .output(work.resolve(name + ".log").toString());
        if (stacks != null) {
            options.param("stack", stacks.split(","));
        }
        if (quick) {
            options.warmupIterations(1).measurementIterations(2);
            if (!singleShot) {
                options.warmupTime(TimeValue.seconds(1)).measurementTime(TimeValue.seconds(1));
            }
        }
        new Runner(options.build()).run();
        return JmhResults.read(result);
    }

    /** Runs JMH's command line in a JVM with the BC 1.84 class path, stack=bcjsse. */
    private List<Figure> jmhBcJsse(String name, String include, boolean singleShot) throws Exception {
        Path result = work.resolve(name + ".json");
        List<String> cmd = new ArrayList<>(List.of(java(), "-cp", bcClassPath(), "org.openjdk.jmh.Main", include,
                "-p", "stack=bcjsse", "-f", "1", "-rf", "json", "-rff", result.toString(),
                "-o", work.resolve(name + ".log").toString()));
        if (quick) {
            cmd.addAll(List.of("-wi", "1", "-i", "2"));
            if (!singleShot) {
                cmd.addAll(List.of("-w", "1s", "-r", "1s"));
            }
        }
        runChild(cmd, work.resolve(name + ".out"));
        return JmhResults.read(result);
    }

    private Figure idleMemory(String stack, String classPath) throws Exception {
        Path out = work.resolve("idle-" + stack + ".out");
        runChild(List.of(java(), "-Xms1g", "-Xmx1g", "-cp", classPath, "dev.qsp.bench.IdleMemory", stack, "1000"),
                out);
        for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
            if (line.startsWith("idle_bytes_per_connection=")) {
                double bytes = Double.parseDouble(line.substring(line.indexOf('=') + 1));
                return new Figure(Metric.IDLE_MEMORY, stack, bytes / 1024.0, Double.NaN);
            }
        }
        throw new IOException("IdleMemory " + stack + " printed no result; see " + out);
    }

    public static void runChild(List<String> cmd, Path log) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("child JVM failed (" + String.join(" ", cmd.subList(0, 4)) + " ...); see " + log);
        }
    }

    private String bcClassPath() {
        return bcClassPath(target);
    }

    /** The BCJSSE JVM's class path: the benchmark classes and Bouncy Castle 1.84 with JMH, never the project's BC. */
    static String bcClassPath(Path target) {
        return target.resolve("classes") + File.pathSeparator + target.resolve("bcjsse-lib") + File.separator + "*";
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public static Path benchmarksJar() throws URISyntaxException {
        return Path.of(BenchSuite.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** bench/target: where benchmarks.jar, classes/ and bcjsse-lib/ are. */
    public static Path targetDir() throws URISyntaxException, IOException {
        Path jar = benchmarksJar();
        if (!Files.isRegularFile(jar) || !Files.isDirectory(jar.getParent().resolve("bcjsse-lib"))) {
            throw new IOException("run BenchSuite from bench/target/benchmarks.jar after `mvn package` (found "
                    + jar + ")");
        }
        return jar.getParent();
    }

    public static Map<String, String> machine(boolean quick) {
        Map<String, String> run = new LinkedHashMap<>();
        run.put("date", ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        run.put("setting", quick ? "quick (./qsp bench --quick)" : "full (./qsp bench)");
        run.put("cpu", cpuModel());
        run.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        run.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        run.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        run.put("load average at start", loadAverage());
        return run;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException e) {
            // Not Linux: fall through to the architecture.
        }
        return System.getProperty("os.arch");
    }

    public static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2] + " (1, 5, 15 min)";
        } catch (IOException e) {
            return "unknown";
        }
    }
}
