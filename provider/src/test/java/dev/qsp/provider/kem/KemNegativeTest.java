package dev.qsp.provider.kem;

import static dev.qsp.provider.kem.KemTestSupport.PROVIDER;
import static dev.qsp.provider.kem.KemTestSupport.concat;
import static dev.qsp.provider.kem.KemTestSupport.hex;
import static dev.qsp.provider.kem.KemTestSupport.range;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.InvalidParameterException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;

import javax.crypto.DecapsulateException;
import javax.crypto.KEM;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad input to the hybrid KEM services: each case asserts the exception type and its exact message. */
class KemNegativeTest {
    /** Small-order u-coordinates on curve25519 or its twist: 0, 1, a point of order 8, p - 1, p, p + 1. */
    private static final String[] SMALL_ORDER = {
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0100000000000000000000000000000000000000000000000000000000000000",
        "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    };

    private static KeyPair keyPair(String alg, long seed) throws Exception {
        KeyPairGenerator kpg = KeyPairGenerator.getInstance(alg, PROVIDER);
        kpg.initialize(-1, new KemTestSupport.SeededRandom(seed));
        return kpg.generateKeyPair();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 32, 1215, 1217, 1184})
    void wrongLengthPublicKeys(int length) throws Exception {
        for (String alg : new String[] {"X-Wing", "X25519MLKEM768"}) {
            HybridKeySpec spec = alg.equals("X-Wing") ? new XWingPublicKeySpec(new byte[length])
                    : new X25519MLKEM768PublicKeySpec(new byte[length]);
            String message = alg + " public key must be 1216 bytes (ML-KEM-768 encapsulation key 1184 + X25519 32),"
                    + " got " + length;
            InvalidKeySpecException e = assertThrows(InvalidKeySpecException.class,
                    () -> KeyFactory.getInstance(alg, PROVIDER).generatePublic(spec));
            assertEquals(message, e.getMessage());
            // The same key object from "another provider" reaching the KEM directly: InvalidKeyException.
            InvalidKeyException k = assertThrows(InvalidKeyException.class, () -> KEM.getInstance(alg, PROVIDER)
                    .newEncapsulator(new KemTestSupport.ForeignPublicKey(alg, "RAW", new byte[length])));
            assertEquals(message, k.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 31, 33, 64, 95, 97})
    void wrongLengthPrivateKeys(int length) throws Exception {
        if (length != 32) {
            InvalidKeySpecException e = assertThrows(InvalidKeySpecException.class,
                    () -> KeyFactory.getInstance("X-Wing", PROVIDER).generatePrivate(new XWingPrivateKeySpec(new byte[length])));
            assertEquals("X-Wing private key must be 32 bytes (the 32-byte seed), got " + length, e.getMessage());
        }
        InvalidKeySpecException e = assertThrows(InvalidKeySpecException.class, () -> KeyFactory
                .getInstance("X25519MLKEM768", PROVIDER).generatePrivate(new X25519MLKEM768PrivateKeySpec(new byte[length])));
        assertEquals("X25519MLKEM768 private key must be 96 bytes (ML-KEM-768 seed d‖z 64 + X25519 scalar 32), got "
                + length, e.getMessage());
        InvalidKeyException k = assertThrows(InvalidKeyException.class, () -> KEM.getInstance("X25519MLKEM768", PROVIDER)
                .newDecapsulator(new KemTestSupport.ForeignPrivateKey("X25519MLKEM768", "RAW", new byte[length])));
        assertEquals("X25519MLKEM768 private key must be 96 bytes (ML-KEM-768 seed d‖z 64 + X25519 scalar 32), got "
                + length, k.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1088, 1119, 1121, 2240})
    void wrongLengthCiphertexts(int length) throws Exception {
        for (String alg : new String[] {"X-Wing", "X25519MLKEM768"}) {
            KEM.Decapsulator d = KEM.getInstance(alg, PROVIDER).newDecapsulator(keyPair(alg, 1).getPrivate());
            DecapsulateException e = assertThrows(DecapsulateException.class, () -> d.decapsulate(new byte[length]));
            assertEquals(alg + " ciphertext must be 1120 bytes (ML-KEM-768 ciphertext 1088 + X25519 share 32), got "
                    + length, e.getMessage());
        }
    }

    @Test
    void smallOrderX25519ShareInCiphertextIsRefused() throws Exception {
        for (String alg : new String[] {"X-Wing", "X25519MLKEM768"}) {
            KeyPair kp = keyPair(alg, 2);
            KEM kem = KEM.getInstance(alg, PROVIDER);
            byte[] ct = kem.newEncapsulator(kp.getPublic(), new KemTestSupport.SeededRandom(3)).encapsulate()
                    .encapsulation();
            KEM.Decapsulator d = kem.newDecapsulator(kp.getPrivate());
            for (String u : SMALL_ORDER) {
                byte[] bad = concat(range(ct, 0, 1088), hex(u));
                DecapsulateException e = assertThrows(DecapsulateException.class, () -> d.decapsulate(bad), u);
                assertEquals(alg + " ciphertext: the X25519 share is a point of small order, so the X25519 shared"
                        + " secret is all zero (RFC 7748 §6.1)", e.getMessage());
            }
        }
    }

    @Test
    void smallOrderX25519PublicKeyIsRefused() throws Exception {
        for (String alg : new String[] {"X-Wing", "X25519MLKEM768"}) {
            byte[] pk = ((HybridPublicKey) keyPair(alg, 4).getPublic()).raw();
            for (String u : SMALL_ORDER) {
                byte[] bad = concat(range(pk, 0, 1184), hex(u));
                PublicKey key = KeyFactory.getInstance(alg, PROVIDER).generatePublic(alg.equals("X-Wing")
                        ? new XWingPublicKeySpec(bad) : new X25519MLKEM768PublicKeySpec(bad));
                InvalidKeyException e = assertThrows(InvalidKeyException.class,
                        () -> KEM.getInstance(alg, PROVIDER).newEncapsulator(key), u);
                assertEquals(alg + " public key: the X25519 public key is a point of small order, so the X25519"
                        + " shared secret would be all zero (RFC 7748 §6.1)", e.getMessage());
            }
        }
    }

    /** FIPS 203 §7.2: a coefficient of 4095 (≥ q = 3329) in the encapsulation key fails the modulus check. */
    @Test
    void encapsulationKeyModulusCheck() throws Exception {
        byte[] pk = ((HybridPublicKey) keyPair("X-Wing", 5).getPublic()).raw().clone();
        pk[0] = (byte) 0xff;
        pk[1] |= 0x0f;
        PublicKey key = KeyFactory.getInstance("X-Wing", PROVIDER).generatePublic(new XWingPublicKeySpec(pk));
        InvalidKeyException e = assertThrows(InvalidKeyException.class,
                () -> KEM.getInstance("X-Wing", PROVIDER).newEncapsulator(key));
        assertEquals("X-Wing public key: the ML-KEM-768 encapsulation key fails the FIPS 203 §7.2 modulus check"
                + " (SunJCE: Coefficients in public key not in specified range)", e.getMessage());
    }

    @Test
    void keyOfTheOtherAlgorithm() throws Exception {
        KeyPair xWing = keyPair("X-Wing", 6);
        KeyPair tls = keyPair("X25519MLKEM768", 7);
        InvalidKeyException e = assertThrows(InvalidKeyException.class,
                () -> KEM.getInstance("X-Wing", PROVIDER).newEncapsulator(tls.getPublic()));
        assertEquals("X-Wing needs an X-Wing public key, got a key of algorithm X25519MLKEM768", e.getMessage());
        e = assertThrows(InvalidKeyException.class,
                () -> KEM.getInstance("X-Wing", PROVIDER).newDecapsulator(tls.getPrivate()));
        assertEquals("X-Wing needs an X-Wing private key, got a key of algorithm X25519MLKEM768", e.getMessage());
        e = assertThrows(InvalidKeyException.class,
                () -> KEM.getInstance("X25519MLKEM768", PROVIDER).newEncapsulator(xWing.getPublic()));
        assertEquals("X25519MLKEM768 needs an X25519MLKEM768 public key, got a key of algorithm X-Wing", e.getMessage());
        e = assertThrows(InvalidKeyException.class,
                () -> KEM.getInstance("X25519MLKEM768", PROVIDER).newDecapsulator(xWing.getPrivate()));
        assertEquals("X25519MLKEM768 needs an X25519MLKEM768 private key, got a key of algorithm X-Wing",
                e.getMessage());
        // A plain ML-KEM-768 key from SunJCE is not a hybrid key either.
        KeyPair mlKem = KeyPairGenerator.getInstance("ML-KEM-768").generateKeyPair();
        e = assertThrows(InvalidKeyException.class,
                () -> KEM.getInstance("X-Wing", PROVIDER).newEncapsulator(mlKem.getPublic()));
        assertEquals("X-Wing needs an X-Wing public key, got a key of algorithm ML-KEM", e.getMessage());
        // And the KeyFactory of one does not accept the raw spec of the other.
        InvalidKeySpecException s = assertThrows(InvalidKeySpecException.class, () -> KeyFactory
                .getInstance("X-Wing", PROVIDER).generatePublic(new X25519MLKEM768PublicKeySpec(new byte[1216])));
        assertEquals("X-Wing KeyFactory cannot make a public key from a dev.qsp.provider.kem.X25519MLKEM768PublicKeySpec;"
                + " supported: XWingPublicKeySpec, X509EncodedKeySpec", s.getMessage());
    }

    @Test
    void unsupportedParameterSpecs() throws Exception {
        KeyPair kp = keyPair("X-Wing", 8);
        KEM kem = KEM.getInstance("X-Wing", PROVIDER);
        InvalidAlgorithmParameterException e = assertThrows(InvalidAlgorithmParameterException.class,
                () -> kem.newEncapsulator(kp.getPublic(), NamedParameterSpec.X25519, null));
        assertEquals("X-Wing takes no parameters, got a java.security.spec.NamedParameterSpec", e.getMessage());
        e = assertThrows(InvalidAlgorithmParameterException.class,
                () -> kem.newDecapsulator(kp.getPrivate(), NamedParameterSpec.ML_KEM_768));
        assertEquals("X-Wing takes no parameters, got a java.security.spec.NamedParameterSpec", e.getMessage());
        KeyPairGenerator kpg = KeyPairGenerator.getInstance("X25519MLKEM768", PROVIDER);
        e = assertThrows(InvalidAlgorithmParameterException.class, () -> kpg.initialize(NamedParameterSpec.ML_KEM_768));
        assertEquals("X25519MLKEM768 KeyPairGenerator accepts only NamedParameterSpec(\"X25519MLKEM768\"), got"
                + " NamedParameterSpec(\"ML-KEM-768\")", e.getMessage());
        InvalidParameterException p = assertThrows(InvalidParameterException.class, () -> kpg.initialize(768));
        assertEquals("X25519MLKEM768 has a single parameter set and no key size; use initialize(-1, random) to set"
                + " the randomness", p.getMessage());
    }

    @Test
    void encodingsThatDoNotMatch() throws Exception {
        KeyPair kp = keyPair("X-Wing", 9);
        KeyFactory kf = KeyFactory.getInstance("X-Wing", PROVIDER);
        byte[] spki = kp.getPublic().getEncoded();
        byte[] otherOid = spki.clone();
        otherOid[spki.length - 1216 - 5] ^= 1; // inside the OID
        InvalidKeySpecException e = assertThrows(InvalidKeySpecException.class,
                () -> kf.generatePublic(new X509EncodedKeySpec(otherOid)));
        assertEquals("X-Wing X.509 key must be the 1240-byte DER SubjectPublicKeyInfo with OID 1.3.6.1.4.1.62253.25722,"
                + " absent parameters and a 1216-byte key; got 1240 bytes that do not match it", e.getMessage());
        byte[] pkcs8 = kp.getPrivate().getEncoded();
        e = assertThrows(InvalidKeySpecException.class,
                () -> kf.generatePrivate(new PKCS8EncodedKeySpec(range(pkcs8, 0, pkcs8.length - 1))));
        assertEquals("X-Wing PKCS#8 key must be the 54-byte DER PrivateKeyInfo (version 0) with OID"
                + " 1.3.6.1.4.1.62253.25722, absent parameters, no attributes and the 32-byte seed as privateKey;"
                + " got 53 bytes that do not match it", e.getMessage());
        KeyFactory tls = KeyFactory.getInstance("X25519MLKEM768", PROVIDER);
        e = assertThrows(InvalidKeySpecException.class, () -> tls.generatePublic(new X509EncodedKeySpec(spki)));
        assertEquals("X25519MLKEM768 has no standard OID, so it has no X.509 encoding: use the raw key spec"
                + " X25519MLKEM768PublicKeySpec", e.getMessage());
        e = assertThrows(InvalidKeySpecException.class, () -> tls.generatePrivate(new PKCS8EncodedKeySpec(pkcs8)));
        assertEquals("X25519MLKEM768 has no standard OID, so it has no PKCS#8 encoding: use the raw key spec"
                + " X25519MLKEM768PrivateKeySpec", e.getMessage());
    }

    @Test
    void destroyedPrivateKey() throws Exception {
        PrivateKey sk = keyPair("X-Wing", 10).getPrivate();
        KEM.Decapsulator before = KEM.getInstance("X-Wing", PROVIDER).newDecapsulator(sk);
        sk.destroy();
        InvalidKeyException e = assertThrows(InvalidKeyException.class,
                () -> KEM.getInstance("X-Wing", PROVIDER).newDecapsulator(sk));
        assertEquals("X-Wing private key has been destroyed", e.getMessage());
        IllegalStateException s = assertThrows(IllegalStateException.class, () -> before.decapsulate(new byte[1120]));
        assertEquals("X-Wing private key has been destroyed", s.getMessage());
        s = assertThrows(IllegalStateException.class, sk::getEncoded);
        assertEquals("X-Wing private key has been destroyed", s.getMessage());
    }

    @Test
    void secretRanges() throws Exception {
        KeyPair kp = keyPair("X25519MLKEM768", 11);
        KEM.Encapsulator enc = KEM.getInstance("X25519MLKEM768", PROVIDER).newEncapsulator(kp.getPublic());
        assertThrows(IndexOutOfBoundsException.class, () -> enc.encapsulate(0, 65, "AES"));
        assertThrows(IndexOutOfBoundsException.class, () -> enc.encapsulate(-1, 16, "AES"));
        assertThrows(NullPointerException.class, () -> enc.encapsulate(0, 16, null));
        UnsupportedOperationException u = assertThrows(UnsupportedOperationException.class,
                () -> enc.encapsulate(3, 3, "AES"));
        assertEquals("X25519MLKEM768: the secret range [3, 3) is empty; a SecretKey needs at least one byte",
                u.getMessage());
        KEM.Decapsulator dec = KEM.getInstance("X25519MLKEM768", PROVIDER).newDecapsulator(kp.getPrivate());
        assertThrows(IndexOutOfBoundsException.class, () -> dec.decapsulate(new byte[1120], 10, 9, "AES"));
        assertThrows(NullPointerException.class, () -> dec.decapsulate(null, 0, 64, "Generic"));
    }
}
