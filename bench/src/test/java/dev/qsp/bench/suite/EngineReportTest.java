package dev.qsp.bench.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

/** The engine report's per-side CPU, MiB/s and target verdicts, from fixed JMH results. */
class EngineReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode handshake(String stack, double us, long clientNs, long serverNs, long n) throws IOException {
        return JSON.readTree("""
                {"benchmark":"dev.qsp.bench.EngineHandshakeBench.handshake","params":{"stack":"%s"},
                 "primaryMetric":{"score":%s,"scoreError":1.5,"scoreUnit":"us/op"},
                 "secondaryMetrics":{"clientNanos":{"score":%d},"serverNanos":{"score":%d},"handshakes":{"score":%d}}}
                """.formatted(stack, us, clientNs, serverNs, n));
    }

    private static JsonNode bulk(String stack, int size, double opsPerSecond) throws IOException {
        return JSON.readTree("""
                {"benchmark":"dev.qsp.bench.EngineBulkBench.record","params":{"stack":"%s","size":"%d"},
                 "primaryMetric":{"score":%s,"scoreError":"NaN","scoreUnit":"ops/s"}}
                """.formatted(stack, size, opsPerSecond));
    }

    private static JsonNode floor(String method, double us) throws IOException {
        return JSON.readTree("""
                {"benchmark":"dev.qsp.bench.HandshakeFloorBench.%s",
                 "primaryMetric":{"score":%s,"scoreError":0.1,"scoreUnit":"us/op"}}
                """.formatted(method, us));
    }

    private static EngineReport.Target target(EngineReport r, String name) {
        return r.targets().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    private static EngineReport report() throws IOException {
        List<JsonNode> runs = new ArrayList<>(List.of(
                handshake("qsp", 700, 40_000_000, 30_000_000, 100),     // 400 µs client, 300 µs server
                handshake("bcjsse", 2000, 90_000_000, 50_000_000, 100), // 900 µs client, 500 µs server
                bulk("qsp", 16384, 64_000), bulk("sunjsse", 16384, 60_000), // 1000 vs 937.5 MiB/s
                bulk("qsp", 1024, 500_000), bulk("sunjsse", 1024, 450_000),
                floor("mldsa65Sign", 200), floor("mldsa65Verify", 80), floor("xwingKeygen", 90),
                floor("xwingEncaps", 100), floor("xwingDecaps", 90)));
        return EngineReport.of(runs, List.of(new EngineReport.Memory("qsp", 10_000),
                new EngineReport.Memory("sunjsse", 30_000)));
    }

    @Test
    void perSideCpuAndRates() throws IOException {
        EngineReport r = report();
        EngineReport.Handshake qsp = r.handshake("qsp").orElseThrow();
        assertEquals(400.0, qsp.clientMicros(), 1e-9);
        assertEquals(300.0, qsp.serverMicros(), 1e-9);
        assertEquals(1000.0, r.bulk("qsp", 16384).orElseThrow().mibPerSecond(), 1e-9);
        assertEquals(560.0, r.floorMicros(1), 1e-9);
        assertEquals(640.0, r.floorMicros(2), 1e-9);
    }

    @Test
    void targetsWithMargins() throws IOException {
        EngineReport r = report();
        assertEquals("met", target(r, "handshake CPU, client, vs BCJSSE").status());   // 0.44
        assertEquals("missed (by 20%)", target(r, "handshake CPU, server, vs BCJSSE").status()); // 0.6
        assertEquals("0.60x", target(r, "handshake CPU, server, vs BCJSSE").measured());
        assertEquals("met", target(r, "handshake CPU (both sides) vs primitive floor").status()); // 700/560 = 1.25
        assertEquals("met", target(r, "bulk 16 KiB records vs SunJSSE").status());    // 1.07
        assertEquals("missed (by 7%)", target(r, "bulk 1 KiB records vs SunJSSE").status()); // 1.11 < 1.2
        assertEquals("met", target(r, "memory per established session pair vs SunJSSE").status()); // 0.33
    }

    @Test
    void missingStackIsNotMeasured() throws IOException {
        EngineReport r = EngineReport.of(List.of(handshake("qsp", 700, 1, 1, 1)), List.of());
        assertEquals("not measured", target(r, "handshake CPU, client, vs BCJSSE").status());
    }

    @Test
    void unexpectedBenchmarkIsAnError() throws IOException {
        JsonNode other = JSON.readTree("""
                {"benchmark":"dev.qsp.bench.Other.x","primaryMetric":{"score":1,"scoreUnit":"us/op"}}""");
        IOException e = assertThrows(IOException.class, () -> EngineReport.of(List.of(other), List.of()));
        assertEquals("unexpected benchmark dev.qsp.bench.Other.x", e.getMessage());
    }
}
