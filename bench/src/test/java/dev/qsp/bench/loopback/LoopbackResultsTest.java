package dev.qsp.bench.loopback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Aggregation of the round-robin harness's samples, exact: per-row medians and intervals over all rounds of all
 * forks, ratios computed within each round (so drift that moves every stack alike cancels), rounds where one
 * stack is missing left out of that pair's ratio, and a sample twice refused.
 */
class LoopbackResultsTest {
    /** Fork f, round r: the machine is (r + 1) * (f + 1) times slower than at best. */
    private static long drift(int fork, int round) {
        return (round + 1L) * (fork + 1L);
    }

    private static List<Sample> drifting() {
        List<Sample> s = new ArrayList<>();
        for (int f = 0; f < 2; f++) {
            for (int r = 0; r < 10; r++) {
                long d = drift(f, r);
                // handshake: QSP 1,000 µs x d, BCJSSE 2,000 µs x d; CPU 800 and 3,200 µs x d
                s.add(new Sample(f, r, Kind.HANDSHAKE, "qsp", 100, 1000.0 * d, 800.0 * d));
                s.add(new Sample(f, r, Kind.HANDSHAKE, "bcjsse", 50, 2000.0 * d, 3200.0 * d));
                // 8 clients, 1 s windows: QSP 300 handshakes/s, BCJSSE 100, whatever the drift; the same CPU per window
                s.add(new Sample(f, r, Kind.HANDSHAKES_8, "bcjsse", 100, 100, 5000.0 * d));
                s.add(new Sample(f, r, Kind.HANDSHAKES_8, "qsp", 300, 300, 5000.0 * d / 3));
            }
        }
        return s;
    }

    @Test
    void ratiosWithinRoundsCancelDriftThatWidensTheRows() {
        LoopbackResults res = LoopbackResults.of(drifting());
        assertEquals(20, res.rounds());
        // drifts sorted: 1 2 2 3 4 4 5 6 6 7 | 8 8 9 10 10 12 14 16 18 20; median (7 + 8) / 2; x(6) = 4, x(15) = 10;
        // quartiles at positions 4.75 and 14.25 (0-based): 4 and 10 + 0.25 x 2
        LoopbackResults.Row qsp = res.row(Kind.HANDSHAKE, "qsp").orElseThrow();
        assertEquals(new Stats(20, 7500, 4000, 10000, 4000, 10500), qsp.value());
        assertEquals(new Stats(20, 6000, 3200, 8000, 3200, 8400), qsp.cpuMicros());
        assertEquals(3500.0 / 7500, qsp.value().relativeHalfWidth(), 1e-15); // the farther end: 7,500 - 4,000
        LoopbackResults.Ratio r = res.ratio(Kind.HANDSHAKE, "qsp", "bcjsse").orElseThrow();
        assertEquals(new Stats(20, 0.5, 0.5, 0.5, 0.5, 0.5), r.value());
        assertEquals(new Stats(20, 0.25, 0.25, 0.25, 0.25, 0.25), r.cpuMicros());
        assertEquals(0.0, r.value().relativeHalfWidth(), 0.0);
        assertEquals(new Stats(20, 2, 2, 2, 2, 2), res.ratio(Kind.HANDSHAKE, "bcjsse", "qsp").orElseThrow().value());
    }

    @Test
    void throughputRowsAreRatesAndTheirRatiosTooComeFromOneRound() {
        LoopbackResults res = LoopbackResults.of(drifting());
        assertEquals(new Stats(20, 300, 300, 300, 300, 300), res.row(Kind.HANDSHAKES_8, "qsp").orElseThrow().value());
        LoopbackResults.Ratio r = res.ratio(Kind.HANDSHAKES_8, "qsp", "bcjsse").orElseThrow();
        assertEquals(3.0, r.value().median(), 0.0);
        // same CPU per window, three times the handshakes: a third of the CPU per handshake
        assertEquals(1.0 / 3, r.cpuMicros().median(), 1e-15);
        assertEquals(0.0, r.cpuMicros().relativeHalfWidth(), 1e-12);
        assertTrue(res.ratio(Kind.HANDSHAKES_8, "qsp", "plain").isEmpty());
        assertTrue(res.ratio(Kind.HANDSHAKE, "qsp", "qsp").isEmpty());
        assertTrue(res.row(Kind.ECHO, "qsp").isEmpty());
    }

    @Test
    void rowsAndStacksKeepTheOrderOfTheirFirstSample() {
        LoopbackResults res = LoopbackResults.of(drifting());
        assertEquals(List.of("handshake qsp", "handshake bcjsse", "handshakes-8 bcjsse", "handshakes-8 qsp"),
                res.rows().stream().map(x -> x.kind().id() + " " + x.stack()).toList());
        assertEquals(List.of("handshake qsp/bcjsse", "handshake bcjsse/qsp", "handshakes-8 bcjsse/qsp",
                "handshakes-8 qsp/bcjsse"),
                res.ratios().stream().map(x -> x.kind().id() + " " + x.stack() + "/" + x.reference()).toList());
    }

