package dev.qsp.provider.kem;

import static dev.qsp.provider.kem.KemTestSupport.PROVIDER;
import static dev.qsp.provider.kem.KemTestSupport.concat;
import static dev.qsp.provider.kem.KemTestSupport.field;
import static dev.qsp.provider.kem.KemTestSupport.hex;
import static dev.qsp.provider.kem.KemTestSupport.range;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.InvalidKeySpecException;
import java.util.List;
import java.util.stream.Stream;

import javax.crypto.DecapsulateException;
import javax.crypto.KEM;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Wycheproof ML-KEM-768 vectors through the ML-KEM half of the hybrid KEMs: key generation from the seed
 * d ‖ z (X25519MLKEM768 private keys carry it), decapsulation of valid, modified and wrong-length ciphertexts,
 * and encapsulation with the FIPS 203 §7.2 checks on the encapsulation key — through X25519MLKEM768 and X-Wing.
 */
class WycheproofMlKem768Test {
    /** A fixed X25519 part: scalar and the matching public key, to complete hybrid keys and ciphertexts. */
    private static final byte[] SK_X = hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
    private static final byte[] PK_X = X25519Dh.publicKey(SK_X);
    private static final byte[] EK_X = hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");

    @Test
    void fileShapes() {
        assertEquals(100, KemTestSupport.wycheproof("mlkem_768_keygen_seed_test.json").size());
        assertEquals(193, KemTestSupport.wycheproof("mlkem_768_test.json").size());
        assertEquals(265, KemTestSupport.wycheproof("mlkem_768_encaps_test.json").size());
    }

    /** mlkem_768_keygen_seed_test.json: seed d ‖ z → ek and the expanded dk (all 100 valid). */
    @TestFactory
    Stream<DynamicTest> keyGenerationFromSeed() {
        return KemTestSupport.wycheproof("mlkem_768_keygen_seed_test.json").stream().map(t -> DynamicTest.dynamicTest(
                name(t), () -> {
                    assertEquals("valid", t.get("result").asText());
                    PrivateKey sk = KeyFactory.getInstance("X25519MLKEM768", PROVIDER)
                            .generatePrivate(new X25519MLKEM768PrivateKeySpec(concat(field(t, "seed"), SK_X)));
                    byte[] pk = ((HybridPrivateKey) sk).publicKey().raw();
                    assertEquals(t.get("ek").asText(), hex(range(pk, 0, 1184)));
                    assertArrayEquals(PK_X, range(pk, 1184, 1216));
                    // The decapsulation key SunJCE holds is the expected expanded dk (its PKCS#8 ends with it).
                    byte[] jdkPkcs8 = MlKem768.fromSeed(field(t, "seed")).jdkPrivate().getEncoded();
                    assertEquals(t.get("dk").asText(), hex(range(jdkPkcs8, jdkPkcs8.length - 2400, jdkPkcs8.length)));
                }));
    }

    /**
     * mlkem_768_test.json: valid cases (including random and bit-flipped ciphertexts, where ML-KEM's implicit
     * rejection gives K) decapsulate to K in the first 32 bytes; "Private key too short/long" are refused by the
     * KeyFactory, "Ciphertext too short/long" by the decapsulator.
     */
    @TestFactory
    Stream<DynamicTest> decapsulation() {
        return KemTestSupport.wycheproof("mlkem_768_test.json").stream().map(t -> DynamicTest.dynamicTest(name(t), () -> {
            byte[] seed = field(t, "seed");
            KeyFactory kf = KeyFactory.getInstance("X25519MLKEM768", PROVIDER);
            String comment = t.path("comment").asText();
            if (seed.length != 64) {
                assertEquals("invalid", t.get("result").asText());
                assertTrue(comment.startsWith("Private key too"), comment);
                InvalidKeySpecException e = assertThrows(InvalidKeySpecException.class,
                        () -> kf.generatePrivate(new X25519MLKEM768PrivateKeySpec(concat(seed, SK_X))));
                assertEquals("X25519MLKEM768 private key must be 96 bytes (ML-KEM-768 seed d‖z 64 + X25519 scalar 32),"
                        + " got " + (seed.length + 32), e.getMessage());
                return;
            }
            PrivateKey sk = kf.generatePrivate(new X25519MLKEM768PrivateKeySpec(concat(seed, SK_X)));
            assertEquals(t.get("ek").asText(), hex(range(((HybridPrivateKey) sk).publicKey().raw(), 0, 1184)));
            KEM.Decapsulator d = KEM.getInstance("X25519MLKEM768", PROVIDER).newDecapsulator(sk);
            byte[] ct = concat(field(t, "c"), EK_X_PUBLIC);
            if (t.get("result").asText().equals("invalid")) {
                assertTrue(comment.startsWith("Ciphertext too"), comment);
                DecapsulateException e = assertThrows(DecapsulateException.class, () -> d.decapsulate(ct));
                assertEquals("X25519MLKEM768 ciphertext must be 1120 bytes (ML-KEM-768 ciphertext 1088 + X25519"
                        + " share 32), got " + ct.length, e.getMessage());
            } else {
                byte[] ss = d.decapsulate(ct).getEncoded();
                assertEquals(t.get("K").asText(), hex(range(ss, 0, 32)));
                assertArrayEquals(X25519Dh.sharedSecret(SK_X, EK_X_PUBLIC), range(ss, 32, 64));
            }
        }));
    }

