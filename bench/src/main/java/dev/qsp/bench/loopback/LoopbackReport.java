package dev.qsp.bench.loopback;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.qsp.bench.net.Stack;

/**
 * {@code loopback.md} and {@code loopback.json} of one run: per row and stack the median with its 95% interval
 * and the achieved ± (flagged at or above {@link #STEADY}), the process CPU per operation, and QSP's and the
 * others' ratios to plain TCP, SunJSSE and BCJSSE computed within each round.
 */
final class LoopbackReport {
    /** The ± a row must stay below for the run to count as steady (issue 13 item 2). */
    static final double STEADY = 0.15;
    static final List<String> REFERENCES = List.of("plain", "sunjsse", "bcjsse");

    record Target(String name, String required, String measured, String status) {
    }

    private final LoopbackResults results;
    private final List<Sample> samples;

    LoopbackReport(List<Sample> samples) {
        this.samples = List.copyOf(samples);
        this.results = LoopbackResults.of(samples);
    }

    LoopbackResults results() {
        return results;
    }

    static String label(String stack) {
        try {
            return Stack.of(stack).label();
        } catch (IllegalArgumentException e) {
            return stack;
        }
    }

    /** Rows whose ± (value or CPU) is at or above {@link #STEADY}. */
    List<String> unsteady() {
        List<String> out = new ArrayList<>();
        for (LoopbackResults.Row r : results.rows()) {
            if (r.value().relativeHalfWidth() >= STEADY) {
                out.add(r.kind().id() + " " + r.stack() + " " + pct(r.value().relativeHalfWidth()));
            }
            if (r.cpuMicros().relativeHalfWidth() >= STEADY) {
                out.add(r.kind().id() + " " + r.stack() + " CPU " + pct(r.cpuMicros().relativeHalfWidth()));
            }
        }
        return out;
    }

    List<Target> targets() {
        List<Target> t = new ArrayList<>();
        t.add(target("QSP 64-byte echo vs plain TCP (issue 13)", results.ratio(Kind.ECHO, "qsp", "plain"), "<=", 1.15));
        t.add(target("QSP handshake vs BCJSSE (issue 6)", results.ratio(Kind.HANDSHAKE, "qsp", "bcjsse"), "<=", 0.6));
        return t;
    }

    private static Target target(String name, Optional<LoopbackResults.Ratio> ratio, String op, double bound) {
        String required = op + " " + bound + "x";
        if (ratio.isEmpty()) {
            return new Target(name, required, "-", "not measured");
        }
        Stats s = ratio.get().value();
        double r = s.median();
        boolean met = op.equals("<=") ? r <= bound : r >= bound;
        String margin = met ? "" : String.format(Locale.ROOT, " (by %.0f%%)", 100 * Math.abs(r - bound) / bound);
        return new Target(name, required, String.format(Locale.ROOT, "%.2fx (%.2f-%.2f)", r, s.low(), s.high()),
                (met ? "met" : "missed") + margin);
    }

