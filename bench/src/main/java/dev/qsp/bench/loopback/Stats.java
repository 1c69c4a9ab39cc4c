package dev.qsp.bench.loopback;

import java.util.Arrays;
import java.util.Collection;

/**
 * Distribution-free summary of one row's per-round values: the median, its 95% confidence interval from order
 * statistics (no assumption of normality: a loaded machine gives skewed, heavy-tailed slices), and the
 * interquartile range. The half-width reported as "±" is the larger distance from the median to either end of
 * that interval, as a fraction of the median, so it is never optimistic on a skewed row.
 *
 * @param n      number of values
 * @param median the sample median (mean of the two middle values when {@code n} is even)
 * @param low    lower end of the 95% confidence interval of the median
 * @param high   upper end of the 95% confidence interval of the median
 * @param q1     first quartile (linear interpolation between order statistics, R type 7)
 * @param q3     third quartile
 */
public record Stats(int n, double median, double low, double high, double q1, double q3) {
    /** Two-sided level of the interval of the median. */
    public static final double CONFIDENCE = 0.95;

    public static Stats of(Collection<Double> values) {
        return of(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    public static Stats of(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values to summarize");
        }
        double[] x = values.clone();
        for (double v : x) {
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                throw new IllegalArgumentException("not a finite value: " + v);
            }
        }
        Arrays.sort(x);
        int n = x.length;
        int j = medianRank(n, CONFIDENCE);
        return new Stats(n, quantile(x, 0.5), x[j - 1], x[n - j], quantile(x, 0.25), quantile(x, 0.75));
    }

    /**
     * The rank {@code j} (1-based) such that the order statistics {@code x(j)} and {@code x(n+1-j)} bound the
     * median with probability at least {@code level}: the largest {@code j} with
     * {@code 2 P(Binomial(n, 1/2) <= j-1) <= 1 - level}. Below 6 values no pair reaches 95%; the interval is then
     * the whole range ({@code j = 1}), the widest the sample can give.
     */
    static int medianRank(int n, double level) {
        double alpha = (1 - level) / 2;
        double pmf = Math.pow(0.5, n); // P(B = 0); exact for n up to 1,074
        double cdf = 0;
        int j = 1;
        for (int k = 0; k < n; k++) {
            cdf += pmf; // P(B <= k)
            if (cdf > alpha) {
                break;
            }
            j = k + 1; // P(B <= j-1) = P(B <= k) <= alpha
            pmf = pmf * (n - k) / (k + 1);
        }
        return Math.min(j, (n + 1) / 2);
    }

    /** Quantile {@code p} of sorted values, interpolated between the order statistics around {@code (n-1)p}. */
    static double quantile(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = (int) Math.ceil(h);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    /** The larger distance from the median to an end of its 95% interval, as a fraction of the median. */
    public double relativeHalfWidth() {
        return Math.max(high - median, median - low) / Math.abs(median);
    }
}
