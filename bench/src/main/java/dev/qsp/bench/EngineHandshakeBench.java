package dev.qsp.bench;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import dev.qsp.bench.engine.EngineStack;
import dev.qsp.bench.engine.EngineStack.SideCosts;

/**
 * A full handshake between a new client and a new server engine, in memory on one thread (no socket): the primary
 * score is the wall time of both sides together; the auxiliary counters {@code clientNanos}, {@code serverNanos}
 * and {@code handshakes} give each side's CPU time (the thread's CPU clock around that side's calls), so the
 * suite reports µs of CPU per handshake on the client and on the server. Stacks: {@code qsp}, {@code sunjsse};
 * {@code bcjsse} runs in the Bouncy Castle 1.84 JVM (see BenchSuite).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class EngineHandshakeBench {
    @Param({"qsp", "sunjsse"})
    public String stack;

    private EngineStack engines;

    /** Per-iteration sums; JMH reports them beside the primary score. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Sides {
        final SideCosts costs = new SideCosts();
        public long clientNanos;
        public long serverNanos;
        public long handshakes;

        @Setup(Level.Iteration)
        public void reset() {
            costs.reset();
            clientNanos = 0;
            serverNanos = 0;
            handshakes = 0;
        }
    }

    @Setup
    public void setUp() throws Exception {
        engines = EngineStack.of(stack);
    }

    @TearDown
    public void tearDown() throws Exception {
        engines.close();
    }

    @Benchmark
    public Object handshake(Sides sides) throws Exception {
        Object session = engines.handshake(sides.costs);
        sides.clientNanos = sides.costs.clientNanos;
        sides.serverNanos = sides.costs.serverNanos;
        sides.handshakes++;
        return session;
    }
}
