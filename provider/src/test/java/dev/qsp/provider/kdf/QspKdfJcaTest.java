package dev.qsp.provider.kdf;

import static dev.qsp.provider.kdf.KdfTestSupport.STAGE;
import static dev.qsp.provider.kdf.KdfTestSupport.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qsp.provider.QspProvider;
import java.security.Security;
import java.security.spec.AlgorithmParameterSpec;
import java.util.List;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.KDF;
import javax.crypto.SecretKey;
import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** QSP-KDF used the ways a caller uses it through the JCA, and what its keys and specs reveal. */
class QspKdfJcaTest {
    private static final Random RND = new Random(42);

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        RND.nextBytes(b);
        return b;
    }

    @Test
    void withAnExplicitProviderInstance() throws Exception {
        KDF kdf = KDF.getInstance("QSP-KDF", new QspProvider());
        assertEquals("QSP-KDF", kdf.getAlgorithm());
        assertEquals("QSP", kdf.getProviderName());
        assertNull(kdf.getParameters());
        SecretKey hs = kdf.deriveKey(STAGE, HybridExtractSpec.of(bytes(32), null, null));
        assertInstanceOf(QspSecretKey.class, hs);
        assertEquals(STAGE, hs.getAlgorithm());
        assertEquals("RAW", hs.getFormat());
        assertEquals(48, hs.getEncoded().length);
    }

    @Test
    void afterSecurityAddProvider() throws Exception {
        boolean added = Security.getProvider(QspProvider.NAME) == null
                && Security.addProvider(new QspProvider()) != -1;
        try {
            HybridExtractSpec spec = HybridExtractSpec.of(bytes(64), bytes(32), null);
            byte[] expected = KdfTestSupport.kdf().deriveData(spec);
            assertArrayEquals(expected, KDF.getInstance("QSP-KDF").deriveData(spec), "delayed provider selection");
            KDF byName = KDF.getInstance("QSP-KDF", "QSP");
            assertEquals("QSP", byName.getProviderName());
            assertArrayEquals(expected, byName.deriveKey(STAGE, spec).getEncoded());
        } finally {
            if (added) {
                Security.removeProvider(QspProvider.NAME);
            }
        }
    }

    /** deriveData(spec) equals deriveKey(...).getEncoded() for every spec type. */
    @Test
    void deriveDataEqualsDeriveKeyForEverySpec() throws Exception {
        KDF kdf = KdfTestSupport.kdf();
        SecretKey hs = kdf.deriveKey(STAGE, HybridExtractSpec.of(bytes(32), bytes(32), bytes(32)));
        SecretKey e0 = kdf.deriveKey(STAGE, new EpochZeroSpec(hs, bytes(48)));
        List<AlgorithmParameterSpec> specs = List.of(
                HybridExtractSpec.of(bytes(32), null, bytes(16)),
                new FinishedKeySpec(hs, Direction.CLIENT_TO_SERVER),
                new FinishedKeySpec(hs, Direction.SERVER_TO_CLIENT),
                new EpochZeroSpec(hs, bytes(48)),
                new NextEpochSpec(e0, 1, bytes(48), bytes(32), null),
                NextEpochSpec.ratchet(e0, 1, bytes(48)));
        for (AlgorithmParameterSpec spec : specs) {
            assertArrayEquals(kdf.deriveData(spec), kdf.deriveKey(STAGE, spec).getEncoded(), spec.toString());
        }
        for (Direction d : Direction.values()) {
            TrafficKeySpec spec = new TrafficKeySpec(e0, 0, d, 32);
            assertArrayEquals(kdf.deriveData(spec), kdf.deriveKey("AES", spec).getEncoded());
            assertArrayEquals(kdf.deriveData(spec), kdf.deriveKey("ChaCha20", spec).getEncoded());
        }
    }

    /** The two directions, the two Finished keys and consecutive epochs all get different keys. */
    @Test
    void keysAreSeparatedByDirectionAndEpoch() throws Exception {
        KDF kdf = KdfTestSupport.kdf();
        SecretKey hs = kdf.deriveKey(STAGE, HybridExtractSpec.of(bytes(32), null, null));
        SecretKey e0 = kdf.deriveKey(STAGE, new EpochZeroSpec(hs, bytes(48)));
        SecretKey e1 = kdf.deriveKey(STAGE, NextEpochSpec.ratchet(e0, 1, bytes(48)));
        List<String> all = List.of(
                hex(kdf.deriveData(new FinishedKeySpec(hs, Direction.CLIENT_TO_SERVER))),
                hex(kdf.deriveData(new FinishedKeySpec(hs, Direction.SERVER_TO_CLIENT))),
                hex(kdf.deriveData(new TrafficKeySpec(e0, 0, Direction.CLIENT_TO_SERVER, 48))),
                hex(kdf.deriveData(new TrafficKeySpec(e0, 0, Direction.SERVER_TO_CLIENT, 48))),
                hex(kdf.deriveData(new TrafficKeySpec(e1, 1, Direction.CLIENT_TO_SERVER, 48))),
                hex(kdf.deriveData(new TrafficKeySpec(e1, 1, Direction.SERVER_TO_CLIENT, 48))),
                hex(hs.getEncoded()), hex(e0.getEncoded()), hex(e1.getEncoded()));
        assertEquals(all.size(), java.util.Set.copyOf(all).size());
    }

    /** SunJCE's AEADs accept the destroyable QspSecretKey as it is (no SecretKeySpec copy needed). */
    @Test
    void trafficKeysWorkWithSunJceAeads() throws Exception {
        KDF kdf = KdfTestSupport.kdf();
        SecretKey hs = kdf.deriveKey(STAGE, HybridExtractSpec.of(bytes(32), null, null));
        SecretKey e0 = kdf.deriveKey(STAGE, new EpochZeroSpec(hs, bytes(48)));
        byte[] nonce = bytes(12);
        byte[] msg = bytes(100);

        SecretKey aes = kdf.deriveKey("AES", new TrafficKeySpec(e0, 0, Direction.CLIENT_TO_SERVER, 32));
        assertInstanceOf(QspSecretKey.class, aes);
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
        gcm.init(Cipher.ENCRYPT_MODE, aes, new GCMParameterSpec(128, nonce));
        byte[] ct = gcm.doFinal(msg);
        gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(aes.getEncoded(), "AES"), new GCMParameterSpec(128, nonce));
        assertArrayEquals(msg, gcm.doFinal(ct));

        SecretKey chacha = kdf.deriveKey("ChaCha20", new TrafficKeySpec(e0, 0, Direction.SERVER_TO_CLIENT, 32));
        Cipher poly = Cipher.getInstance("ChaCha20-Poly1305", "SunJCE");
        poly.init(Cipher.ENCRYPT_MODE, chacha, new IvParameterSpec(nonce));
        byte[] ct2 = poly.doFinal(msg);
        Cipher poly2 = Cipher.getInstance("ChaCha20-Poly1305", "SunJCE");
        poly2.init(Cipher.DECRYPT_MODE, new SecretKeySpec(chacha.getEncoded(), "ChaCha20"),
                new IvParameterSpec(nonce));
        assertArrayEquals(msg, poly2.doFinal(ct2));
        // Sanity: plain ChaCha20 (no MAC) also takes it.
        Cipher.getInstance("ChaCha20", "SunJCE").init(Cipher.ENCRYPT_MODE, chacha, new ChaCha20ParameterSpec(nonce, 1));
    }

    @Test
    void derivedKeysCanBeDestroyed() throws Exception {
        KDF kdf = KdfTestSupport.kdf();
        SecretKey hs = kdf.deriveKey(STAGE, HybridExtractSpec.of(bytes(32), null, null));
        hs.destroy();
        assertTrue(hs.isDestroyed());
        assertEquals("key has been destroyed", assertThrows(IllegalStateException.class, hs::getEncoded).getMessage());
    }

    /** No spec and no key shows secret bytes in toString (SPEC/COMMON: secrets never in toString). */
    @Test
    void secretsNeverAppearInToString() throws Exception {
        byte[] kem = bytes(32);
        byte[] qkd = bytes(32);
        byte[] psk = bytes(32);
        byte[] th = bytes(48);
        KDF kdf = KdfTestSupport.kdf();
        SecretKey hs = kdf.deriveKey(STAGE, HybridExtractSpec.of(kem, qkd, psk));
        SecretKey e0 = kdf.deriveKey(STAGE, new EpochZeroSpec(hs, th));
        SecretKey key = kdf.deriveKey("AES", new TrafficKeySpec(e0, 0, Direction.CLIENT_TO_SERVER, 32));
        NextEpochKeysSpec batch = new NextEpochKeysSpec(new NextEpochSpec(e0, 1, th, kem, qkd), 32);
        QspEpochKeys e1 = (QspEpochKeys) kdf.deriveKey("AES", batch);
        List<byte[]> secrets = List.of(kem, qkd, psk, hs.getEncoded(), e0.getEncoded(), key.getEncoded(),
                e1.epochSecret().getEncoded(), e1.trafficKey(Direction.CLIENT_TO_SERVER).getEncoded());
        List<Object> shown = List.of(
                HybridExtractSpec.of(kem, qkd, psk), new FinishedKeySpec(hs, Direction.CLIENT_TO_SERVER),
                new EpochZeroSpec(hs, th), new TrafficKeySpec(e0, 0, Direction.CLIENT_TO_SERVER, 32),
                new NextEpochSpec(e0, 1, th, kem, qkd), batch, hs, e0, key, e1);
        for (Object o : shown) {
            String s = o.toString();
            for (byte[] secret : secrets) {
                String h = hex(secret);
                assertFalse(s.toLowerCase().contains(h.substring(0, 16)), o.getClass().getSimpleName() + ": " + s);
                assertFalse(s.contains(java.util.Base64.getEncoder().encodeToString(secret).substring(0, 12)), s);
                assertFalse(s.contains(java.util.Arrays.toString(secret).substring(0, 12)), s);
            }
        }
        assertEquals("QspSecretKey[AES, 32 bytes]", key.toString());
        assertEquals("QspEpochKeys[AES, 32-byte keys]", e1.toString());
        assertEquals("NextEpochKeysSpec[NextEpochSpec[nextEpoch=1, fresh=true, qkd=true], 32 bytes]", batch.toString());
        assertEquals("HybridExtractSpec[kemSecret=32 bytes, qkdKey=32 bytes, preSharedKey=32 bytes]",
                HybridExtractSpec.of(kem, qkd, psk).toString());
        assertEquals("NextEpochSpec[nextEpoch=1, fresh=true, qkd=true]", new NextEpochSpec(e0, 1, th, kem, qkd).toString());
    }

    @Test
    void specsCopyAndClearTheirSecrets() {
        byte[] kem = bytes(32);
        HybridExtractSpec spec = HybridExtractSpec.of(kem, null, null);
        kem[0] ^= 1;
        assertFalse(java.util.Arrays.equals(kem, spec.kemSecret()), "spec keeps its own copy");
        spec.clear();
        assertArrayEquals(new byte[32], spec.kemSecret());
        NextEpochSpec next = new NextEpochSpec(KdfTestSupport.stageKey(new byte[48]), 1, new byte[48], bytes(32), bytes(32));
        next.clear();
        assertArrayEquals(new byte[32], next.freshKemSecret());
        assertArrayEquals(new byte[32], next.freshQkdKey());
    }
}
