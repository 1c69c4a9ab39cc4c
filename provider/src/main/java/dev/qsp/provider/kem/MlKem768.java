package dev.qsp.provider.kem;

import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.ProviderException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

import javax.crypto.DecapsulateException;
import javax.crypto.KEM;
import javax.crypto.SecretKey;

import org.bouncycastle.crypto.params.MLKEMParameters;
import org.bouncycastle.crypto.params.MLKEMPrivateKeyParameters;

/**
 * ML-KEM-768 (FIPS 203) for the hybrid KEMs: the JDK's SunJCE implementation for encapsulation, decapsulation
 * and key generation from a seed, Bouncy Castle as the fallback for the last (SPEC.md §2).
 *
 * <p>The JDK 25 API has no parameter for generating an ML-KEM key pair from a given (d, z): its
 * {@code KeyPairGenerator} only draws them from a {@code SecureRandom}, and its {@code KeyFactory} accepts only
 * the expanded decapsulation key (PKCS#8 {@code OCTET STRING} holding the 2400-byte dk; the seed formats of
 * draft-ietf-lamps-kyber-certificates are not accepted by JDK 25.0.3). So the generator is given a
 * {@link OneShotRandom} holding exactly d and z, which is verified once against Bouncy Castle's
 * ML-KEM.KeyGen_internal(d, z) ({@code JDK_SEEDED_KEYGEN}); if that check fails, Bouncy Castle generates the key
 * and its ek and expanded dk are imported into SunJCE through X.509 and PKCS#8. Either way the keys stay in
 * SunJCE for every later operation.
 */
final class MlKem768 {
    static final int SEED_SIZE = 64;
    static final int ENCAPSULATION_KEY_SIZE = 1184;
    static final int DECAPSULATION_KEY_SIZE = 2400;
    static final int CIPHERTEXT_SIZE = 1088;
    static final int MESSAGE_SIZE = 32;
    static final int SECRET_SIZE = 32;

    /** id-alg-ml-kem-768, 2.16.840.1.101.3.4.4.2 (FIPS 203 / NIST CSOR), DER-encoded. */
    private static final byte[] OID_DER = {0x06, 0x09, 0x60, (byte) 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x04, 0x02};

    private static final byte[] SPKI_PREFIX = Der.spkiPrefix(OID_DER, ENCAPSULATION_KEY_SIZE);
    /** JDK 25's ML-KEM PKCS#8 form: privateKey OCTET STRING containing OCTET STRING(expanded dk). */
    private static final byte[] PKCS8_PREFIX = Der.pkcs8Prefix(OID_DER, DECAPSULATION_KEY_SIZE, true);

    private static final Provider SUN_JCE = HybridKem.requireProvider("SunJCE");
    /** The KEM object is a stateless factory of encapsulators/decapsulators; SunJCE's SPI keeps no state. */
    private static final KEM KEM_768 = kem();

    private MlKem768() {
    }

    /** ek, and the JDK's encapsulation and decapsulation key objects, from a key pair generated from a seed. */
    record KeyPair(byte[] encapsulationKey, PublicKey jdkPublic, PrivateKey jdkPrivate) {
    }

    /** ML-KEM.KeyGen_internal(d, z) with {@code seed = d ‖ z} (FIPS 203 Algorithm 16). */
    static KeyPair fromSeed(byte[] seed) {
        if (seed.length != SEED_SIZE) {
            throw new ProviderException("internal error: ML-KEM-768 seed must be 64 bytes");
        }
        return JDK_SEEDED_KEYGEN ? fromSeedJdk(seed) : fromSeedBc(seed);
    }

    /**
     * Whether SunJCE's own key generation reproduces KeyGen_internal(d, z) when its {@code SecureRandom} hands it
     * exactly d then z (checked once at class initialization, below). SunJCE's generator draws d (32 bytes) and
     * then z (32 bytes) and runs KeyGen_internal on them; its ML-KEM is intrinsified and returns the key objects
     * without a re-import, so it costs a third of Bouncy Castle's key generation plus the two imports (measured
     * on the project machine, 2026-12-01: X-Wing key generation 85 µs with the Bouncy Castle path). The check
     * against Bouncy Castle on a fixed seed guards against a JDK that draws its randomness differently: then, or
     * if the generator asks for anything but those two blocks, the Bouncy Castle path is used.
     */
    private static final boolean JDK_SEEDED_KEYGEN = jdkSeededKeyGenMatches();

