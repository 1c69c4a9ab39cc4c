package dev.qsp.bench.suite;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The engine benchmarks' figures of one run ({@link EngineSuite}) with issue 13's targets evaluated on them: each
 * a ratio of two figures measured in the same run, marked met or missed with the margin.
 */
final class EngineReport {
    static final Map<String, String> STACKS = new LinkedHashMap<>();

    static {
        STACKS.put("qsp", "QSP engine, X-Wing + ML-DSA-65, AES-256-GCM");
        STACKS.put("sunjsse", "SunJSSE SSLEngine TLS 1.3, x25519, ECDSA P-256, AES-256-GCM");
        STACKS.put("bcjsse", "BCJSSE 1.84 SSLEngine TLS 1.3, X25519MLKEM768, ML-DSA-65, AES-256-GCM");
    }

    static final List<Integer> SIZES = List.of(16384, 1024, 64);

    record Handshake(String stack, double wallMicros, double error, double clientMicros, double serverMicros) {
        double cpuMicros() {
            return clientMicros + serverMicros;
        }
    }

    record Bulk(String stack, int size, double mibPerSecond, double error) {
    }

    record Memory(String stack, double bytesPerPair) {
    }

    record Primitive(String name, double micros, double error) {
    }

    record Target(String name, String required, String measured, String status) {
    }

    private final List<Handshake> handshakes;
    private final List<Bulk> bulk;
    private final List<Memory> memory;
    private final List<Primitive> floor;

    EngineReport(List<Handshake> handshakes, List<Bulk> bulk, List<Memory> memory, List<Primitive> floor) {
        this.handshakes = List.copyOf(handshakes);
        this.bulk = List.copyOf(bulk);
        this.memory = List.copyOf(memory);
        this.floor = List.copyOf(floor);
    }

    /** From JMH's JSON runs (any order, any mix of the three benchmarks) and the memory figures. */
    static EngineReport of(List<JsonNode> runs, List<Memory> memory) throws IOException {
        List<Handshake> handshakes = new ArrayList<>();
        List<Bulk> bulk = new ArrayList<>();
        List<Primitive> floor = new ArrayList<>();
        for (JsonNode run : runs) {
            String benchmark = run.path("benchmark").asText();
            String cls = benchmark.substring(0, benchmark.lastIndexOf('.'));
            String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
            JsonNode primary = run.path("primaryMetric");
            double score = number(primary.path("score"));
            double error = number(primary.path("scoreError"));
            String unit = primary.path("scoreUnit").asText();
            String stack = run.path("params").path("stack").asText();
            switch (cls.substring(cls.lastIndexOf('.') + 1)) {
                case "EngineHandshakeBench" -> {
                    JsonNode aux = run.path("secondaryMetrics");
                    double n = number(aux.path("handshakes").path("score"));
                    handshakes.add(new Handshake(stack, micros(score, unit), micros(error, unit),
                            number(aux.path("clientNanos").path("score")) / n / 1000.0,
                            number(aux.path("serverNanos").path("score")) / n / 1000.0));
                }
                case "EngineBulkBench" -> {
                    int size = run.path("params").path("size").asInt();
                    if (!unit.equals("ops/s")) {
                        throw new IOException("unexpected unit " + unit + " for " + benchmark);
                    }
                    double perOp = size / (double) (1 << 20);
                    bulk.add(new Bulk(stack, size, score * perOp, error * perOp));
                }
                case "HandshakeFloorBench" -> floor.add(new Primitive(method, micros(score, unit), micros(error, unit)));
                default -> throw new IOException("unexpected benchmark " + benchmark);
            }
        }
        return new EngineReport(handshakes, bulk, memory, floor);
    }

    Optional<Handshake> handshake(String stack) {
        return handshakes.stream().filter(h -> h.stack().equals(stack)).findFirst();
    }

    Optional<Bulk> bulk(String stack, int size) {
        return bulk.stream().filter(b -> b.stack().equals(stack) && b.size() == size).findFirst();
    }

    Optional<Memory> memory(String stack) {
        return memory.stream().filter(m -> m.stack().equals(stack)).findFirst();
    }

