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
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.List;
import java.util.stream.Stream;

import javax.crypto.DecapsulateException;
import javax.crypto.KEM;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Wycheproof x25519_test.json through the X25519 step of X25519MLKEM768, whose private key carries the X25519
 * scalar directly (X-Wing derives it from the seed, so the same code is reached through X25519MLKEM768).
 *
 * <p>Outcome per case, for "valid" and "acceptable" alike: if Wycheproof's shared secret is all zero (flag
 * ZeroSharedSecret, low-order public keys) the KEM refuses it — {@link DecapsulateException} when the point is
 * the ciphertext's X25519 share, {@link InvalidKeyException} when it is the public key; otherwise (including
 * twist points and non-canonical encodings, which RFC 7748 §5 defines) the X25519 half of the secret equals
 * Wycheproof's shared secret. No case is "invalid" in this file.
 */
class WycheproofX25519Test {
    private static final List<JsonNode> TESTS = KemTestSupport.wycheproof("x25519_test.json");
    private static final byte[] ML_KEM_SEED = new byte[64];
    private static final byte[] M = new byte[32];
    private static byte[] ek;
    private static byte[] ctM;
    private static byte[] ssM;

    @BeforeAll
    static void mlKemPart() throws Exception {
        for (int i = 0; i < 64; i++) {
            ML_KEM_SEED[i] = (byte) (0x40 + i);
        }
        M[0] = 7;
        MlKem768.KeyPair kp = MlKem768.fromSeed(ML_KEM_SEED.clone());
        ek = kp.encapsulationKey();
        KEM.Encapsulator enc = MlKem768.encapsulator(kp.jdkPublic(), new OneShotRandom(M.clone()), "test");
        ctM = new byte[MlKem768.CIPHERTEXT_SIZE];
        ssM = MlKem768.encapsulate(enc, ctM);
    }

    @Test
    void fileShape() {
        assertEquals(518, TESTS.size());
        assertEquals(0, TESTS.stream().filter(t -> t.get("result").asText().equals("invalid")).count());
    }

    @TestFactory
    Stream<DynamicTest> decapsulationWithPeerShare() {
        return TESTS.stream().map(t -> DynamicTest.dynamicTest(name(t), () -> {
            PrivateKey sk = KeyFactory.getInstance("X25519MLKEM768", PROVIDER)
                    .generatePrivate(new X25519MLKEM768PrivateKeySpec(concat(ML_KEM_SEED, field(t, "private"))));
            KEM.Decapsulator d = KEM.getInstance("X25519MLKEM768", PROVIDER).newDecapsulator(sk);
            byte[] ct = concat(ctM, field(t, "public"));
            if (zeroShared(t)) {
                DecapsulateException e = assertThrows(DecapsulateException.class, () -> d.decapsulate(ct));
                assertEquals("X25519MLKEM768 ciphertext: the X25519 share is a point of small order, so the X25519"
                        + " shared secret is all zero (RFC 7748 §6.1)", e.getMessage());
            } else {
                byte[] ss = d.decapsulate(ct).getEncoded();
                assertEquals(hex(ssM), hex(range(ss, 0, 32)));
                assertEquals(t.get("shared").asText(), hex(range(ss, 32, 64)));
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> encapsulationToPublicKey() {
        return TESTS.stream().map(t -> DynamicTest.dynamicTest(name(t), () -> {
            PublicKey pk = KeyFactory.getInstance("X25519MLKEM768", PROVIDER)
                    .generatePublic(new X25519MLKEM768PublicKeySpec(concat(ek, field(t, "public"))));
            KEM kem = KEM.getInstance("X25519MLKEM768", PROVIDER);
            // eseed = m ‖ ek_X: the Wycheproof private key is the ephemeral scalar.
            KemTestSupport.FixedRandom eseed = new KemTestSupport.FixedRandom(M, field(t, "private"));
            if (zeroShared(t)) {
                InvalidKeyException e = assertThrows(InvalidKeyException.class, () -> kem.newEncapsulator(pk, eseed));
                assertEquals("X25519MLKEM768 public key: the X25519 public key is a point of small order, so the"
                        + " X25519 shared secret would be all zero (RFC 7748 §6.1)", e.getMessage());
            } else {
                KEM.Encapsulated e = kem.newEncapsulator(pk, eseed).encapsulate();
                assertTrue(eseed.exhausted());
                byte[] ss = e.key().getEncoded();
                assertArrayEquals(ctM, range(e.encapsulation(), 0, 1088));
                assertEquals(hex(ssM), hex(range(ss, 0, 32)));
                assertEquals(t.get("shared").asText(), hex(range(ss, 32, 64)));
            }
        }));
    }

    private static boolean zeroShared(JsonNode t) {
        boolean zero = t.get("shared").asText().equals("00".repeat(32));
        // The flag and the value agree in this file; the test relies on the value.
        boolean flagged = t.get("flags").toString().contains("ZeroSharedSecret");
        if (zero != flagged) {
            throw new IllegalStateException("tcId " + t.get("tcId") + ": ZeroSharedSecret flag disagrees with value");
        }
        return zero;
    }

    private static String name(JsonNode t) {
        return "tcId " + t.get("tcId").asText() + " " + t.get("result").asText() + " " + t.get("flags");
    }
}
