package dev.qsp.bench.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The report's ratios and target verdicts, from fixed figures. */
class ReportTest {
    private static Report report(List<Figure> figures) {
        Map<String, String> run = new LinkedHashMap<>();
        run.put("date", "2026-01-01T00:00:00Z");
        return new Report(figures, run, List.of("a note"));
    }

    private static Report.Target target(Report r, String name) {
        return r.targets().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void targetsMetAndMissed() {
        Report r = report(List.of(
                new Figure(Metric.HANDSHAKE, "bcjsse", 10.0, Double.NaN),
                new Figure(Metric.HANDSHAKE, "qsp", 5.0, Double.NaN),
                new Figure(Metric.BULK, "plain", 2000, 1),
                new Figure(Metric.BULK, "sunjsse", 500, 1),
                new Figure(Metric.BULK, "qsp", 1200, 1),
                new Figure(Metric.ECHO, "plain", 10, 1),
                new Figure(Metric.ECHO, "qsp", 11.6, 1),
                new Figure(Metric.REKEY_RATCHET, "qsp", 400_000, 1)));
        assertEquals("met", target(r, "ratchet rekey rate").status());
        assertEquals("met", target(r, "QSP handshake vs BCJSSE hybrid").status());
        assertEquals("0.50x", target(r, "QSP handshake vs BCJSSE hybrid").measured());
        assertEquals("met", target(r, "QSP bulk vs SunJSSE").status());
        assertEquals("missed", target(r, "QSP bulk vs plain TCP").status()); // 0.6 < 0.75
        assertEquals("missed", target(r, "QSP echo vs plain TCP").status()); // 1.16 > 1.15
        assertEquals(2, r.whyMissed().size(), r.whyMissed().toString());
        assertTrue(r.markdown().contains("- Bulk missed: QSP moved 1,200 MiB/s, plain TCP 2,000, SunJSSE 500.0."),
                r.markdown());
    }

    @Test
    void missingFiguresAreNotMeasuredNeverMet() {
        Report r = report(List.of(new Figure(Metric.BULK, "plain", 2000, 1)));
        for (Report.Target t : r.targets()) {
            assertEquals("not measured", t.status(), t.name());
        }
    }

    @Test
    void tableShowsRatiosToEachReference() throws Exception {
        Report r = report(List.of(
                new Figure(Metric.ECHO, "plain", 10, Double.NaN),
                new Figure(Metric.ECHO, "sunjsse", 20, Double.NaN),
                new Figure(Metric.ECHO, "bcjsse", 40, Double.NaN)));
        String md = r.markdown();
        assertTrue(md.contains("| 64-byte echo round trip | SunJSSE TLS 1.3, x25519, ECDSA P-256 | 20.00 | µs | 2.00 | 1.00 | 0.50 |"),
                md);
        String json = r.json();
        assertTrue(json.contains("\"plain\" : 4.0"), json);
        assertTrue(json.contains("\"error\" : null"), json);
        assertTrue(md.contains("- a note"), md);
    }
}
