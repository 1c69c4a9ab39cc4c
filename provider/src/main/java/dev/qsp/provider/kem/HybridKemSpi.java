package dev.qsp.provider.kem;

import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.PrivateKey;
import java.security.ProviderException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Arrays;
import java.util.Objects;

import javax.crypto.DecapsulateException;
import javax.crypto.KEM;
import javax.crypto.KEMSpi;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code KEM} {@code X-Wing} and {@code X25519MLKEM768} (SPEC.md §2). Thin, in the shape of the JDK's DHKEM: the
 * SPI checks the key and parameters, and a {@link Handler} record does the work for one key.
 */
public final class HybridKemSpi implements KEMSpi {
    private final HybridKem kem;

    private HybridKemSpi(HybridKem kem) {
        this.kem = kem;
    }

    /** {@return the SPI of {@code KEM.getInstance("X-Wing")}} */
    public static HybridKemSpi xWing() {
        return new HybridKemSpi(HybridKem.X_WING);
    }

    /** {@return the SPI of {@code KEM.getInstance("X25519MLKEM768")}} */
    public static HybridKemSpi x25519MlKem768() {
        return new HybridKemSpi(HybridKem.X25519_MLKEM768);
    }

    @Override
    public EncapsulatorSpi engineNewEncapsulator(PublicKey publicKey, AlgorithmParameterSpec spec,
                                                 SecureRandom secureRandom)
            throws InvalidAlgorithmParameterException, InvalidKeyException {
        checkNoSpec(spec);
        HybridPublicKey pk = KeyCodec.toPublicKey(kem, publicKey);
        // FIPS 203 §7.2 encapsulation-key check, run by SunJCE when an encapsulator is made (no randomness drawn).
        MlKem768.encapsulator(pk.mlKem(), new OneShotRandom((byte[][]) null), kem.algorithm());
        if (pk.x25519HasSmallOrder()) {
            throw new InvalidKeyException(kem.algorithm() + " public key: the X25519 public key is a point of small"
                    + " order, so the X25519 shared secret would be all zero (RFC 7748 §6.1)");
        }
        return new Handler(kem, pk, null, secureRandom != null ? secureRandom : DefaultRandom.INSTANCE);
    }

    @Override
    public DecapsulatorSpi engineNewDecapsulator(PrivateKey privateKey, AlgorithmParameterSpec spec)
            throws InvalidAlgorithmParameterException, InvalidKeyException {
        checkNoSpec(spec);
        return new Handler(kem, null, KeyCodec.toPrivateKey(kem, privateKey), null);
    }

    private void checkNoSpec(AlgorithmParameterSpec spec) throws InvalidAlgorithmParameterException {
        if (spec != null) {
            throw new InvalidAlgorithmParameterException(kem.algorithm() + " takes no parameters, got a "
                    + spec.getClass().getName());
        }
    }

    /** The default randomness: one shared, thread-safe SecureRandom (made on first use). */
    private static final class DefaultRandom {
        static final SecureRandom INSTANCE = new SecureRandom();
    }