    String markdown(Map<String, String> run) {
        StringBuilder md = new StringBuilder();
        md.append("## Loopback, stacks interleaved round by round (./qsp bench loopback)\n\n");
        run.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
        md.append("\nEach figure is the median over ").append(results.rounds()).append(" rounds of the round's figure"
                + " (handshake and echo: the median over the round's turns, the stacks taking turns operation by"
                + " operation, one handshake or " + LoopbackFork.ECHO_BATCH + " echoes per turn; throughput: the server's handshakes per second in the round's window); the interval is"
                + " the median's 95% confidence interval from order statistics and ± the larger distance from the"
                + " median to its ends. CPU is the process's CPU time per operation outside the JIT compiler threads"
                + " (client, server, key-source tasks and GC: both ends are in the one JVM), over the round's turns. The × columns are ratios"
                + " computed within each round, then summarized the same way (median, ±).\n\n");
        md.append("| Row | Stack | Median | 95% interval | ± | CPU µs/op | × plain | × SunJSSE | × BCJSSE |\n");
        md.append("|---|---|---:|---|---:|---:|---:|---:|---:|\n");
        for (LoopbackResults.Row r : results.rows()) {
            Stats v = r.value();
            md.append("| ").append(r.kind().label()).append(" | ").append(label(r.stack())).append(" | ")
                    .append(fmt(v.median())).append(' ').append(r.kind().unit()).append(" | ")
                    .append(fmt(v.low())).append("–").append(fmt(v.high())).append(" | ")
                    .append(pct(v.relativeHalfWidth())).append(" | ")
                    .append(fmt(r.cpuMicros().median())).append(" ± ").append(pct(r.cpuMicros().relativeHalfWidth()));
            for (String ref : REFERENCES) {
                md.append(" | ").append(r.stack().equals(ref) ? "1.00"
                        : results.ratio(r.kind(), r.stack(), ref).map(x -> ratio(x.value())).orElse("-"));
            }
            md.append(" |\n");
        }
        md.append("\nCPU per operation as a ratio (within each round):\n\n| Row | Stack | × plain | × SunJSSE | × BCJSSE |\n"
                + "|---|---|---:|---:|---:|\n");
        for (LoopbackResults.Row r : results.rows()) {
            md.append("| ").append(r.kind().label()).append(" | ").append(label(r.stack()));
            for (String ref : REFERENCES) {
                md.append(" | ").append(r.stack().equals(ref) ? "1.00"
                        : results.ratio(r.kind(), r.stack(), ref).map(x -> ratio(x.cpuMicros())).orElse("-"));
            }
            md.append(" |\n");
        }
        List<String> unsteady = unsteady();
        md.append("\nRows with a ± of ").append(pct(STEADY)).append(" or more: ")
                .append(unsteady.isEmpty() ? "none" : String.join("; ", unsteady)).append(".\n");
        md.append("\nTargets, ratios from this run (median of the per-round ratios, 95% interval):\n\n"
                + "| Target | Required | Measured | Status |\n|---|---|---|---|\n");
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
        ArrayNode rows = root.putArray("rows");
        for (LoopbackResults.Row x : results.rows()) {
            ObjectNode o = rows.addObject().put("row", x.kind().id()).put("stack", x.stack())
                    .put("unit", x.kind().unit());
            stats(o.putObject("value"), x.value());
            stats(o.putObject("cpu_us_per_op"), x.cpuMicros());
        }
        ArrayNode ratios = root.putArray("ratios");
        for (LoopbackResults.Ratio x : results.ratios()) {
            ObjectNode o = ratios.addObject().put("row", x.kind().id()).put("stack", x.stack())
                    .put("reference", x.reference());
            stats(o.putObject("value"), x.value());
            stats(o.putObject("cpu_us_per_op"), x.cpuMicros());
        }
        ArrayNode t = root.putArray("targets");
        targets().forEach(x -> t.addObject().put("target", x.name()).put("required", x.required())
                .put("measured", x.measured()).put("status", x.status()));
        ArrayNode u = root.putArray("unsteady");
        unsteady().forEach(u::add);
        ArrayNode raw = root.putArray("samples");
        for (Sample s : samples) {
            raw.addObject().put("fork", s.fork()).put("round", s.round()).put("row", s.kind().id())
                    .put("stack", s.stack()).put("ops", s.ops()).put("value", s.value())
                    .put("cpu_us", s.cpuMicros());
        }
        return root;
    }

    private static void stats(ObjectNode o, Stats s) {
        o.put("n", s.n()).put("median", s.median()).put("ci95_low", s.low()).put("ci95_high", s.high())
                .put("pm_relative", s.relativeHalfWidth()).put("q1", s.q1()).put("q3", s.q3());
    }

    static String ratio(Stats s) {
        return String.format(Locale.ROOT, "%.2f ±%s", s.median(), pct(s.relativeHalfWidth()));
    }

    static String pct(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * fraction);
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
