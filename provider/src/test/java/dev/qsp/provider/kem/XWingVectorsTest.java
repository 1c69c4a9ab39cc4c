package dev.qsp.provider.kem;

import static dev.qsp.provider.kem.KemTestSupport.PROVIDER;
import static dev.qsp.provider.kem.KemTestSupport.field;
import static dev.qsp.provider.kem.KemTestSupport.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import javax.crypto.KEM;
import javax.crypto.SecretKey;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

/** All X-Wing vectors of the final draft (vectors/xwing/test-vectors.json), through the JCA services. */
class XWingVectorsTest {

    static Stream<JsonNode> vectors() {
        List<JsonNode> list = new ArrayList<>();
        KemTestSupport.json("/vectors/xwing/test-vectors.json").forEach(list::add);
        assertEquals(3, list.size(), "the draft has three vectors");
        return list.stream();
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void keyGenerationFromSeed(JsonNode v) throws Exception {
        byte[] seed = field(v, "seed");
        // KeyPairGenerator: sk = random(32), drawn in one call (draft §5.2).
        KeyPairGenerator kpg = KeyPairGenerator.getInstance("X-Wing", PROVIDER);
        KemTestSupport.FixedRandom random = new KemTestSupport.FixedRandom(seed);
        kpg.initialize(-1, random);
        KeyPair kp = kpg.generateKeyPair();
        assertTrue(random.exhausted());
        KeyFactory kf = KeyFactory.getInstance("X-Wing", PROVIDER);
        assertArrayEquals(field(v, "pk"), kf.getKeySpec(kp.getPublic(), XWingPublicKeySpec.class).getKey());
        assertArrayEquals(field(v, "sk"), kf.getKeySpec(kp.getPrivate(), XWingPrivateKeySpec.class).getKey());
        // KeyFactory: the same key pair from the seed.
        PrivateKey sk = kf.generatePrivate(new XWingPrivateKeySpec(seed));
        assertEquals(kp.getPublic(), ((HybridPrivateKey) sk).publicKey());
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void encapsulationWithEseed(JsonNode v) throws Exception {
        PublicKey pk = KeyFactory.getInstance("X-Wing", PROVIDER).generatePublic(new XWingPublicKeySpec(field(v, "pk")));
        KemTestSupport.FixedRandom eseed = new KemTestSupport.FixedRandom(field(v, "eseed"));
        KEM.Encapsulated e = KEM.getInstance("X-Wing", PROVIDER).newEncapsulator(pk, eseed).encapsulate();
        assertTrue(eseed.exhausted(), "exactly the 64-byte eseed is drawn");
        assertEquals(hex(field(v, "ct")), hex(e.encapsulation()));
        assertEquals(hex(field(v, "ss")), hex(e.key().getEncoded()));
        assertEquals("Generic", e.key().getAlgorithm());
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void decapsulation(JsonNode v) throws Exception {
        PrivateKey sk = KeyFactory.getInstance("X-Wing", PROVIDER).generatePrivate(new XWingPrivateKeySpec(field(v, "sk")));
        SecretKey ss = KEM.getInstance("X-Wing", PROVIDER).newDecapsulator(sk).decapsulate(field(v, "ct"));
        assertEquals(hex(field(v, "ss")), hex(ss.getEncoded()));
    }

    /** The draft repository's x509/ example: PKCS#8 of seed 00..1f and its SubjectPublicKeyInfo. */
    @Test
    void draftX509AndPkcs8Example() throws Exception {
        byte[] pkcs8 = pem("/vectors/xwing/xwing.priv");
        byte[] spki = pem("/vectors/xwing/xwing.pub");
        KeyFactory kf = KeyFactory.getInstance("X-Wing", PROVIDER);
        PrivateKey sk = kf.generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        byte[] seed = new byte[32];
        for (int i = 0; i < 32; i++) {
            seed[i] = (byte) i;
        }
        assertArrayEquals(seed, kf.getKeySpec(sk, XWingPrivateKeySpec.class).getKey());
        assertEquals("PKCS#8", sk.getFormat());
        assertArrayEquals(pkcs8, sk.getEncoded());
        PublicKey derived = ((HybridPrivateKey) sk).publicKey();
        assertEquals("X.509", derived.getFormat());
        assertArrayEquals(spki, derived.getEncoded());
        assertEquals(derived, kf.generatePublic(new X509EncodedKeySpec(spki)));
    }

    private static byte[] pem(String resource) {
        String text = new String(KemTestSupport.resource(resource), StandardCharsets.US_ASCII);
        return Base64.getMimeDecoder().decode(text.replaceAll("-----[A-Z ]+-----", ""));
    }
}
