package dev.qsp.provider.kem;

import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.InvalidParameterException;
import java.security.KeyPair;
import java.security.KeyPairGeneratorSpi;
import java.security.ProviderException;
import java.security.SecureRandom;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;

/**
 * {@code KeyPairGenerator} {@code X-Wing} and {@code X25519MLKEM768} (SPEC.md §2). It draws the private key in
 * one call to the {@code SecureRandom}: the 32-byte X-Wing seed (draft §5.2 GenerateKeyPair, sk = random(32)),
 * or d ‖ z ‖ sk_X (96 bytes) for X25519MLKEM768; the key pair is then derived exactly as the KeyFactory
 * derives it from those bytes.
 *
 * <p>Like the JDK's ML-KEM generator, {@code initialize(-1, random)} sets only the randomness; any other key
 * size is refused. A {@link NamedParameterSpec} must name this algorithm.
 */
public final class HybridKeyPairGenerator extends KeyPairGeneratorSpi {
    private final HybridKem kem;
    private SecureRandom random;

    private HybridKeyPairGenerator(HybridKem kem) {
        this.kem = kem;
    }

    /** {@return the SPI of {@code KeyPairGenerator.getInstance("X-Wing")}} */
    public static HybridKeyPairGenerator xWing() {
        return new HybridKeyPairGenerator(HybridKem.X_WING);
    }

    /** {@return the SPI of {@code KeyPairGenerator.getInstance("X25519MLKEM768")}} */
    public static HybridKeyPairGenerator x25519MlKem768() {
        return new HybridKeyPairGenerator(HybridKem.X25519_MLKEM768);
    }

    @Override
    public void initialize(int keysize, SecureRandom random) {
        if (keysize != -1) {
            throw new InvalidParameterException(kem.algorithm() + " has a single parameter set and no key size;"
                    + " use initialize(-1, random) to set the randomness");
        }
        this.random = random;
    }

    @Override
    public void initialize(AlgorithmParameterSpec params, SecureRandom random)
            throws InvalidAlgorithmParameterException {
        if (params != null && !(params instanceof NamedParameterSpec named && kem.isNamed(named.getName()))) {
            throw new InvalidAlgorithmParameterException(kem.algorithm() + " KeyPairGenerator accepts only"
                    + " NamedParameterSpec(\"" + kem.algorithm() + "\"), got " + describe(params));
        }
        this.random = random;
    }

    @Override
    public KeyPair generateKeyPair() {
        SecureRandom r = random != null ? random : DefaultRandom.INSTANCE;
        byte[] sk = new byte[kem.privateKeySize()];
        r.nextBytes(sk);
        try {
            HybridPrivateKey privateKey = HybridPrivateKey.fromRaw(kem, sk);
            return new KeyPair(privateKey.publicKey(), privateKey);
        } catch (InvalidKeyException e) {
            throw new ProviderException("internal error: generated key of the right length refused", e);
        } finally {
            Arrays.fill(sk, (byte) 0);
        }
    }

    private static String describe(AlgorithmParameterSpec params) {
        return params instanceof NamedParameterSpec n ? "NamedParameterSpec(\"" + n.getName() + "\")"
                : params.getClass().getName();
    }

    private static final class DefaultRandom {
        static final SecureRandom INSTANCE = new SecureRandom();
    }
}
