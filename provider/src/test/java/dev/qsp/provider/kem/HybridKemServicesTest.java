package dev.qsp.provider.kem;

import static dev.qsp.provider.kem.KemTestSupport.range;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Security;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;

import javax.crypto.KEM;
import javax.crypto.SecretKey;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.qsp.provider.QspProvider;

/**
 * The services used the way an application uses them, with a provider object that is not installed
 * ({@code KEM.getInstance("X-Wing", new QspProvider())}): round trips, sizes, ranges, key encodings.
 */
class HybridKemServicesTest {

    @ParameterizedTest
    @ValueSource(strings = {"X-Wing", "XWING", "1.3.6.1.4.1.62253.25722", "OID.1.3.6.1.4.1.62253.25722", "X25519MLKEM768"})
    void roundTripThroughTheJca(String name) throws Exception {
        QspProvider provider = new QspProvider();
        KeyPairGenerator kpg = KeyPairGenerator.getInstance(name, provider);
        kpg.initialize(-1, new KemTestSupport.SeededRandom(name.hashCode()));
        KeyPair kp = kpg.generateKeyPair();
        KEM kem = KEM.getInstance(name, provider);
        KEM.Encapsulator enc = kem.newEncapsulator(kp.getPublic(), new KemTestSupport.SeededRandom(1));
        KEM.Decapsulator dec = kem.newDecapsulator(kp.getPrivate());
        int secretSize = name.equals("X25519MLKEM768") ? 64 : 32;
        assertEquals(secretSize, enc.secretSize());
        assertEquals(secretSize, dec.secretSize());
        assertEquals(1120, enc.encapsulationSize());
        assertEquals(1120, dec.encapsulationSize());
        assertEquals("QSP", enc.providerName());

        KEM.Encapsulated e = enc.encapsulate();
        assertEquals(1120, e.encapsulation().length);
        assertEquals(secretSize, e.key().getEncoded().length);
        assertEquals(null, e.params());
        SecretKey k = dec.decapsulate(e.encapsulation());
        assertArrayEquals(e.key().getEncoded(), k.getEncoded());
        // A second encapsulation with the same encapsulator is fresh.
        assertNotEquals(KemTestSupport.hex(e.encapsulation()), KemTestSupport.hex(enc.encapsulate().encapsulation()));
    }

    /** encapsulate(from, to, algorithm) and decapsulate(c, from, to, algorithm) give that slice of the secret. */
    @Test
    void secretSlices() throws Exception {
        QspProvider provider = new QspProvider();
        KeyPair kp = generate(provider, "X25519MLKEM768", 20);
        KEM kem = KEM.getInstance("X25519MLKEM768", provider);
        KEM.Encapsulated whole = kem.newEncapsulator(kp.getPublic(), new KemTestSupport.SeededRandom(21)).encapsulate();
        KEM.Encapsulated slice = kem.newEncapsulator(kp.getPublic(), new KemTestSupport.SeededRandom(21))
                .encapsulate(32, 64, "AES");
        assertArrayEquals(whole.encapsulation(), slice.encapsulation());
        assertEquals("AES", slice.key().getAlgorithm());
        assertArrayEquals(range(whole.key().getEncoded(), 32, 64), slice.key().getEncoded());
        SecretKey d = kem.newDecapsulator(kp.getPrivate()).decapsulate(whole.encapsulation(), 8, 24, "HmacSHA256");
        assertEquals("HmacSHA256", d.getAlgorithm());
        assertArrayEquals(range(whole.key().getEncoded(), 8, 24), d.getEncoded());
    }

    @Test
    void xWingKeyFactoryRoundTrips() throws Exception {
        QspProvider provider = new QspProvider();
        KeyPair kp = generate(provider, "X-Wing", 30);
        KeyFactory kf = KeyFactory.getInstance("X-Wing", provider);
        PublicKey pk = kp.getPublic();
        PrivateKey sk = kp.getPrivate();
        assertEquals("X-Wing", pk.getAlgorithm());
        assertEquals("X.509", pk.getFormat());
        assertEquals("PKCS#8", sk.getFormat());
        assertEquals(1240, pk.getEncoded().length);
        assertEquals(54, sk.getEncoded().length);

        byte[] raw = kf.getKeySpec(pk, XWingPublicKeySpec.class).getKey();
        assertEquals(1216, raw.length);
        assertEquals(pk, kf.generatePublic(new XWingPublicKeySpec(raw)));
        assertEquals(pk, kf.generatePublic(new X509EncodedKeySpec(pk.getEncoded())));
        assertArrayEquals(pk.getEncoded(), kf.getKeySpec(pk, X509EncodedKeySpec.class).getEncoded());

        byte[] seed = kf.getKeySpec(sk, XWingPrivateKeySpec.class).getKey();
        assertEquals(32, seed.length);
        assertEquals(sk, kf.generatePrivate(new XWingPrivateKeySpec(seed)));
        assertEquals(sk, kf.generatePrivate(new PKCS8EncodedKeySpec(sk.getEncoded())));
        assertArrayEquals(sk.getEncoded(), kf.getKeySpec(sk, PKCS8EncodedKeySpec.class).getEncoded());
        assertArrayEquals(range(sk.getEncoded(), 22, 54), seed, "PKCS#8 privateKey is the seed");

        // Keys of another provider are translated through their encodings; ours come back unchanged.
        Key foreign = new KemTestSupport.ForeignPublicKey("X-Wing", "X.509", pk.getEncoded());
        assertEquals(pk, kf.translateKey(foreign));
        assertSame(pk, kf.translateKey(pk));
        assertEquals(sk, kf.translateKey(new KemTestSupport.ForeignPrivateKey("XWING", "PKCS#8", sk.getEncoded())));
        // A key decoded from its encoding decapsulates what the original's public key encapsulated.
        PrivateKey decoded = kf.generatePrivate(new PKCS8EncodedKeySpec(sk.getEncoded()));
        KEM kem = KEM.getInstance("X-Wing", provider);
        KEM.Encapsulated e = kem.newEncapsulator(kf.generatePublic(new X509EncodedKeySpec(pk.getEncoded()))).encapsulate();
        assertArrayEquals(e.key().getEncoded(), kem.newDecapsulator(decoded).decapsulate(e.encapsulation()).getEncoded());
    }

