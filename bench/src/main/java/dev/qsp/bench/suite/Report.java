package dev.qsp.bench.suite;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Turns the figures of one run into {@code latest.json} and {@code latest.md}: each figure with its ratio to
 * plain TCP and to each TLS stack measured in the same run, and the targets marked met, missed or not
 * measured. A ratio is value / reference value of the same metric (for a time, below 1 is faster; for a
 * throughput, above 1 is faster).
 */
public final class Report {
    /** Rows of the table in this order; the first three are the references of the ratio columns. */
    static final Map<String, String> STACKS = new LinkedHashMap<>();

    static {
        STACKS.put("plain", "plain TCP (java.net.Socket)");
        STACKS.put("sunjsse", "SunJSSE TLS 1.3, x25519, ECDSA P-256");
        STACKS.put("bcjsse", "BCJSSE 1.84 TLS 1.3, X25519MLKEM768, ML-DSA-65");
        STACKS.put("qsp", "QSP, X-Wing + ML-DSA-65");
        STACKS.put("qsp-kme", "QSP, X-Wing + ML-DSA-65 + embedded KME");
    }

    static final List<String> REFERENCES = List.of("plain", "sunjsse", "bcjsse");

    /** The seed's rekey rate; the target is ten times it. */
    static final double SEED_REKEYS_PER_SECOND = 38_660;

    private final List<Figure> figures;
    private final Map<String, String> run;
    private final List<String> notes;

    /**
     * @param run   the run's context in display order (date, machine, JDK, setting)
     * @param notes lines for the closing note (what was not measured and why)
     */
    public Report(List<Figure> figures, Map<String, String> run, List<String> notes) {
        this.figures = List.copyOf(figures);
        this.run = run;
        this.notes = List.copyOf(notes);
    }

    Optional<Figure> find(Metric metric, String stack) {
        return figures.stream().filter(f -> f.metric() == metric && f.stack().equals(stack)).findFirst();
    }

    /** One of the targets, evaluated on this run's figures. */
    record Target(String name, String required, String measured, String status) {
    }

    List<Target> targets() {
        List<Target> t = new ArrayList<>();
        Optional<Figure> ratchet = find(Metric.REKEY_RATCHET, "qsp");
        double need = 10 * SEED_REKEYS_PER_SECOND;
        t.add(new Target("ratchet rekey rate", ">= 10x seed (" + fmt(need) + " rekeys/s)",
                ratchet.map(f -> fmt(f.value()) + " rekeys/s").orElse("-"),
                ratchet.map(f -> f.value() >= need ? "met" : "missed").orElse("not measured")));
        t.add(ratio("QSP handshake vs BCJSSE hybrid", Metric.HANDSHAKE, "bcjsse", "<=", 0.6));
        t.add(ratio("QSP bulk vs SunJSSE", Metric.BULK, "sunjsse", ">=", 2.0));
        t.add(ratio("QSP bulk vs plain TCP", Metric.BULK, "plain", ">=", 0.75));
        t.add(ratio("QSP echo vs plain TCP", Metric.ECHO, "plain", "<=", 1.15));
        return t;
    }

    private Target ratio(String name, Metric metric, String reference, String op, double bound) {
        Optional<Figure> qsp = find(metric, "qsp");
        Optional<Figure> ref = find(metric, reference);
        String required = op + " " + bound + "x " + reference;
        if (qsp.isEmpty() || ref.isEmpty()) {
            return new Target(name, required, "-", "not measured");
        }
        double r = qsp.get().value() / ref.get().value();
        boolean met = op.equals("<=") ? r <= bound : r >= bound;
        return new Target(name, required, String.format(Locale.ROOT, "%.2fx", r), met ? "met" : "missed");
    }

    /**
     * For each missed target, what this run's own figures say about the cause (the closing note the issue asks
     * for). They state measurements and where the time goes, not excuses: a missed target stays missed.
     */
    List<String> whyMissed() {
        List<String> why = new ArrayList<>();
        String cores = run.getOrDefault("cores", "?");
        for (Target t : targets()) {
            if (!t.status().equals("missed")) {
                continue;
            }
            switch (t.name()) {
                case "ratchet rekey rate" -> find(Metric.REKEY_RATCHET, "qsp").ifPresent(f -> why.add(String.format(
                        Locale.ROOT, "Ratchet rekey missed: one full exchange takes %.1f µs here (three AEAD frames"
                        + " sealed and opened, SHA-384 over the rekey messages, the QSP-KDF epoch and traffic-key steps"
                        + " through the JCA on both sides); ten times the seed needs 2.6 µs.", 1e6 / f.value())));
                case "QSP handshake vs BCJSSE hybrid" -> why.add(String.format(Locale.ROOT,
                        "Handshake missed: QSP %s ms against BCJSSE %s ms, both with ML-DSA-65 signatures and a"
                        + " hybrid KEM (see the ± column for how much this machine's load moves them).",
                        fmt(value(Metric.HANDSHAKE, "qsp")), fmt(value(Metric.HANDSHAKE, "bcjsse"))));
                case "QSP bulk vs SunJSSE", "QSP bulk vs plain TCP" -> {
                    if (why.stream().noneMatch(w -> w.startsWith("Bulk"))) {
                        why.add(String.format(Locale.ROOT, "Bulk missed: QSP moved %s MiB/s, plain TCP %s,"
                                + " SunJSSE %s. Sender and receiver share the same %s cores, so AES-256-GCM sealing"
                                + " and opening compete with the kernel copy, which is all plain TCP does.",
                                fmt(value(Metric.BULK, "qsp")), fmt(value(Metric.BULK, "plain")),
                                fmt(value(Metric.BULK, "sunjsse")), cores));
                    }
                }
                case "QSP echo vs plain TCP" -> why.add(String.format(Locale.ROOT,
                        "Echo missed: %s µs against %s µs for plain TCP; each round trip seals and opens two frames"
                        + " and crosses the socket layer's buffers, a few µs that a busy machine's scheduling noise"
                        + " can hide or inflate.", fmt(value(Metric.ECHO, "qsp")), fmt(value(Metric.ECHO, "plain"))));
                default -> why.add(t.name() + " missed.");
            }
        }
        return why;
    }