    double primitive(String name) {
        return floor.stream().filter(p -> p.name().equals(name)).mapToDouble(Primitive::micros).findFirst()
                .orElse(Double.NaN);
    }

    /**
     * The handshake floor with {@code verifies} ML-DSA-65 verifications: one sign, X-Wing keygen, encaps, decaps,
     * and the verifications (one for the pinned or self-signed server of these rows, two for a leaf under a CA).
     */
    double floorMicros(int verifies) {
        return primitive("mldsa65Sign") + verifies * primitive("mldsa65Verify") + primitive("xwingKeygen")
                + primitive("xwingEncaps") + primitive("xwingDecaps");
    }

    List<Target> targets() {
        List<Target> t = new ArrayList<>();
        Optional<Handshake> qsp = handshake("qsp");
        Optional<Handshake> bc = handshake("bcjsse");
        t.add(ratio("handshake CPU, client, vs BCJSSE", qsp.map(Handshake::clientMicros),
                bc.map(Handshake::clientMicros), "<=", 0.5));
        t.add(ratio("handshake CPU, server, vs BCJSSE", qsp.map(Handshake::serverMicros),
                bc.map(Handshake::serverMicros), "<=", 0.5));
        double floor1 = floorMicros(1);
        t.add(ratio("handshake CPU (both sides) vs primitive floor", qsp.map(Handshake::cpuMicros),
                Double.isNaN(floor1) ? Optional.empty() : Optional.of(floor1), "<=", 1.3));
        t.add(ratio("bulk 16 KiB records vs SunJSSE", bulk("qsp", 16384).map(Bulk::mibPerSecond),
                bulk("sunjsse", 16384).map(Bulk::mibPerSecond), ">=", 1.0));
        t.add(ratio("bulk 1 KiB records vs SunJSSE", bulk("qsp", 1024).map(Bulk::mibPerSecond),
                bulk("sunjsse", 1024).map(Bulk::mibPerSecond), ">=", 1.2));
        t.add(ratio("memory per established session pair vs SunJSSE", memory("qsp").map(Memory::bytesPerPair),
                memory("sunjsse").map(Memory::bytesPerPair), "<=", 0.5));
        return t;
    }

    private static Target ratio(String name, Optional<Double> value, Optional<Double> reference, String op,
            double bound) {
        String required = op + " " + bound + "x";
        if (value.isEmpty() || reference.isEmpty()) {
            return new Target(name, required, "-", "not measured");
        }
        double r = value.get() / reference.get();
        boolean met = op.equals("<=") ? r <= bound : r >= bound;
        String margin = met ? "" : String.format(Locale.ROOT, " (by %.0f%%)", 100 * Math.abs(r - bound) / bound);
        return new Target(name, required, String.format(Locale.ROOT, "%.2fx", r), (met ? "met" : "missed") + margin);
    }