    @Test
    void x25519MlKem768KeyFactoryRoundTrips() throws Exception {
        QspProvider provider = new QspProvider();
        KeyPair kp = generate(provider, "X25519MLKEM768", 40);
        KeyFactory kf = KeyFactory.getInstance("X25519MLKEM768", provider);
        assertEquals("RAW", kp.getPublic().getFormat());
        assertEquals("RAW", kp.getPrivate().getFormat());
        byte[] raw = kf.getKeySpec(kp.getPublic(), X25519MLKEM768PublicKeySpec.class).getKey();
        assertArrayEquals(raw, kp.getPublic().getEncoded());
        assertEquals(kp.getPublic(), kf.generatePublic(new X25519MLKEM768PublicKeySpec(raw)));
        X25519MLKEM768PrivateKeySpec spec = kf.getKeySpec(kp.getPrivate(), X25519MLKEM768PrivateKeySpec.class);
        assertEquals(96, spec.getKey().length);
        assertEquals(kp.getPrivate(), kf.generatePrivate(spec));
        assertEquals(kp.getPublic(), ((HybridPrivateKey) kf.generatePrivate(spec)).publicKey());
        spec.destroy();
        assertTrue(spec.isDestroyed());
        assertArrayEquals(new byte[96], spec.getKey());
    }

    @Test
    void generatorDrawsExactlyTheKeyAndAcceptsItsName() throws Exception {
        QspProvider provider = new QspProvider();
        KeyPairGenerator kpg = KeyPairGenerator.getInstance("X25519MLKEM768", provider);
        byte[] sk = new byte[96];
        for (int i = 0; i < sk.length; i++) {
            sk[i] = (byte) (i * 7);
        }
        KemTestSupport.FixedRandom random = new KemTestSupport.FixedRandom(sk);
        kpg.initialize(new NamedParameterSpec("X25519MLKEM768"), random);
        KeyPair kp = kpg.generateKeyPair();
        assertTrue(random.exhausted());
        assertArrayEquals(sk, kp.getPrivate().getEncoded());
        // Without initialize, the generator uses its own randomness.
        KeyPair a = KeyPairGenerator.getInstance("X-Wing", provider).generateKeyPair();
        KeyPair b = KeyPairGenerator.getInstance("X-Wing", provider).generateKeyPair();
        assertNotEquals(a.getPublic(), b.getPublic());
    }

    @Test
    void privateKeysKeepTheirSecrets() throws Exception {
        KeyPair kp = generate(new QspProvider(), "X-Wing", 50);
        PrivateKey sk = kp.getPrivate();
        assertEquals("X-Wing private key", sk.toString());
        assertEquals("X-Wing public key (1216 bytes)", kp.getPublic().toString());
        assertFalse(sk.toString().contains(KemTestSupport.hex(range(sk.getEncoded(), 22, 26))));
        NotSerializableException e = assertThrows(NotSerializableException.class,
                () -> new ObjectOutputStream(new ByteArrayOutputStream()).writeObject(sk));
        assertEquals("X-Wing private keys are not serializable; use getEncoded() or KeyFactory.getKeySpec",
                e.getMessage());
        sk.destroy();
        assertTrue(sk.isDestroyed());
        assertEquals("X-Wing private key (destroyed)", sk.toString());
    }

    /** Public keys serialize as KeyRep and come back through the installed provider's KeyFactory. */
    @Test
    void publicKeySerialization() throws Exception {
        QspProvider provider = new QspProvider();
        PublicKey pk = generate(provider, "X-Wing", 60).getPublic();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(pk);
        }
        Security.addProvider(provider);
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertEquals(pk, in.readObject());
        } finally {
            Security.removeProvider("QSP");
        }
    }

    private static KeyPair generate(QspProvider provider, String alg, long seed) throws Exception {
        KeyPairGenerator kpg = KeyPairGenerator.getInstance(alg, provider);
        kpg.initialize(-1, new KemTestSupport.SeededRandom(seed));
        return kpg.generateKeyPair();
    }
}
