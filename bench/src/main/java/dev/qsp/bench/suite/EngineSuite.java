package dev.qsp.bench.suite;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import dev.qsp.bench.BenchCli;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./qsp bench engine}: the in-memory engine benchmarks, rustls-style (no sockets): handshake CPU per side,
 * bulk seal+open at 16 KiB, 1 KiB and 64-byte records, memory per established session pair, for QSP, SunJSSE's
 * and BCJSSE's engines in one run, and the handshake floor from the primitives QSP cannot avoid. Writes
 * {@code engine.json} and {@code engine.md} (and the full {@code ./qsp bench} appends the same section to
 * {@code latest.*}).
 * <p>
 * Settings: full — 1 fork, 3 × 2 s warm-up, 5 × 2 s measurement per benchmark, 1,000 pairs for memory;
 * {@code --quick} — 1 × 1 s warm-up, 3 × 1 s measurement, 200 pairs.
 * <p>
 * Usage: {@code EngineSuite [--quick] [--out DIR]} ({@code --help}).
 */
public final class EngineSuite {
    static final List<String> HERE = List.of("qsp", "sunjsse");
    static final String INCLUDE_HERE = "dev\\.qsp\\.bench\\.(EngineHandshakeBench|EngineBulkBench|HandshakeFloorBench)\\.";
    static final String INCLUDE_BC = "dev\\.qsp\\.bench\\.(EngineHandshakeBench|EngineBulkBench)\\.";

    private final boolean quick;
    private final Path target;
    private final Path work;

    EngineSuite(boolean quick, Path target) throws IOException {
        this.quick = quick;
        this.target = target;
        this.work = Files.createDirectories(target.resolve("bench-run"));
    }

    /** The command line: picocli, one-line errors and exit status 2 on a bad option (as {@link BenchSuite}). */
    @Command(name = "qsp bench engine", description = "In-memory engines (QSP, SunJSSE, BCJSSE): handshake CPU per "
            + "side, bulk seal+open, memory per session pair, the handshake floor.")
    static final class Options implements Callable<Integer> {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Print this help and exit.")
        boolean help;
        @Option(names = "--quick", description = "Fewer iterations (1 x 1 s warm-up, 3 x 1 s measurement, 200 pairs).")
        boolean quick;
        @Option(names = "--out", paramLabel = "DIR", description = "Where to write engine.json and engine.md (default: bench/results).")
        Path out;

        @Override
        public Integer call() throws Exception {
            write(quick, out);
            return 0;
        }
    }

    public static void main(String[] args) {
        System.exit(BenchCli.commandLine(new Options(), System.out, System.err).execute(args));
    }

    private static void write(boolean quick, Path out) throws Exception {
        Path target = BenchSuite.targetDir();
        if (out == null) {
            out = target.getParent().resolve("results");
        }
        Map<String, String> run = BenchSuite.machine(quick);
        EngineReport report = new EngineSuite(quick, target).run();
        run.put("load average at end", BenchSuite.loadAverage());
        Files.createDirectories(out);
        Files.writeString(out.resolve("engine.md"), report.markdown(run), StandardCharsets.UTF_8);
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(out.resolve("engine.json").toFile(),
                report.json(run));
        System.out.println("bench: wrote " + out.resolve("engine.json") + " and " + out.resolve("engine.md"));
        System.out.print(Files.readString(out.resolve("engine.md")));
    }

    /** Runs every engine benchmark and returns the report (the caller writes it). */
    EngineReport run() throws Exception {
        List<JsonNode> runs = new ArrayList<>();
        System.out.println("bench: engines in memory: " + String.join(",", HERE) + ", floor" + (quick ? " (quick)" : ""));
        runs.addAll(jmhHere());
        System.out.println("bench: engines in memory: bcjsse (own JVM, Bouncy Castle 1.84)");
        runs.addAll(jmhBcJsse());
        List<EngineReport.Memory> memory = new ArrayList<>();
        String jar = BenchSuite.benchmarksJar().toString();
        for (String stack : List.of("qsp", "sunjsse", "bcjsse")) {
            System.out.println("bench: engine memory: " + stack);
            memory.add(memory(stack, stack.equals("bcjsse") ? BenchSuite.bcClassPath(target) : jar));
        }
        return EngineReport.of(runs, memory);
    }

    private List<JsonNode> jmhHere() throws Exception {
        Path result = work.resolve("engine-here.json");
        ChainedOptionsBuilder options = new OptionsBuilder().include(INCLUDE_HERE).forks(1)
                .param("stack", HERE.toArray(String[]::new))
                .resultFormat(ResultFormatType.JSON).result(result.toString())
                .output(work.resolve("engine-here.log").toString());
        if (quick) {
            options.warmupIterations(1).measurementIterations(3)
                    .warmupTime(TimeValue.seconds(1)).measurementTime(TimeValue.seconds(1));
        }
        new Runner(options.build()).run();
        return read(result);
    }

    private List<JsonNode> jmhBcJsse() throws Exception {
        Path result = work.resolve("engine-bcjsse.json");
        List<String> cmd = new ArrayList<>(List.of(BenchSuite.java(), "-cp", BenchSuite.bcClassPath(target),
                "org.openjdk.jmh.Main", INCLUDE_BC, "-p", "stack=bcjsse", "-f", "1", "-rf", "json",
                "-rff", result.toString(), "-o", work.resolve("engine-bcjsse.log").toString()));
        if (quick) {
            cmd.addAll(List.of("-wi", "1", "-i", "3", "-w", "1s", "-r", "1s"));
        }
        BenchSuite.runChild(cmd, work.resolve("engine-bcjsse.out"));
        return read(result);
    }

    private EngineReport.Memory memory(String stack, String classPath) throws Exception {
        Path out = work.resolve("engine-memory-" + stack + ".out");
        String pairs = quick ? "200" : "1000";
        BenchSuite.runChild(List.of(BenchSuite.java(), "-Xms1g", "-Xmx1g", "-cp", classPath,
                "dev.qsp.bench.EngineMemory", stack, pairs), out);
        for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
            if (line.startsWith("session_pair_bytes=")) {
                return new EngineReport.Memory(stack, Double.parseDouble(line.substring(line.indexOf('=') + 1)));
            }
        }
        throw new IOException("EngineMemory " + stack + " printed no result; see " + out);
    }

    private static List<JsonNode> read(Path file) throws IOException {
        List<JsonNode> runs = new ArrayList<>();
        new ObjectMapper().readTree(file.toFile()).forEach(runs::add);
        return runs;
    }
}