    /** Encapsulation with {@code pk} or decapsulation with {@code sk}; immutable and thread-safe. */
    private record Handler(HybridKem kem, HybridPublicKey pk, HybridPrivateKey sk, SecureRandom random)
            implements EncapsulatorSpi, DecapsulatorSpi {

        /** X-Wing draft §5.4 Encapsulate = EncapsulateDerand(pk, random(64)); the same steps for X25519MLKEM768. */
        @Override
        public KEM.Encapsulated engineEncapsulate(int from, int to, String algorithm) {
            Objects.checkFromToIndex(from, to, kem.secretSize());
            Objects.requireNonNull(algorithm, "null algorithm");
            checkRange(from, to);
            byte[] eseed = new byte[HybridKem.ESEED_SIZE];
            random.nextBytes(eseed);
            byte[] m = Arrays.copyOfRange(eseed, 0, MlKem768.MESSAGE_SIZE);
            byte[] ekX = Arrays.copyOfRange(eseed, MlKem768.MESSAGE_SIZE, HybridKem.ESEED_SIZE);
            Arrays.fill(eseed, (byte) 0);
            byte[] ssM = null;
            byte[] ssX = null;
            byte[] ss = null;
            try {
                KEM.Encapsulator mlKem;
                try {
                    mlKem = MlKem768.encapsulator(pk.mlKem(), new OneShotRandom(m), kem.algorithm());
                } catch (InvalidKeyException e) {
                    throw new ProviderException("internal error: checked key refused", e);
                }
                byte[] ct = new byte[HybridKem.CIPHERTEXT_SIZE];
                ssM = MlKem768.encapsulate(mlKem, ct);
                byte[] ctX = X25519Dh.publicKey(ekX);
                System.arraycopy(ctX, 0, ct, MlKem768.CIPHERTEXT_SIZE, X25519Dh.SIZE);
                ssX = X25519Dh.sharedSecret(ekX, pk.x25519());
                if (ssX == null) {
                    // Cannot happen: a small-order pk_X was refused by engineNewEncapsulator.
                    throw new ProviderException("internal error: X25519 shared secret is all zero");
                }
                ss = kem.combine(ssM, ssX, ctX, pk.x25519());
                return new KEM.Encapsulated(new SecretKeySpec(ss, from, to - from, algorithm), ct, null);
            } finally {
                erase(m, ekX, ssM, ssX, ss);
            }
        }

        /** X-Wing draft §5.5 Decapsulate, with the expanded key cached in the private key (§5.5.1). */
        @Override
        public SecretKey engineDecapsulate(byte[] encapsulation, int from, int to, String algorithm)
                throws DecapsulateException {
            Objects.checkFromToIndex(from, to, kem.secretSize());
            Objects.requireNonNull(algorithm, "null algorithm");
            Objects.requireNonNull(encapsulation, "null encapsulation");
            checkRange(from, to);
            if (encapsulation.length != HybridKem.CIPHERTEXT_SIZE) {
                throw new DecapsulateException(kem.algorithm() + " ciphertext must be " + HybridKem.CIPHERTEXT_SIZE
                        + " bytes (ML-KEM-768 ciphertext 1088 + X25519 share 32), got " + encapsulation.length);
            }
            byte[] ctX = Arrays.copyOfRange(encapsulation, MlKem768.CIPHERTEXT_SIZE, HybridKem.CIPHERTEXT_SIZE);
            byte[] ssX = X25519Dh.sharedSecret(sk.x25519Scalar(), ctX);
            if (ssX == null) {
                // Depends only on the public ct_X (X25519Dh.sharedSecret), so refusing leaks nothing about sk.
                throw new DecapsulateException(kem.algorithm() + " ciphertext: the X25519 share is a point of small"
                        + " order, so the X25519 shared secret is all zero (RFC 7748 §6.1)");
            }
            byte[] ssM = null;
            byte[] ss = null;
            try {
                ssM = MlKem768.decapsulate(sk.mlKemDecapsulator(), encapsulation);
                ss = kem.combine(ssM, ssX, ctX, sk.publicKey().x25519());
                return new SecretKeySpec(ss, from, to - from, algorithm);
            } finally {
                erase(ssM, ssX, ss);
            }
        }

        @Override
        public int engineSecretSize() {
            return kem.secretSize();
        }

        @Override
        public int engineEncapsulationSize() {
            return HybridKem.CIPHERTEXT_SIZE;
        }

        private void checkRange(int from, int to) {
            if (from == to) {
                throw new UnsupportedOperationException(kem.algorithm() + ": the secret range [" + from + ", " + to
                        + ") is empty; a SecretKey needs at least one byte");
            }
        }

        private static void erase(byte[]... arrays) {
            for (byte[] a : arrays) {
                if (a != null) {
                    Arrays.fill(a, (byte) 0);
                }
            }
        }
    }
}