    private double value(Metric metric, String stack) {
        return find(metric, stack).map(Figure::value).orElse(Double.NaN);
    }

    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("latest.json"), json(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("latest.md"), markdown(), StandardCharsets.UTF_8);
    }

    String json() throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        ObjectNode runNode = root.putObject("run");
        run.forEach(runNode::put);
        ArrayNode rows = root.putArray("figures");
        for (Figure f : sorted()) {
            ObjectNode row = rows.addObject();
            row.put("metric", f.metric().key());
            row.put("stack", f.stack());
            row.put("unit", f.metric().unit());
            row.put("higher_is_better", f.metric().higherIsBetter());
            row.put("value", f.value());
            if (Double.isNaN(f.error())) {
                row.putNull("error");
            } else {
                row.put("error", f.error());
            }
            ObjectNode ratios = row.putObject("ratio_to");
            for (String ref : REFERENCES) {
                find(f.metric(), ref).ifPresent(r -> ratios.put(ref, f.value() / r.value()));
            }
        }
        ArrayNode targets = root.putArray("targets");
        for (Target t : targets()) {
            ObjectNode n = targets.addObject();
            n.put("target", t.name());
            n.put("required", t.required());
            n.put("measured", t.measured());
            n.put("status", t.status());
        }
        ArrayNode noteNodes = root.putArray("notes");
        notes.forEach(noteNodes::add);
        whyMissed().forEach(noteNodes::add);
        return mapper.writeValueAsString(root) + "\n";
    }

    String markdown() {
        StringBuilder md = new StringBuilder("# QSP benchmark results\n\n");
        run.forEach((k, v) -> md.append("- **").append(k).append("**: ").append(v).append('\n'));
        md.append("\nRatios are value / reference value for the same metric, measured in the same run: for a"
                + " time or memory below 1 is better, for a throughput above 1 is better. ± is JMH's 99.9%"
                + " confidence half-width (blank with too few iterations).\n\n");
        md.append("| Metric | Stack | Value | Unit | × plain | × SunJSSE | × BCJSSE |\n");
        md.append("|---|---|---:|---|---:|---:|---:|\n");
        for (Figure f : sorted()) {
            md.append("| ").append(f.metric().label()).append(" | ").append(STACKS.getOrDefault(f.stack(), f.stack()))
                    .append(" | ").append(fmt(f.value()));
            if (!Double.isNaN(f.error())) {
                md.append(" ± ").append(fmt(f.error()));
            }
            md.append(" | ").append(f.metric().unit());
            for (String ref : REFERENCES) {
                md.append(" | ").append(find(f.metric(), ref)
                        .map(r -> String.format(Locale.ROOT, "%.2f", f.value() / r.value())).orElse("-"));
            }
            md.append(" |\n");
        }
        md.append("\n## Targets (issue 6)\n\n| Target | Required | Measured | Status |\n|---|---|---|---|\n");
        for (Target t : targets()) {
            md.append("| ").append(t.name()).append(" | ").append(t.required()).append(" | ")
                    .append(t.measured()).append(" | ").append(t.status()).append(" |\n");
        }
        List<String> closing = new ArrayList<>(notes);
        closing.addAll(whyMissed());
        if (!closing.isEmpty()) {
            md.append("\n## Notes\n\n");
            closing.forEach(n -> md.append("- ").append(n).append('\n'));
        }
        return md.toString();
    }

    private List<Figure> sorted() {
        List<String> order = new ArrayList<>(STACKS.keySet());
        return figures.stream()
                .sorted((a, b) -> a.metric() != b.metric() ? a.metric().compareTo(b.metric())
                        : Integer.compare(index(order, a.stack()), index(order, b.stack())))
                .toList();
    }

    private static int index(List<String> order, String stack) {
        int i = order.indexOf(stack);
        return i < 0 ? order.size() : i;
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        double a = Math.abs(v);
        String pattern = a >= 1000 ? "%,.0f" : a >= 100 ? "%.1f" : a >= 10 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, pattern, v);
    }
}
