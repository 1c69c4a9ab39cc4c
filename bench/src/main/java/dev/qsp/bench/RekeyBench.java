package dev.qsp.bench;

import java.io.IOException;
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
import org.openjdk.jmh.annotations.Warmup;

import dev.qsp.bench.engine.BenchIdentity;
import dev.qsp.bench.engine.EnginePair;
import dev.qsp.sockets.engine.RekeyKind;

/**
 * Rekeys per second on an in-memory engine pair, both kinds (SPEC.md §4.10): one operation is a full
 * REKEY_INIT / REKEY_ACK / REKEY_COMMIT exchange, sealed, delivered, opened and committed on both sides.
 * {@code ratchet} is HKDF only; {@code fresh} adds a new X-Wing key pair, encapsulation and decapsulation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RekeyBench {
    @Param({"ratchet", "fresh"})
    public String kind;

    private RekeyKind rekeyKind;
    private EnginePair pair;

    @Setup
    public void setUp() throws IOException {
        rekeyKind = "ratchet".equals(kind) ? RekeyKind.RATCHET : RekeyKind.FRESH;
        pair = EnginePair.establish(BenchIdentity.create("rekey-bench"), "rekey-bench", false);
    }

    @Benchmark
    public int rekey() throws IOException {
        pair.rekey(rekeyKind);
        return pair.server.epoch();
    }
}
