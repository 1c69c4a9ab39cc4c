package dev.qsp.bench.loopback;

/**
 * One stack's figure in one row of one round. {@code value} is in the row's unit ({@link Kind#unit()}): for the
 * latency rows the median, over the round's turns, of one handshake's (or one echo batch's per-round-trip) wall
 * time in µs, so that a turn in which the machine descheduled the process for tens of ms moves it no more than any
 * other turn; for a throughput row the handshakes the server completed per second of its window. {@code cpuMicros}
 * is the process's CPU time per operation outside the JIT's compiler threads (client, server, key-source tasks and
 * GC: both ends are in the one JVM), summed over the round's turns, or over the window, and divided by the
 * operations. {@code ops} is how many operations the figures come from.
 */
public record Sample(int fork, int round, Kind kind, String stack, long ops, double value, double cpuMicros) {
    public Sample {
        if (ops <= 0) {
            throw new IllegalArgumentException(kind.id() + " " + stack + ": no operation completed (fork " + fork
                    + " round " + round + ")");
        }
        if (!(value > 0) || Double.isInfinite(value) || !(cpuMicros > 0) || Double.isInfinite(cpuMicros)) {
            throw new IllegalArgumentException(kind.id() + " " + stack + ": not a figure: " + value + " " + kind.unit()
                    + ", " + cpuMicros + " µs CPU (fork " + fork + " round " + round + ")");
        }
    }
}
