package dev.qsp.bench.suite;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads a JMH JSON result file ({@code -rf json}) into figures, converting each benchmark's score into its
 * metric's report unit. Only the suite's own benchmarks are expected; anything else is an error.
 */
public final class JmhResults {
    private JmhResults() {
    }

    public static List<Figure> read(Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        List<Figure> figures = new ArrayList<>();
        for (JsonNode run : root) {
            String benchmark = run.path("benchmark").asText();
            String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
            JsonNode params = run.path("params");
            JsonNode primary = run.path("primaryMetric");
            double score = number(primary.path("score"));
            double error = number(primary.path("scoreError"));
            String unit = primary.path("scoreUnit").asText();
            figures.add(switch (method) {
                case "handshake" -> new Figure(Metric.HANDSHAKE, params.path("stack").asText(),
                        toMillis(score, unit), toMillis(error, unit));
                case "echo" -> new Figure(Metric.ECHO, params.path("stack").asText(),
                        toMicros(score, unit), toMicros(error, unit));
                case "bulk" -> bulk(params.path("stack").asText(), toMillis(score, unit), toMillis(error, unit));
                case "rekey" -> new Figure(
                        "ratchet".equals(params.path("kind").asText()) ? Metric.REKEY_RATCHET : Metric.REKEY_FRESH,
                        "qsp", toPerSecond(score, unit), toPerSecond(error, unit));
                default -> throw new IOException("unexpected benchmark in " + file + ": " + benchmark);
            });
        }
        return figures;
    }

    /** 256 MiB per operation: MiB/s = 256 / seconds; the error scales with the derivative. */
    private static Figure bulk(String stack, double millis, double errorMillis) {
        double mib = dev.qsp.bench.BulkBench.TOTAL / (double) (1 << 20);
        double rate = mib / (millis / 1000.0);
        return new Figure(Metric.BULK, stack, rate, rate * errorMillis / millis);
    }

    private static double number(JsonNode n) {
        return n.isNumber() ? n.asDouble() : Double.NaN; // JMH writes "NaN" as a string
    }

    private static double toMillis(double v, String unit) throws IOException {
        return switch (unit) {
            case "ms/op" -> v;
            case "us/op" -> v / 1000.0;
            case "ns/op" -> v / 1_000_000.0;
            case "s/op" -> v * 1000.0;
            default -> throw new IOException("unexpected JMH unit " + unit);
        };
    }

    private static double toMicros(double v, String unit) throws IOException {
        return toMillis(v, unit) * 1000.0;
    }

    private static double toPerSecond(double v, String unit) throws IOException {
        return switch (unit) {
            case "ops/s" -> v;
            case "ops/ms" -> v * 1000.0;
            case "ops/us" -> v * 1_000_000.0;
            default -> throw new IOException("unexpected JMH unit " + unit);
        };
    }
}