    @Test
    void aRoundMissingOneStackCountsForItsRowButNotForTheRatio() {
        List<Sample> s = new ArrayList<>();
        for (int r = 0; r < 7; r++) {
            s.add(new Sample(0, r, Kind.ECHO, "plain", 1024, 50, 40));
            if (r != 3) {
                s.add(new Sample(0, r, Kind.ECHO, "qsp", 1024, 55 + r, 60));
            }
        }
        LoopbackResults res = LoopbackResults.of(s);
        assertEquals(7, res.row(Kind.ECHO, "plain").orElseThrow().value().n());
        assertEquals(6, res.row(Kind.ECHO, "qsp").orElseThrow().value().n());
        Stats ratio = res.ratio(Kind.ECHO, "qsp", "plain").orElseThrow().value();
        assertEquals(6, ratio.n());
        // QSP 55, 56, 57, 59, 60, 61 µs against 50 µs: median (57 + 59) / 2 / 50
        assertEquals(1.16, ratio.median(), 1e-12);
        assertEquals(1.10, ratio.low(), 1e-12);
        assertEquals(1.22, ratio.high(), 1e-12);
        // CPU 60 µs against 40 µs per round trip in every round
        assertEquals(1.5, res.ratio(Kind.ECHO, "qsp", "plain").orElseThrow().cpuMicros().median(), 0.0);
    }

    @Test
    void sameRoundNumberInAnotherForkIsAnotherRound() {
        List<Sample> s = List.of(new Sample(0, 0, Kind.ECHO, "qsp", 1, 1, 1), new Sample(1, 0, Kind.ECHO, "qsp", 1, 3, 1));
        LoopbackResults res = LoopbackResults.of(s);
        assertEquals(2, res.rounds());
        assertEquals(2.0, res.row(Kind.ECHO, "qsp").orElseThrow().value().median(), 0.0);
    }

    @Test
    void refusesTheSameSliceTwiceAndASliceWithoutAFigure() {
        List<Sample> twice = List.of(new Sample(1, 4, Kind.HANDSHAKE, "qsp", 10, 1000, 1000),
                new Sample(1, 4, Kind.HANDSHAKE, "qsp", 11, 1000, 1000));
        assertEquals("two samples of handshake qsp in fork 1 round 4",
                assertThrows(IllegalArgumentException.class, () -> LoopbackResults.of(twice)).getMessage());
        assertEquals("handshakes-2 bcjsse: no operation completed (fork 0 round 7)", assertThrows(
                IllegalArgumentException.class, () -> new Sample(0, 7, Kind.HANDSHAKES_2, "bcjsse", 0, 1, 1)).getMessage());
        assertEquals("echo qsp: not a figure: NaN µs, 3.0 µs CPU (fork 1 round 2)", assertThrows(
                IllegalArgumentException.class, () -> new Sample(1, 2, Kind.ECHO, "qsp", 32, Double.NaN, 3)).getMessage());
        assertEquals("echo qsp: not a figure: 0.0 µs, 3.0 µs CPU (fork 1 round 2)", assertThrows(
                IllegalArgumentException.class, () -> new Sample(1, 2, Kind.ECHO, "qsp", 32, 0, 3)).getMessage());
        assertEquals("handshake plain: not a figure: 5.0 µs, 0.0 µs CPU (fork 0 round 0)", assertThrows(
                IllegalArgumentException.class, () -> new Sample(0, 0, Kind.HANDSHAKE, "plain", 1, 5, 0)).getMessage());
        assertEquals("handshake plain: not a figure: 5.0 µs, -1.0 µs CPU (fork 0 round 0)", assertThrows(
                IllegalArgumentException.class, () -> new Sample(0, 0, Kind.HANDSHAKE, "plain", 1, 5, -1)).getMessage());
        assertFalse(LoopbackResults.of(List.of()).row(Kind.ECHO, "qsp").isPresent());
    }

    @Test
    void kindValues() {
        assertEquals(1500.0, Kind.HANDSHAKE.value(2, 3_000_000L), 0.0); // µs per handshake
        assertEquals(250.0, Kind.HANDSHAKES_2.value(150, 600_000_000L), 0.0); // handshakes per second
        assertEquals(Kind.HANDSHAKES_8, Kind.of("handshakes-8"));
        assertEquals("handshakes-2: at least one operation in a positive time, not 0 in 600000000 ns",
                assertThrows(IllegalArgumentException.class, () -> Kind.HANDSHAKES_2.value(0, 600_000_000L)).getMessage());
        assertEquals("unknown row bulk", assertThrows(IllegalArgumentException.class, () -> Kind.of("bulk"))
                .getMessage());
    }
}
