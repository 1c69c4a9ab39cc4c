package dev.qsp.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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

/**
 * Bulk record protection on an established in-memory pair: one operation is one record of {@code size}
 * plaintext bytes sealed by the client engine (AES-256-GCM on every stack) and opened and read by the server
 * engine. The suite turns records/s into MiB/s of plaintext.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class EngineBulkBench {
    @Param({"qsp", "sunjsse"})
    public String stack;

    @Param({"16384", "1024", "64"})
    public int size;

    private EngineStack engines;
    private EngineStack.Session session;
    private byte[] data;

    @Setup
    public void setUp() throws Exception {
        engines = EngineStack.of(stack);
        session = engines.handshake(new EngineStack.SideCosts());
        data = new byte[size];
        new SplittableRandom(size).nextBytes(data);
    }

    @TearDown
    public void tearDown() throws Exception {
        engines.close();
    }

    @Benchmark
    public int record() throws Exception {
        return session.transfer(data, size);
    }
}