    String markdown(Map<String, String> run) {
        StringBuilder md = new StringBuilder();
        md.append("## In-memory engines (CPU per operation, no sockets)\n\n");
        run.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
        md.append("\nHandshake: a new client and server engine, one thread; wall time of both sides (± JMH 99.9%),"
                + " and each side's CPU time.\n\n");
        md.append("| Stack | both sides µs (wall) | client µs CPU | server µs CPU | × floor |\n|---|---:|---:|---:|---:|\n");
        double floor1 = floorMicros(1);
        for (String stack : STACKS.keySet()) {
            handshake(stack).ifPresent(h -> md.append(String.format(Locale.ROOT, "| %s | %s ± %s | %s | %s | %s |\n",
                    STACKS.get(stack), fmt(h.wallMicros()), fmt(h.error()), fmt(h.clientMicros()),
                    fmt(h.serverMicros()), stack.equals("qsp") ? String.format(Locale.ROOT, "%.2f", h.cpuMicros() / floor1) : "-")));
        }
        md.append("\nThe floor (QSP's unavoidable primitives, µs each, same run):\n\n| Primitive | µs |\n|---|---:|\n");
        for (Primitive p : floor) {
            md.append(String.format(Locale.ROOT, "| %s | %s ± %s |\n", p.name(), fmt(p.micros()), fmt(p.error())));
        }
        md.append(String.format(Locale.ROOT, "| floor: sign + 1 verify + X-Wing keygen, encaps, decaps | %s |\n", fmt(floor1)));
        md.append(String.format(Locale.ROOT, "| floor with a CA-issued leaf (2 verifies) | %s |\n", fmt(floorMicros(2))));
        md.append("\nBulk: one record sealed by the client engine and opened by the server engine, MiB/s of plaintext.\n\n");
        md.append("| Stack | 16 KiB | 1 KiB | 64 B |\n|---|---:|---:|---:|\n");
        for (String stack : STACKS.keySet()) {
            if (bulk.stream().noneMatch(b -> b.stack().equals(stack))) {
                continue;
            }
            md.append("| ").append(STACKS.get(stack));
            for (int size : SIZES) {
                md.append(" | ").append(bulk(stack, size).map(b -> fmt(b.mibPerSecond()) + " ± " + fmt(b.error()))
                        .orElse("-"));
            }
            md.append(" |\n");
        }
        md.append("\nMemory per established session pair (both engines, heap after full GCs):\n\n| Stack | KiB |\n|---|---:|\n");
        for (String stack : STACKS.keySet()) {
            memory(stack).ifPresent(m -> md.append("| ").append(STACKS.get(stack)).append(" | ")
                    .append(fmt(m.bytesPerPair() / 1024.0)).append(" |\n"));
        }
        md.append("\nTargets (issue 13), ratios from this run:\n\n| Target | Required | Measured | Status |\n|---|---|---|---|\n");
        for (Target t : targets()) {
            md.append("| ").append(t.name()).append(" | ").append(t.required()).append(" | ").append(t.measured())
                    .append(" | ").append(t.status()).append(" |\n");
        }
        return md.toString();
    }

    ObjectNode json(Map<String, String> run) {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        ObjectNode r = root.putObject("run");
        run.forEach(r::put);
        ArrayNode hs = root.putArray("handshake");
        handshakes.forEach(h -> hs.addObject().put("stack", h.stack()).put("wall_us", h.wallMicros())
                .put("wall_us_error", h.error()).put("client_cpu_us", h.clientMicros())
                .put("server_cpu_us", h.serverMicros()));
        ArrayNode b = root.putArray("bulk");
        bulk.forEach(x -> b.addObject().put("stack", x.stack()).put("record_bytes", x.size())
                .put("mib_per_s", x.mibPerSecond()).put("mib_per_s_error", x.error()));
        ArrayNode mem = root.putArray("memory");
        memory.forEach(x -> mem.addObject().put("stack", x.stack()).put("bytes_per_session_pair", x.bytesPerPair()));
        ArrayNode f = root.putArray("floor");
        floor.forEach(x -> f.addObject().put("primitive", x.name()).put("us", x.micros()).put("us_error", x.error()));
        ArrayNode t = root.putArray("targets");
        targets().forEach(x -> t.addObject().put("target", x.name()).put("required", x.required())
                .put("measured", x.measured()).put("status", x.status()));
        return root;
    }

    /** Adds this section to a suite's {@code latest.md} and, under {@code "engine"}, to its {@code latest.json}. */
    void appendTo(Path out, Map<String, String> run) throws IOException {
        Files.writeString(out.resolve("latest.md"), "\n" + markdown(run),
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        ObjectMapper m = new ObjectMapper();
        ObjectNode latest = (ObjectNode) m.readTree(out.resolve("latest.json").toFile());
        latest.set("engine", json(run));
        m.writerWithDefaultPrettyPrinter().writeValue(out.resolve("latest.json").toFile(), latest);
    }

    private static double number(JsonNode n) {
        return n.isNumber() ? n.asDouble() : Double.NaN;
    }

    private static double micros(double v, String unit) throws IOException {
        return switch (unit) {
            case "us/op" -> v;
            case "ns/op" -> v / 1000.0;
            case "ms/op" -> v * 1000.0;
            default -> throw new IOException("unexpected JMH unit " + unit);
        };
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