    private static final byte[] EK_X_PUBLIC = X25519Dh.publicKey(EK_X);

    /**
     * mlkem_768_encaps_test.json: valid (ek, m) give c and K; "Public key not reduced" and ModulusOverflow keys
     * fail the FIPS 203 §7.2 modulus check when the encapsulator is made; wrong-length keys are refused by the
     * KeyFactory. Run through X25519MLKEM768 (K is the first half of the secret) and X-Wing (K enters the
     * combiner, recomputed here with the JDK's SHA3-256).
     */
    @TestFactory
    Stream<DynamicTest> encapsulation() {
        return KemTestSupport.wycheproof("mlkem_768_encaps_test.json").stream()
                .flatMap(t -> Stream.of("X25519MLKEM768", "X-Wing").map(alg -> DynamicTest.dynamicTest(
                        alg + " " + name(t), () -> encapsulate(alg, t))));
    }

    private static void encapsulate(String alg, JsonNode t) throws Exception {
        byte[] ek = field(t, "ek");
        byte[] pkBytes = concat(ek, PK_X);
        KeyFactory kf = KeyFactory.getInstance(alg, PROVIDER);
        boolean valid = t.get("result").asText().equals("valid");
        if (ek.length != 1184) {
            assertEquals("invalid", t.get("result").asText());
            HybridKeySpec spec = alg.equals("X-Wing") ? new XWingPublicKeySpec(pkBytes)
                    : new X25519MLKEM768PublicKeySpec(pkBytes);
            InvalidKeySpecException e = assertThrows(InvalidKeySpecException.class, () -> kf.generatePublic(spec));
            assertEquals(alg + " public key must be 1216 bytes (ML-KEM-768 encapsulation key 1184 + X25519 32), got "
                    + pkBytes.length, e.getMessage());
            return;
        }
        PublicKey pk = kf.generatePublic(alg.equals("X-Wing") ? new XWingPublicKeySpec(pkBytes)
                : new X25519MLKEM768PublicKeySpec(pkBytes));
        KEM kem = KEM.getInstance(alg, PROVIDER);
        KemTestSupport.FixedRandom eseed = new KemTestSupport.FixedRandom(field(t, "m"), EK_X);
        if (!valid) {
            InvalidKeyException e = assertThrows(InvalidKeyException.class, () -> kem.newEncapsulator(pk, eseed));
            assertEquals(alg + " public key: the ML-KEM-768 encapsulation key fails the FIPS 203 §7.2 modulus check"
                    + " (SunJCE: Coefficients in public key not in specified range)", e.getMessage());
            return;
        }
        KEM.Encapsulated e = kem.newEncapsulator(pk, eseed).encapsulate();
        assertEquals(t.get("c").asText(), hex(range(e.encapsulation(), 0, 1088)));
        assertArrayEquals(EK_X_PUBLIC, range(e.encapsulation(), 1088, 1120));
        byte[] ssX = X25519Dh.sharedSecret(EK_X, PK_X);
        byte[] ss = e.key().getEncoded();
        if (alg.equals("X-Wing")) {
            MessageDigest sha3 = MessageDigest.getInstance("SHA3-256");
            byte[] expected = sha3.digest(concat(field(t, "K"), ssX, EK_X_PUBLIC, PK_X, hex("5c2e2f2f5e5c")));
            assertArrayEquals(expected, ss);
        } else {
            assertEquals(t.get("K").asText(), hex(range(ss, 0, 32)));
            assertArrayEquals(ssX, range(ss, 32, 64));
        }
    }

    private static String name(JsonNode t) {
        return "tcId " + t.get("tcId").asText() + " " + t.get("result").asText() + " " + t.path("comment").asText();
    }
}
