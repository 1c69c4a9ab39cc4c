package dev.qsp.bench;

import dev.qsp.provider.QspProvider;
import dev.qsp.provider.kdf.Direction;
import dev.qsp.provider.kdf.EpochZeroSpec;
import dev.qsp.provider.kdf.FinishedKeySpec;
import dev.qsp.provider.kdf.HybridExtractSpec;
import dev.qsp.provider.kdf.NextEpochSpec;
import dev.qsp.provider.kdf.QspSecretKey;
import dev.qsp.provider.kdf.TrafficKeySpec;
import java.security.GeneralSecurityException;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.crypto.KDF;
import javax.crypto.SecretKey;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One QSP key-schedule derivation through the JCA (SPEC.md §3): the full handshake schedule (extract chain,
 * both Finished keys, epoch 0 and its two traffic keys) and one rekey step (ratchet or fresh, plus two keys).
 * One {@code KDF} per benchmark thread, as the JCA's concurrency contract requires.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class KeyScheduleBench {
    private static final String STAGE = QspSecretKey.STAGE_SECRET;

    private KDF kdf;
    private byte[] kemSecret;
    private byte[] qkdKey;
    private byte[] handshakeHash;
    private byte[] rekeyHash;
    private byte[] freshKemSecret;
    private SecretKey epochSecret;

    @Setup
    public void setUp() throws GeneralSecurityException {
        kdf = KDF.getInstance("QSP-KDF", new QspProvider());
        Random rnd = new Random(1);
        kemSecret = bytes(rnd, 32);
        qkdKey = bytes(rnd, 32);
        handshakeHash = bytes(rnd, 48);
        rekeyHash = bytes(rnd, 48);
        freshKemSecret = bytes(rnd, 32);
        epochSecret = new QspSecretKey(bytes(rnd, 48), STAGE);
    }

    /** Handshake: HS from KEM + QKD, both Finished keys, E_0, and the two epoch-0 AES-256 keys. */
    @Benchmark
    public void handshakeSchedule(Blackhole bh) throws Exception {
        SecretKey hs = kdf.deriveKey(STAGE, HybridExtractSpec.of(kemSecret, qkdKey, null));
        bh.consume(kdf.deriveKey(STAGE, new FinishedKeySpec(hs, Direction.CLIENT_TO_SERVER)));
        bh.consume(kdf.deriveKey(STAGE, new FinishedKeySpec(hs, Direction.SERVER_TO_CLIENT)));
        SecretKey e0 = kdf.deriveKey(STAGE, new EpochZeroSpec(hs, handshakeHash));
        bh.consume(kdf.deriveKey("AES", new TrafficKeySpec(e0, 0, Direction.CLIENT_TO_SERVER, 32)));
        bh.consume(kdf.deriveKey("AES", new TrafficKeySpec(e0, 0, Direction.SERVER_TO_CLIENT, 32)));
        hs.destroy();
        e0.destroy();
    }

    /** Ratchet rekey: E_1 from E_0 (no fresh inputs) and the two epoch-1 keys. */
    @Benchmark
    public void ratchetStep(Blackhole bh) throws Exception {
        SecretKey e1 = kdf.deriveKey(STAGE, NextEpochSpec.ratchet(epochSecret, 1, rekeyHash));
        bh.consume(kdf.deriveKey("AES", new TrafficKeySpec(e1, 1, Direction.CLIENT_TO_SERVER, 32)));
        bh.consume(kdf.deriveKey("AES", new TrafficKeySpec(e1, 1, Direction.SERVER_TO_CLIENT, 32)));
        e1.destroy();
    }

    /** Fresh rekey (KDF part only; the KEM is benchmarked separately): E_1 with a new KEM secret, two keys. */
    @Benchmark
    public void freshStep(Blackhole bh) throws Exception {
        SecretKey e1 = kdf.deriveKey(STAGE, new NextEpochSpec(epochSecret, 1, rekeyHash, freshKemSecret, null));
        bh.consume(kdf.deriveKey("AES", new TrafficKeySpec(e1, 1, Direction.CLIENT_TO_SERVER, 32)));
        bh.consume(kdf.deriveKey("AES", new TrafficKeySpec(e1, 1, Direction.SERVER_TO_CLIENT, 32)));
        e1.destroy();
    }

    private static byte[] bytes(Random rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }
}
