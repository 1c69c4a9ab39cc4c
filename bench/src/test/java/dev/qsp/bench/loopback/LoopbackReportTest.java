package dev.qsp.bench.loopback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * The loopback report from known samples: rows with their interval and ±, per-round ratio columns, the rows at
 * or above 15% flagged, the targets judged on the per-round ratios; the JSON carries the same numbers and the raw
 * samples, which {@link LoopbackSuite#read} turns back into the same samples. And the command line (issue 12
 * item 6): bad options are one line with exit status 2, nothing runs.
 */
class LoopbackReportTest {
    private static List<Sample> samples() {
        List<Sample> s = new ArrayList<>();
        for (int r = 0; r < 10; r++) {
            // echo: plain 50 µs, QSP 55 µs in every round (1.10x); handshake: QSP 1,000 µs x (1 + r / 10), BCJSSE 2x that
            s.add(new Sample(0, r, Kind.ECHO, "plain", 1024, 50, 40));
            s.add(new Sample(0, r, Kind.ECHO, "qsp", 1024, 55, 60));
            s.add(new Sample(0, r, Kind.HANDSHAKE, "qsp", 80, 1000 + 100 * r, 900));
            s.add(new Sample(0, r, Kind.HANDSHAKE, "bcjsse", 80, 2000 + 200 * r, 1800));
        }
        return s;
    }

    private static Map<String, String> run() {
        Map<String, String> run = new LinkedHashMap<>();
        run.put("date", "2026-12-01T23:30Z");
        return run;
    }

    @Test
    void markdownRowsRatiosFlagsAndTargets() {
        String md = new LoopbackReport(samples()).markdown(run());
        assertTrue(md.contains("- date: 2026-12-01T23:30Z\n"), md);
        assertTrue(md.contains("median over 10 rounds"), md);
        assertTrue(md.contains("| 64-byte echo round trip | QSP (X-Wing, ML-DSA-65, AES-256-GCM) | 55.00 µs | 55.00–55.00"
                + " | 0.0% | 60.00 ± 0.0% | 1.10 ±0.0% | - | - |\n"), md);
        // QSP handshake 1,000..1,900 µs: median 1,450, interval x(2)..x(9) = 1,100..1,800; ± 350 / 1,450
        assertTrue(md.contains("| handshake latency (connect, full handshake, first server byte) | QSP (X-Wing, ML-DSA-65,"
                + " AES-256-GCM) | 1,450 µs | 1,100–1,800 | 24.1% | 900 ± 0.0% | - | - | 0.50 ±0.0% |\n"), md);
        assertTrue(md.contains("| 64-byte echo round trip | QSP (X-Wing, ML-DSA-65, AES-256-GCM) | 1.50 ±0.0% | - | - |\n"), md);
        assertTrue(md.contains("Rows with a ± of 15.0% or more: handshake qsp 24.1%; handshake bcjsse 24.1%.\n"), md);
        assertTrue(md.contains("| QSP 64-byte echo vs plain TCP (issue 13) | <= 1.15x | 1.10x (1.10-1.10) | met |\n"), md);
        assertTrue(md.contains("| QSP handshake vs BCJSSE (issue 6) | <= 0.6x | 0.50x (0.50-0.50) | met |\n"), md);
    }

    @Test
    void jsonCarriesTheFiguresAndTheRawSamples() {
        JsonNode json = new LoopbackReport(samples()).json(run());
        assertEquals("2026-12-01T23:30Z", json.path("run").path("date").asText());
        JsonNode echo = json.path("rows").get(0);
        assertEquals("echo", echo.path("row").asText());
        assertEquals("plain", echo.path("stack").asText());
        assertEquals(50.0, echo.path("value").path("median").asDouble(), 0.0);
        assertEquals(10, echo.path("value").path("n").asInt());
        JsonNode ratio = json.path("ratios").get(0);
        assertEquals("plain", ratio.path("stack").asText());
        assertEquals("qsp", ratio.path("reference").asText());
        assertEquals(50.0 / 55.0, ratio.path("value").path("median").asDouble(), 1e-15);
        assertEquals(2, json.path("unsteady").size());
        assertEquals(samples(), LoopbackSuite.read(json));
    }

    @Test
    void commandLine() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertEquals(2, LoopbackSuite.run(new String[] {"--forks", "0"}, o, e));
        assertEquals(2, LoopbackSuite.run(new String[] {"--forks", "1", "--rounds", "5"}, o, e));
        assertEquals(2, LoopbackSuite.run(new String[] {"--quick", "--warmup", "-1"}, o, e));
        assertEquals(2, LoopbackSuite.run(new String[] {"--stacks", "plain,openssl"}, o, e));
        assertEquals(2, LoopbackSuite.run(new String[] {"--bogus"}, o, e));
        assertEquals("qsp bench loopback: --forks must be at least 1, not 0 (see --help)\n"
                + "qsp bench loopback: --forks x --rounds must be at least 6 for a 95% interval of the median, not 5"
                + " (see --help)\n"
                + "qsp bench loopback: --warmup must not be negative: -1 (see --help)\n"
                + "qsp bench loopback: unknown stack 'openssl' (plain, sunjsse, bcjsse, qsp, qsp-kme) (see --help)\n"
                + "qsp bench loopback: Unknown option: '--bogus' (see --help)\n", err.toString(StandardCharsets.UTF_8));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        assertEquals(0, LoopbackSuite.run(new String[] {"--help"}, o, e));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("Usage: qsp bench loopback "), out.toString());
    }
}
