package dev.qsp.provider.kem;

import static dev.qsp.provider.kem.KemTestSupport.PROVIDER;
import static dev.qsp.provider.kem.KemTestSupport.concat;
import static dev.qsp.provider.kem.KemTestSupport.hex;
import static dev.qsp.provider.kem.KemTestSupport.range;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import javax.crypto.KEM;
import javax.crypto.KeyAgreement;

import org.bouncycastle.crypto.SecretWithEncapsulation;
import org.bouncycastle.crypto.kems.MLKEMExtractor;
import org.bouncycastle.crypto.kems.MLKEMGenerator;
import org.bouncycastle.crypto.params.MLKEMParameters;
import org.bouncycastle.crypto.params.MLKEMPrivateKeyParameters;
import org.bouncycastle.crypto.params.MLKEMPublicKeyParameters;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.pqc.crypto.xwing.XWingKEMExtractor;
import org.bouncycastle.pqc.crypto.xwing.XWingKEMGenerator;
import org.bouncycastle.pqc.crypto.xwing.XWingPrivateKeyParameters;
import org.bouncycastle.pqc.crypto.xwing.XWingPublicKeyParameters;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Cross-checks on seeded random keys, both directions: X-Wing against Bouncy Castle's X-Wing; X25519MLKEM768
 * against a reference built from Bouncy Castle's ML-KEM-768 and the JDK's XDH (the opposite of the provider's
 * choice of primitives, so neither primitive checks itself).
 */
class BouncyCastleCrossCheckTest {
    private static final int ROUNDS = 8;

    @TestFactory
    Stream<DynamicTest> xWingOursToBouncyCastle() {
        return IntStream.range(0, ROUNDS).mapToObj(i -> DynamicTest.dynamicTest("seed " + i, () -> {
            KemTestSupport.SeededRandom random = new KemTestSupport.SeededRandom(1000 + i);
            KeyPairGenerator kpg = KeyPairGenerator.getInstance("X-Wing", PROVIDER);
            kpg.initialize(-1, random);
            KeyPair kp = kpg.generateKeyPair();
            byte[] seed = ((HybridPrivateKey) kp.getPrivate()).raw().clone();
            XWingPrivateKeyParameters bcSk = new XWingPrivateKeyParameters(seed);
            assertArrayEquals(bcSk.getPublicKeyParameters().getEncoded(), ((HybridPublicKey) kp.getPublic()).raw());
            KEM.Encapsulated e = KEM.getInstance("X-Wing", PROVIDER).newEncapsulator(kp.getPublic(), random)
                    .encapsulate();
            assertEquals(hex(e.key().getEncoded()), hex(new XWingKEMExtractor(bcSk).extractSecret(e.encapsulation())));
        }));
    }

    @TestFactory
    Stream<DynamicTest> xWingBouncyCastleToOurs() {
        return IntStream.range(0, ROUNDS).mapToObj(i -> DynamicTest.dynamicTest("seed " + i, () -> {
            KemTestSupport.SeededRandom random = new KemTestSupport.SeededRandom(2000 + i);
            byte[] seed = new byte[32];
            random.nextBytes(seed);
            XWingPublicKeyParameters bcPk = new XWingPrivateKeyParameters(seed).getPublicKeyParameters();
            SecretWithEncapsulation bc = new XWingKEMGenerator(random).generateEncapsulated(bcPk);
            PrivateKey sk = KeyFactory.getInstance("X-Wing", PROVIDER).generatePrivate(new XWingPrivateKeySpec(seed));
            byte[] ours = KEM.getInstance("X-Wing", PROVIDER).newDecapsulator(sk).decapsulate(bc.getEncapsulation())
                    .getEncoded();
            assertEquals(hex(bc.getSecret()), hex(ours));
        }));
    }

    /** The X.509 and PKCS#8 encodings agree with Bouncy Castle's provider ("XWING") byte for byte. */
    @Test
    void xWingEncodingsMatchBouncyCastleProvider() throws Exception {
        BouncyCastleProvider bc = new BouncyCastleProvider();
        KeyPairGenerator kpg = KeyPairGenerator.getInstance("X-Wing", PROVIDER);
        kpg.initialize(-1, new KemTestSupport.SeededRandom(3000));
        KeyPair ours = kpg.generateKeyPair();
        KeyFactory bcKf = KeyFactory.getInstance("XWING", bc);
        PublicKey bcPk = bcKf.generatePublic(new X509EncodedKeySpec(ours.getPublic().getEncoded()));
        PrivateKey bcSk = bcKf.generatePrivate(new PKCS8EncodedKeySpec(ours.getPrivate().getEncoded()));
        assertArrayEquals(ours.getPublic().getEncoded(), bcPk.getEncoded());
        assertArrayEquals(ours.getPrivate().getEncoded(), bcSk.getEncoded());
        // And Bouncy Castle's key objects are accepted by our KEM (translated through their encodings).
        KEM kem = KEM.getInstance("X-Wing", PROVIDER);
        KEM.Encapsulated e = kem.newEncapsulator(bcPk, new KemTestSupport.SeededRandom(3001)).encapsulate();
        assertArrayEquals(e.key().getEncoded(), kem.newDecapsulator(bcSk).decapsulate(e.encapsulation()).getEncoded());
    }

