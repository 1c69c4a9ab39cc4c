package dev.qsp.bench.loopback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The loopback harness's summary statistics, on inputs whose answers are known exactly: the order-statistic ranks
 * of the median's 95% interval agree with the binomial tables, the median, quartiles and ± come out exact.
 */
class StatsTest {
    /** x(j) and x(n+1-j) bound the median with probability >= 95%: the standard table's ranks. */
    @Test
    void medianRanksMatchTheBinomialTable() {
        // n < 6: no pair of order statistics reaches 95% (2 / 2^5 = 6.25% outside [x(1), x(5)]): the whole range
        assertEquals(1, Stats.medianRank(1, 0.95));
        assertEquals(1, Stats.medianRank(5, 0.95));
        assertEquals(1, Stats.medianRank(6, 0.95)); // 2/64 = 3.1% outside [x(1), x(6)]
        assertEquals(1, Stats.medianRank(8, 0.95)); // P(B<=1) = 9/256 = 3.5% > 2.5%
        assertEquals(2, Stats.medianRank(9, 0.95)); // P(B<=1) = 10/512 = 1.95%
        assertEquals(2, Stats.medianRank(10, 0.95)); // P(B<=1) = 11/1024; P(B<=2) = 56/1024 = 5.5%
        assertEquals(6, Stats.medianRank(20, 0.95));
        assertEquals(18, Stats.medianRank(50, 0.95));
        assertEquals(36, Stats.medianRank(90, 0.95));
        assertEquals(40, Stats.medianRank(100, 0.95));
    }

    @Test
    void summaryOfTenValuesIsExact() {
        // 1..10 shuffled; 95% interval of the median: x(2) = 2 and x(9) = 9
        Stats s = Stats.of(new double[] {7, 3, 10, 1, 5, 9, 2, 8, 4, 6});
        assertEquals(new Stats(10, 5.5, 2, 9, 3.25, 7.75), s);
        assertEquals(3.5 / 5.5, s.relativeHalfWidth(), 0.0);
    }

    @Test
    void plusMinusIsTheFartherEndOfASkewedInterval() {
        // 20 values: interval x(6)..x(15); the median is 100, x(6) = 99 and x(15) = 130 (a tail above)
        double[] v = new double[20];
        for (int i = 0; i < 20; i++) {
            v[i] = i < 5 ? 90 : i < 9 ? 99 : i < 11 ? 100 : i < 14 ? 101 : i == 14 ? 130 : 500;
        }
        Stats s = Stats.of(v);
        assertEquals(100, s.median(), 0.0);
        assertEquals(99, s.low(), 0.0);
        assertEquals(130, s.high(), 0.0);
        assertEquals(0.30, s.relativeHalfWidth(), 1e-15);
    }

    @Test
    void oddCountAndQuartiles() {
        Stats s = Stats.of(List.of(4.0, 1.0, 3.0, 2.0, 5.0));
        assertEquals(new Stats(5, 3, 1, 5, 2, 4), s);
        Stats one = Stats.of(new double[] {42});
        assertEquals(new Stats(1, 42, 42, 42, 42, 42), one);
        assertEquals(0.0, one.relativeHalfWidth(), 0.0);
    }

    @Test
    void inputIsNotReordered() {
        double[] v = {3, 1, 2};
        Stats.of(v);
        assertEquals(List.of(3.0, 1.0, 2.0), List.of(v[0], v[1], v[2]));
    }

    @Test
    void refusesEmptyAndNonFinite() {
        assertEquals("no values to summarize",
                assertThrows(IllegalArgumentException.class, () -> Stats.of(new double[0])).getMessage());
        assertEquals("not a finite value: NaN",
                assertThrows(IllegalArgumentException.class, () -> Stats.of(new double[] {1, Double.NaN})).getMessage());
        assertEquals("not a finite value: Infinity", assertThrows(IllegalArgumentException.class,
                () -> Stats.of(new double[] {Double.POSITIVE_INFINITY})).getMessage());
    }
}
