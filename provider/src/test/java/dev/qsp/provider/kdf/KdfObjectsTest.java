package dev.qsp.provider.kdf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The value objects of the package: key equality, the {@code SecretKey} face of {@link QspEpochKeys}, the exact
 * {@code toString} of every spec (lengths and public values only, SPEC.md §4.14) and what {@code clear()} erases.
 */
class KdfObjectsTest {
    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed + i);
        }
        return b;
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) return false;
        }
        return true;
    }

    @Test
    void secretKeyEqualityAndHash() {
        QspSecretKey a = new QspSecretKey(bytes(32, 1), "AES");
        QspSecretKey same = new QspSecretKey(bytes(32, 1), "AES");
        assertTrue(a.equals(same) && same.equals(a));
        assertTrue(a.equals(a));
        assertEquals("AES".hashCode() * 31 + 32, a.hashCode());
        assertEquals(a.hashCode(), same.hashCode());
        assertEquals(QspSecretKey.STAGE_SECRET.hashCode() * 31 + 48, KdfTestSupport.stageKey(new byte[48]).hashCode());

        assertFalse(a.equals(new QspSecretKey(bytes(32, 1), "ChaCha20")), "different algorithm");
        assertFalse(a.equals(new QspSecretKey(bytes(32, 2), "AES")), "different bytes");
        assertFalse(a.equals(new QspSecretKey(bytes(16, 1), "AES")), "different length");
        assertFalse(a.equals(new SecretKeySpec(bytes(32, 1), "AES")), "another SecretKey class");
        assertFalse(a.equals(null));

        QspSecretKey destroyed = new QspSecretKey(bytes(32, 1), "AES");
        destroyed.destroy();
        assertFalse(destroyed.equals(a), "a destroyed key equals nothing");
        assertFalse(a.equals(destroyed), "nothing equals a destroyed key");
        assertFalse(destroyed.equals(destroyed));
        assertEquals("QspSecretKey[AES, 32 bytes, destroyed]", destroyed.toString());
        assertEquals(32, destroyed.length());
    }

    @Test
    void epochKeysAsASecretKey() {
        byte[] encoded = bytes(48 + 2 * 16, 7);
        QspEpochKeys keys = new QspEpochKeys(encoded, 16, "AES");
        assertEquals("QSP-EpochKeys", keys.getAlgorithm());
        assertEquals(QspEpochKeys.ALGORITHM, keys.getAlgorithm());
        assertEquals("RAW", keys.getFormat());
        assertArrayEquals(encoded, keys.getEncoded());
        assertNotSame(keys.getEncoded(), keys.getEncoded());
        assertEquals("QspEpochKeys[AES, 16-byte keys]", keys.toString());
        keys.trafficKey(Direction.CLIENT_TO_SERVER).destroy();
        assertFalse(keys.isDestroyed(), "destroyed only when every part is");
        assertThrows(IllegalStateException.class, keys::getEncoded);
        keys.destroy();
        assertTrue(keys.isDestroyed());
        assertEquals("QspEpochKeys[AES, 16-byte keys, destroyed]", keys.toString());

        assertEquals("epoch keys of 10 bytes, expected 80", assertThrows(IllegalArgumentException.class,
                () -> new QspEpochKeys(new byte[10], 16, "AES")).getMessage());
        assertEquals("epoch keys of 80 bytes, expected 112", assertThrows(IllegalArgumentException.class,
                () -> new QspEpochKeys(new byte[80], 32, "AES")).getMessage());
    }

    @Test
    void specToStringsShowNoSecret() {
        QspSecretKey e = KdfTestSupport.stageKey(bytes(48, 9));
        assertEquals("EpochZeroSpec[transcriptHash=48 bytes]", new EpochZeroSpec(e, new byte[48]).toString());
        assertEquals("FinishedKeySpec[CLIENT_TO_SERVER]", new FinishedKeySpec(e, Direction.CLIENT_TO_SERVER).toString());
        assertEquals("FinishedKeySpec[SERVER_TO_CLIENT]", new FinishedKeySpec(e, Direction.SERVER_TO_CLIENT).toString());
        assertEquals("TrafficKeySpec[epoch=4294967295, SERVER_TO_CLIENT, 32 bytes]",
                new TrafficKeySpec(e, -1, Direction.SERVER_TO_CLIENT, 32).toString());
        assertEquals("TrafficKeySpec[epoch=0, CLIENT_TO_SERVER, 16 bytes]",
                new TrafficKeySpec(e, 0, Direction.CLIENT_TO_SERVER, 16).toString());
        assertEquals("HybridExtractSpec[kemSecret=32 bytes, qkdKey=absent, preSharedKey=48 bytes]",
                HybridExtractSpec.of(bytes(32, 1), null, bytes(48, 2)).toString());
        assertEquals("NextEpochSpec[nextEpoch=2147483648, fresh=false, qkd=false]",
                NextEpochSpec.ratchet(e, Integer.MIN_VALUE, new byte[48]).toString());
    }

    @Test
    void hybridExtractSpecClearErasesItsCopies() {
        HybridExtractSpec spec = HybridExtractSpec.of(bytes(32, 1), bytes(32, 2), bytes(48, 3));
        assertArrayEquals(bytes(32, 1), spec.kemSecret());
        spec.clear();
        assertArrayEquals(new byte[32], spec.kemSecret());
        assertArrayEquals(new byte[32], spec.qkdKey());
        assertArrayEquals(new byte[48], spec.preSharedKey());
        HybridExtractSpec kemOnly = HybridExtractSpec.of(bytes(32, 1), null, null);
        kemOnly.clear();
        assertArrayEquals(new byte[32], kemOnly.kemSecret());
        assertNull(kemOnly.qkdKey());
        assertNull(kemOnly.preSharedKey());
    }

    @Test
    void nextEpochSpecsClearErasesTheFreshSecrets() {
        QspSecretKey e = KdfTestSupport.stageKey(bytes(48, 9));
        NextEpochSpec step = new NextEpochSpec(e, 1, new byte[48], bytes(32, 4), bytes(32, 5));
        step.clear();
        assertArrayEquals(new byte[32], step.freshKemSecret());
        assertArrayEquals(new byte[32], step.freshQkdKey());
        assertFalse(e.isDestroyed(), "clear() leaves the caller's epoch secret alone");

        NextEpochSpec inner = new NextEpochSpec(e, 1, new byte[48], bytes(32, 4), bytes(32, 5));
        NextEpochKeysSpec batch = new NextEpochKeysSpec(inner, 32);
        batch.clear();
        assertTrue(allZero(batch.step().freshKemSecret()));
        assertTrue(allZero(batch.step().freshQkdKey()));

        NextEpochSpec ratchet = NextEpochSpec.ratchet(e, 1, new byte[48]);
        ratchet.clear();
        assertNull(ratchet.freshKemSecret());
        assertNull(ratchet.freshQkdKey());
    }

    @Test
    void borrowedHmacKey() {
        byte[] raw = bytes(48, 3);
        Hkdf.BorrowedKey key = new Hkdf.BorrowedKey(raw);
        assertEquals("HmacSHA384", key.getAlgorithm());
        assertEquals("RAW", key.getFormat());
        assertEquals("BorrowedKey[48 bytes]", key.toString());
        assertArrayEquals(raw, key.getEncoded());
        assertNotSame(raw, key.getEncoded());
    }
}
