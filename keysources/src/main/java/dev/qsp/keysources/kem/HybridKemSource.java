package dev.qsp.keysources.kem;

import dev.qsp.keysources.KeySource;
import dev.qsp.keysources.KeySourceException;
import dev.qsp.provider.QspProvider;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.util.Locale;
import javax.crypto.DecapsulateException;
import javax.crypto.KEM;
import javax.crypto.SecretKey;
import javax.security.auth.DestroyFailedException;

/**
 * The hybrid KEM as a key source of slot {@link Slot#KEM} (SPEC.md §4.5): the initiator generates an ephemeral
 * key pair and offers its public key in the KEM's standard encoding ({@code getEncoded()}: the 1240-byte X.509
 * SubjectPublicKeyInfo for X-Wing, the raw 1216-byte key share for X25519MLKEM768, SPEC.md §2); the responder
 * encapsulates to it and replies with the ciphertext; the initiator decapsulates. Both KEMs come from the QSP
 * provider through {@code javax.crypto.KEM}: X-Wing (id {@code x-wing}) and X25519MLKEM768 (id
 * {@code x25519mlkem768}).
 *
 * <p>The ephemeral private key lives only inside one {@link Initiation} and is dropped after
 * {@link Initiation#complete} or {@link Initiation#destroy()}.
 */
public final class HybridKemSource implements KeySource {
    /** JCA name of X-Wing in the QSP provider. */
    public static final String X_WING = "X-Wing";
    /** JCA name of X25519MLKEM768 in the QSP provider. */
    public static final String X25519_MLKEM768 = "X25519MLKEM768";

    private final String algorithm;
    private final String id;
    private final SecureRandom random;

    private HybridKemSource(String algorithm, SecureRandom random) {
        this.algorithm = algorithm;
        this.id = algorithm.toLowerCase(Locale.ROOT);
        this.random = random;
    }

    /** {@return X-Wing with the platform's default randomness} */
    public static HybridKemSource xWing() { return new HybridKemSource(X_WING, null); }

    /** {@return X25519MLKEM768 with the platform's default randomness} */
    public static HybridKemSource x25519MlKem768() { return new HybridKemSource(X25519_MLKEM768, null); }

    /**
     * {@return a source for {@code algorithm} ({@link #X_WING} or {@link #X25519_MLKEM768}) drawing key generation and
     * encapsulation randomness from {@code random} (null: the provider's default)} A deterministic
     * {@code random} makes the exchange reproducible, which only test vectors may want.
     *
     * @param algorithm {@link #X_WING} or {@link #X25519_MLKEM768}
     * @param random    the randomness of key generation and encapsulation, or {@code null} for the provider's default
     */
    public static HybridKemSource of(String algorithm, SecureRandom random) {
        if (!X_WING.equals(algorithm) && !X25519_MLKEM768.equals(algorithm)) {
            throw new IllegalArgumentException("unknown hybrid KEM '" + algorithm + "': use X-Wing or X25519MLKEM768");
        }
        return new HybridKemSource(algorithm, random);
    }

    /** {@return the JCA algorithm name} */
    public String algorithm() { return algorithm; }

    @Override
    public String id() { return id; }

    @Override
    public Slot slot() { return Slot.KEM; }

    @Override
    public Initiation initiate() throws KeySourceException {
        KeyPair kp;
        try {
            KeyPairGenerator kpg = KeyPairGenerator.getInstance(algorithm, QspProvider.instance());
            if (random != null) kpg.initialize(new NamedParameterSpec(algorithm), random);
            kp = kpg.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new KeySourceException(id + ": ephemeral key generation failed: " + e.getMessage(), e);
        }
        return new KemInitiation(kp.getPublic(), kp.getPrivate());
    }

    @Override
    public Response respond(byte[] offer) throws KeySourceException {
        // The provider accepts a key object of its algorithm through its encoding (SPEC.md §2.3) and checks it in
        // newEncapsulator: length, DER shape, the ML-KEM modulus check and the X25519 small-order check.
        PublicKey pk = new EncodedPublicKey(algorithm, X_WING.equals(algorithm) ? "X.509" : "RAW", offer);
        try {
            KEM kem = KEM.getInstance(algorithm, QspProvider.instance());
            KEM.Encapsulated enc = kem.newEncapsulator(pk, random).encapsulate();
            SecretKey key = enc.key();
            byte[] secret = key.getEncoded();
            destroyKey(key);
            return new Response(enc.encapsulation(), secret);
        } catch (java.security.InvalidKeyException e) {
            throw new KeySourceException(id + ": the offered public key (" + offer.length + " bytes) is invalid: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new KeySourceException(id + ": encapsulation failed: " + e.getMessage(), e);
        }
    }

    /**
     * A received public key, handed to the provider in its encoding.
     *
     * @param getAlgorithm the hybrid KEM ({@link #X_WING} or {@link #X25519_MLKEM768})
     * @param getFormat    the encoding: {@code X.509} for X-Wing, {@code RAW} for X25519MLKEM768
     * @param encoded      the public key as received in the peer's offer
     */
    private record EncodedPublicKey(String getAlgorithm, String getFormat, byte[] encoded) implements PublicKey {
        @Override
        public byte[] getEncoded() { return encoded.clone(); }
    }

    private static void destroyKey(SecretKey key) {
        try {
            if (!key.isDestroyed()) key.destroy();
        } catch (DestroyFailedException e) {
            // Not destroyable (e.g. SecretKeySpec): the caller erases its copy; the reference is dropped.
        }
    }

    @Override
    public String toString() { return "HybridKemSource[" + algorithm + "]"; }

    private final class KemInitiation implements Initiation {
        private final byte[] offer;
        private PrivateKey privateKey;

        KemInitiation(PublicKey publicKey, PrivateKey privateKey) {
            this.offer = publicKey.getEncoded();
            this.privateKey = privateKey;
        }

        @Override
        public byte[] offer() { return offer.clone(); }

        @Override
        public byte[] complete(byte[] reply) throws KeySourceException {
            if (privateKey == null) throw new KeySourceException(id + ": exchange already completed or destroyed");
            try {
                KEM kem = KEM.getInstance(algorithm, QspProvider.instance());
                SecretKey key = kem.newDecapsulator(privateKey).decapsulate(reply);
                byte[] secret = key.getEncoded();
                destroyKey(key);
                return secret;
            } catch (DecapsulateException e) {
                throw new KeySourceException(id + ": the peer's ciphertext (" + reply.length + " bytes) was rejected", e);
            } catch (GeneralSecurityException e) {
                throw new KeySourceException(id + ": decapsulation failed: " + e.getMessage(), e);
            } finally {
                destroy();
            }
        }

        @Override
        public void destroy() {
            if (privateKey != null) {
                try {
                    if (!privateKey.isDestroyed()) privateKey.destroy();
                } catch (DestroyFailedException e) {
                    // JDK and BC private keys may not support destroy(); the reference is dropped below.
                }
                privateKey = null;
            }
        }
    }
}