    @TestFactory
    Stream<DynamicTest> x25519MlKem768OursToReference() {
        return IntStream.range(0, ROUNDS).mapToObj(i -> DynamicTest.dynamicTest("seed " + i, () -> {
            KemTestSupport.SeededRandom random = new KemTestSupport.SeededRandom(4000 + i);
            KeyPairGenerator kpg = KeyPairGenerator.getInstance("X25519MLKEM768", PROVIDER);
            kpg.initialize(-1, random);
            KeyPair kp = kpg.generateKeyPair();
            byte[] sk = ((HybridPrivateKey) kp.getPrivate()).raw();
            byte[] pk = ((HybridPublicKey) kp.getPublic()).raw();
            MLKEMPrivateKeyParameters bcSk = new MLKEMPrivateKeyParameters(MLKEMParameters.ml_kem_768, range(sk, 0, 64));
            assertArrayEquals(bcSk.getPublicKey(), range(pk, 0, 1184));
            assertArrayEquals(jdkX25519(range(sk, 64, 96), BASE_POINT), range(pk, 1184, 1216));

            KEM.Encapsulated e = KEM.getInstance("X25519MLKEM768", PROVIDER).newEncapsulator(kp.getPublic(), random)
                    .encapsulate();
            byte[] ct = e.encapsulation();
            byte[] ssM = new MLKEMExtractor(bcSk).extractSecret(range(ct, 0, 1088));
            byte[] ssX = jdkX25519(range(sk, 64, 96), range(ct, 1088, 1120));
            assertEquals(hex(concat(ssM, ssX)), hex(e.key().getEncoded()));
        }));
    }

    @TestFactory
    Stream<DynamicTest> x25519MlKem768ReferenceToOurs() {
        return IntStream.range(0, ROUNDS).mapToObj(i -> DynamicTest.dynamicTest("seed " + i, () -> {
            KemTestSupport.SeededRandom random = new KemTestSupport.SeededRandom(5000 + i);
            byte[] seed = new byte[64];
            byte[] skX = new byte[32];
            random.nextBytes(seed);
            random.nextBytes(skX);
            MLKEMPrivateKeyParameters bcSk = new MLKEMPrivateKeyParameters(MLKEMParameters.ml_kem_768, seed);
            byte[] pkX = jdkX25519(skX, BASE_POINT);
            // Reference encapsulation: BC ML-KEM to ek, JDK X25519 with a fresh ephemeral key.
            SecretWithEncapsulation m = new MLKEMGenerator(random).generateEncapsulated(
                    new MLKEMPublicKeyParameters(MLKEMParameters.ml_kem_768, bcSk.getPublicKey()));
            byte[] ekX = new byte[32];
            random.nextBytes(ekX);
            byte[] ctX = jdkX25519(ekX, BASE_POINT);
            byte[] expected = concat(m.getSecret(), jdkX25519(ekX, pkX));

            PrivateKey sk = KeyFactory.getInstance("X25519MLKEM768", PROVIDER)
                    .generatePrivate(new X25519MLKEM768PrivateKeySpec(concat(seed, skX)));
            assertArrayEquals(concat(bcSk.getPublicKey(), pkX), ((HybridPrivateKey) sk).publicKey().raw());
            byte[] ours = KEM.getInstance("X25519MLKEM768", PROVIDER).newDecapsulator(sk)
                    .decapsulate(concat(m.getEncapsulation(), ctX)).getEncoded();
            assertEquals(hex(expected), hex(ours));
        }));
    }

    private static final byte[] BASE_POINT = hex("0900000000000000000000000000000000000000000000000000000000000000");

    /** X25519(k, u) with the JDK's XDH (SunEC): KeyFactory import of k and u, then KeyAgreement. */
    private static byte[] jdkX25519(byte[] k, byte[] u) throws Exception {
        KeyFactory kf = KeyFactory.getInstance("X25519", "SunEC");
        PrivateKey sk = kf.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, k.clone()));
        byte[] be = new byte[32];
        for (int i = 0; i < 32; i++) {
            be[i] = u[31 - i];
        }
        be[0] &= 0x7f; // RFC 7748 §5: mask the top bit of the u-coordinate
        XECPublicKey pk = (XECPublicKey) kf.generatePublic(
                new XECPublicKeySpec(NamedParameterSpec.X25519, new BigInteger(1, be)));
        KeyAgreement ka = KeyAgreement.getInstance("X25519", "SunEC");
        ka.init(sk);
        ka.doPhase(pk, true);
        return ka.generateSecret();
    }
}
