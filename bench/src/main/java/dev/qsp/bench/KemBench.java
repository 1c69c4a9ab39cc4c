package dev.qsp.bench;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.Security;
import java.util.concurrent.TimeUnit;

import javax.crypto.KEM;
import javax.crypto.SecretKey;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import dev.qsp.provider.QspProvider;

/**
 * Key generation, encapsulation and decapsulation of the hybrid KEMs through the JCA with the QSP provider, and
 * SunJCE's ML-KEM-768 alone as the reference row. Each operation is what a protocol does per handshake:
 * {@code encaps} makes an encapsulator for the peer's key and encapsulates once; {@code decaps} makes a
 * decapsulator for a (cached) private key and decapsulates once.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class KemBench {
    /** {@code ML-KEM-768} is the JDK's own (SunJCE) KEM, for comparison. */
    @Param({"X-Wing", "X25519MLKEM768", "ML-KEM-768"})
    public String algorithm;

    private KeyPairGenerator keyPairGenerator;
    private KEM kem;
    private KeyPair keyPair;
    private byte[] ciphertext;

    @Setup
    public void setUp() throws GeneralSecurityException {
        Provider provider = algorithm.equals("ML-KEM-768") ? Security.getProvider("SunJCE") : new QspProvider();
        keyPairGenerator = KeyPairGenerator.getInstance(algorithm, provider);
        kem = KEM.getInstance(algorithm, provider);
        keyPair = keyPairGenerator.generateKeyPair();
        ciphertext = kem.newEncapsulator(keyPair.getPublic()).encapsulate().encapsulation();
    }

    @Benchmark
    public KeyPair keygen() {
        return keyPairGenerator.generateKeyPair();
    }

    @Benchmark
    public KEM.Encapsulated encaps() throws GeneralSecurityException {
        return kem.newEncapsulator(keyPair.getPublic()).encapsulate();
    }

    @Benchmark
    public SecretKey decaps() throws GeneralSecurityException {
        return kem.newDecapsulator(keyPair.getPrivate()).decapsulate(ciphertext);
    }
}
