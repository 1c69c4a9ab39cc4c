package dev.qsp.bench.loopback;

/**
 * One stack's slice of one row in one round: operations completed, the slice's wall time, and the process CPU
 * time spent meanwhile (every thread of the JVM: client, server, key-source tasks, GC and JIT).
 */
public record Sample(int fork, int round, Kind kind, String stack, long ops, long wallNanos, long cpuNanos) {
    /** The row's figure: µs per operation, or operations per second for a throughput row. */
    public double value() {
        return kind.value(ops, wallNanos);
    }

    /** µs of process CPU per operation. */
    public double cpuMicros() {
        if (ops <= 0) {
            throw new IllegalArgumentException(kind.id() + " " + stack + ": no operation completed in the slice");
        }
        return cpuNanos / 1e3 / ops;
    }
}
