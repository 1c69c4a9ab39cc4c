package dev.qsp.bench;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.concurrent.TimeUnit;

import javax.crypto.KEM;
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

import dev.qsp.provider.QspProvider;

/**
 * The floor of a QSP handshake: the primitives it cannot avoid, through the same JCA services the engine uses
 * (JDK ML-DSA-65; the QSP provider's X-Wing). Client: X-Wing key generation, decapsulation, one ML-DSA-65
 * verification per signature it checks; server: encapsulation and one ML-DSA-65 signature. The suite adds them
 * up (with one verification for a pinned or self-signed server, two for a leaf under a CA) and reports each
 * stack's handshake as a multiple of that sum. The signed message is as long as QSP's (context string, a zero
 * byte and a 48-byte transcript hash).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class HandshakeFloorBench {
    private final byte[] message = new byte[32 + 1 + 48];
    private KeyPair signer;
    private byte[] signature;
    private KeyPairGenerator xwingGenerator;
    private KEM xwing;
    private KeyPair xwingKeys;
    private KEM.Encapsulated encapsulated;

    @Setup
    public void setUp() throws GeneralSecurityException {
        signer = KeyPairGenerator.getInstance("ML-DSA-65").generateKeyPair();
        signature = mldsa65Sign();
        QspProvider qsp = new QspProvider();
        xwingGenerator = KeyPairGenerator.getInstance("X-Wing", qsp);
        xwing = KEM.getInstance("X-Wing", qsp);
        xwingKeys = xwingGenerator.generateKeyPair();
        encapsulated = xwingEncaps();
    }

    @Benchmark
    public byte[] mldsa65Sign() throws GeneralSecurityException {
        Signature s = Signature.getInstance("ML-DSA-65");
        s.initSign(signer.getPrivate());
        s.update(message);
        return s.sign();
    }

    @Benchmark
    public boolean mldsa65Verify() throws GeneralSecurityException {
        Signature s = Signature.getInstance("ML-DSA-65");
        s.initVerify(signer.getPublic());
        s.update(message);
        return s.verify(signature);
    }

    @Benchmark
    public KeyPair xwingKeygen() {
        return xwingGenerator.generateKeyPair();
    }

    @Benchmark
    public KEM.Encapsulated xwingEncaps() throws GeneralSecurityException {
        return xwing.newEncapsulator(xwingKeys.getPublic()).encapsulate();
    }

    @Benchmark
    public SecretKey xwingDecaps() throws GeneralSecurityException {
        return xwing.newDecapsulator(xwingKeys.getPrivate()).decapsulate(encapsulated.encapsulation());
    }
}
