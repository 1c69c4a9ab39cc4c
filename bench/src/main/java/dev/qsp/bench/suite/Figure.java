package dev.qsp.bench.suite;

/**
 * One measured figure of the suite: a metric for one stack, in the metric's report unit, with JMH's 99.9%
 * confidence half-width ({@code NaN} when there were too few iterations to compute one).
 */
public record Figure(Metric metric, String stack, double value, double error) {
}