    private static boolean jdkSeededKeyGenMatches() {
        byte[] seed = new byte[SEED_SIZE];
        for (int i = 0; i < SEED_SIZE; i++) {
            seed[i] = (byte) (0xA5 ^ i * 7); // a fixed, public test seed
        }
        try {
            return Arrays.equals(fromSeedJdk(seed).encapsulationKey(), fromSeedBc(seed).encapsulationKey());
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** KeyGen_internal(d, z) by SunJCE's generator, d and z handed to it as its only randomness. */
    private static KeyPair fromSeedJdk(byte[] seed) {
        byte[] d = Arrays.copyOfRange(seed, 0, MESSAGE_SIZE);
        byte[] z = Arrays.copyOfRange(seed, MESSAGE_SIZE, SEED_SIZE);
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("ML-KEM-768", SUN_JCE);
            g.initialize(NamedParameterSpec.ML_KEM_768, new OneShotRandom(d, z));
            java.security.KeyPair kp = g.generateKeyPair();
            byte[] spki = kp.getPublic().getEncoded();
            if (spki.length != SPKI_PREFIX.length + ENCAPSULATION_KEY_SIZE) {
                throw new ProviderException("internal error: SunJCE ML-KEM-768 public key has " + spki.length
                        + " encoded bytes");
            }
            byte[] ek = Arrays.copyOfRange(spki, SPKI_PREFIX.length, spki.length);
            return new KeyPair(ek, kp.getPublic(), kp.getPrivate());
        } catch (NoSuchAlgorithmException | java.security.InvalidAlgorithmParameterException e) {
            throw new ProviderException("internal error: SunJCE has no ML-KEM-768 key pair generator", e);
        } finally {
            Arrays.fill(d, (byte) 0);
            Arrays.fill(z, (byte) 0);
        }
    }

    /** KeyGen_internal(d, z) by Bouncy Castle, imported into SunJCE. */
    private static KeyPair fromSeedBc(byte[] seed) {
        MLKEMPrivateKeyParameters bc = new MLKEMPrivateKeyParameters(MLKEMParameters.ml_kem_768, seed);
        byte[] dk = bc.withPreferredFormat(MLKEMPrivateKeyParameters.EXPANDED_KEY).getEncoded();
        try {
            byte[] ek = bc.getPublicKey();
            return new KeyPair(ek, importEncapsulationKey(ek), importDecapsulationKey(dk));
        } finally {
            Arrays.fill(dk, (byte) 0);
            bc.destroy();
        }
    }

    /** Imports a 1184-byte ek into SunJCE. The FIPS 203 §7.2 check happens at {@link #encapsulator}. */
    static PublicKey importEncapsulationKey(byte[] ek) {
        byte[] spki = Der.concat(SPKI_PREFIX, ek);
        try {
            return KeyFactory.getInstance("ML-KEM-768", SUN_JCE).generatePublic(new X509EncodedKeySpec(spki));
        } catch (NoSuchAlgorithmException | InvalidKeySpecException e) {
            throw new ProviderException("internal error: SunJCE refused an ML-KEM-768 encapsulation key", e);
        }
    }

    private static PrivateKey importDecapsulationKey(byte[] dk) {
        byte[] pkcs8 = Der.concat(PKCS8_PREFIX, dk);
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(pkcs8);
        try {
            return KeyFactory.getInstance("ML-KEM-768", SUN_JCE).generatePrivate(spec);
        } catch (NoSuchAlgorithmException | InvalidKeySpecException e) {
            throw new ProviderException("internal error: SunJCE refused an ML-KEM-768 decapsulation key", e);
        } finally {
            Arrays.fill(pkcs8, (byte) 0); // the spec keeps its own copy, which EncodedKeySpec cannot clear
        }
    }

    /**
     * A SunJCE encapsulator for {@code ek}; it draws its 32-byte m from {@code random}. Creating it runs the
     * FIPS 203 §7.2 encapsulation-key check (type check and modulus check), which fails with
     * {@link InvalidKeyException}; the message here says which standard check failed.
     */
    static KEM.Encapsulator encapsulator(PublicKey ek, SecureRandom random, String algorithm)
            throws InvalidKeyException {
        try {
            return KEM_768.newEncapsulator(ek, random);
        } catch (InvalidKeyException e) {
            throw new InvalidKeyException(algorithm + " public key: the ML-KEM-768 encapsulation key fails the"
                    + " FIPS 203 §7.2 modulus check (SunJCE: " + e.getMessage() + ")", e);
        }
    }

    /** SunJCE decapsulator for {@code dk}; creating it runs the FIPS 203 §7.3 hash check. */
    static KEM.Decapsulator decapsulator(PrivateKey dk) {
        try {
            return KEM_768.newDecapsulator(dk);
        } catch (InvalidKeyException e) {
            throw new ProviderException("internal error: SunJCE refused a generated ML-KEM-768 key", e);
        }
    }

    /** ML-KEM.Encaps: returns ss_M (32 bytes); writes the 1088-byte ciphertext into {@code ct} at 0. */
    static byte[] encapsulate(KEM.Encapsulator encapsulator, byte[] ct) {
        KEM.Encapsulated e = encapsulator.encapsulate(0, SECRET_SIZE, "Generic");
        byte[] c = e.encapsulation();
        System.arraycopy(c, 0, ct, 0, CIPHERTEXT_SIZE);
        // The JDK's SecretKeySpec cannot be destroyed; our copy of the secret is erased by the caller.
        return e.key().getEncoded();
    }

    /** ML-KEM.Decaps of the first 1088 bytes of {@code ct} (implicit rejection: never fails on content). */
    static byte[] decapsulate(KEM.Decapsulator decapsulator, byte[] ct) {
        byte[] c = Arrays.copyOf(ct, CIPHERTEXT_SIZE);
        try {
            SecretKey k = decapsulator.decapsulate(c, 0, SECRET_SIZE, "Generic");
            return k.getEncoded();
        } catch (DecapsulateException e) {
            // SunJCE only rejects a ciphertext of the wrong length, which the caller has ruled out.
            throw new ProviderException("internal error: SunJCE rejected a 1088-byte ML-KEM-768 ciphertext", e);
        }
    }

    private static KEM kem() {
        try {
            return KEM.getInstance("ML-KEM-768", SUN_JCE);
        } catch (NoSuchAlgorithmException e) {
            throw new ProviderException("The QSP hybrid KEMs need SunJCE's ML-KEM-768 (JDK 24 or newer)", e);
        }
    }
}
