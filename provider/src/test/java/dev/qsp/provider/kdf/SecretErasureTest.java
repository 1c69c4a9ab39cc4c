package dev.qsp.provider.kdf;

import static dev.qsp.provider.kdf.KdfTestSupport.STAGE;
import static dev.qsp.provider.kdf.KdfTestSupport.hex;
import static dev.qsp.provider.kdf.KdfTestSupport.unhex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.InvalidAlgorithmParameterException;
import java.security.spec.AlgorithmParameterSpec;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.Test;

/**
 * SPEC.md §4.14: after a derivation no array the key schedule allocated or copied still holds secret bytes, the
 * caller's keys are read but not destroyed, and the HMAC is re-keyed with a constant. Every secret array of the
 * package goes through {@link SecretArrays}, which {@link SecretRecorder} watches; the derived values are the
 * committed vectors ({@code vectors/qsp-kdf/key-schedule.json}), so erasure is checked on correct derivations.
 */
class SecretErasureTest {
    private static final JsonNode CASES = KdfTestSupport.readJson(KeyScheduleVectorGenerator.RESOURCE).get("cases");
    private static final byte[] SCRUB_PROBE = "scrub probe".getBytes(StandardCharsets.US_ASCII);

    /** deriveKey, then destroy the result: every recorded array is zero. Returns the key's bytes. */
    private static String deriveKeyThenDestroy(String what, QspKdfSpi spi, String alg, AlgorithmParameterSpec spec)
            throws Exception {
        SecretKey key;
        try (SecretRecorder rec = new SecretRecorder()) {
            key = spi.engineDeriveKey(alg, spec);
            rec.close();
            String value = hex(key.getEncoded());
            key.destroy();
            assertTrue(key.isDestroyed(), what);
            rec.assertErasedExcept(what + " deriveKey");
            return value;
        }
    }

    /** deriveData: every recorded array but the returned one is zero. Returns the bytes. */
    private static String deriveDataErasing(String what, QspKdfSpi spi, AlgorithmParameterSpec spec) throws Exception {
        try (SecretRecorder rec = new SecretRecorder()) {
            byte[] out = spi.engineDeriveData(spec);
            rec.close();
            rec.assertErasedExcept(what + " deriveData", out);
            return hex(out);
        }
    }

    private static String keyAlgorithm(JsonNode c) {
        JsonNode cipher = c.get("cipher");
        return cipher.isNull() ? STAGE : cipher.asText().startsWith("AES") ? "AES" : "ChaCha20";
    }

    @Test
    void handshakeSecretErasesTheSpecCopiesAndEveryLink() throws Exception {
        for (JsonNode c : CASES) {
            String name = c.get("name").asText();
            if (c.get("kemSecret") == null) {
                continue; // epoch-only cases
            }
            HybridExtractSpec spec = HybridExtractSpec.of(unhex(c.get("kemSecret")), unhex(c.get("qkdKey")),
                    unhex(c.get("preSharedKey")));
            QspKdfSpi spi = new QspKdfSpi(null);
            assertEquals(c.get("HS").asText(), deriveKeyThenDestroy(name + " HS", spi, STAGE, spec));
            assertEquals(c.get("HS").asText(), deriveDataErasing(name + " HS", spi, spec));
        }
    }

    @Test
    void finishedKeysEpochZeroAndTrafficKeysEraseTheirCopies() throws Exception {
        for (JsonNode c : CASES) {
            String name = c.get("name").asText();
            if (c.get("HS") == null) {
                continue;
            }
            QspKdfSpi spi = new QspKdfSpi(null);
            for (Direction d : Direction.values()) {
                SpyKey hs = new SpyKey(unhex(c.get("HS")), "RAW");
                String field = d == Direction.CLIENT_TO_SERVER ? "finishedKeyClient" : "finishedKeyServer";
                FinishedKeySpec spec = new FinishedKeySpec(hs, d);
                assertEquals(c.get(field).asText(), deriveKeyThenDestroy(name + " " + field, spi, STAGE, spec));
                assertEquals(c.get(field).asText(), deriveDataErasing(name + " " + field, spi, spec));
                hs.assertCopiesErasedAndNotDestroyed(name + " " + field);
            }
            JsonNode e0 = c.get("epochs").get(0);
            SpyKey hs = new SpyKey(unhex(c.get("HS")), "RAW");
            EpochZeroSpec zero = new EpochZeroSpec(hs, unhex(c.get("TH_handshake")));
            assertEquals(e0.get("E").asText(), deriveKeyThenDestroy(name + " E_0", spi, STAGE, zero));
            assertEquals(e0.get("E").asText(), deriveDataErasing(name + " E_0", spi, zero));
            hs.assertCopiesErasedAndNotDestroyed(name + " E_0");

            int keyLength = c.get("keyLength").asInt();
            for (Direction d : Direction.values()) {
                String field = d == Direction.CLIENT_TO_SERVER ? "keyC2S" : "keyS2C";
                SpyKey e = new SpyKey(unhex(e0.get("E")), "RAW");
                TrafficKeySpec spec = new TrafficKeySpec(e, 0, d, keyLength);
                assertEquals(e0.get(field).asText(),
                        deriveKeyThenDestroy(name + " " + field, spi, keyAlgorithm(c), spec));
                assertEquals(e0.get(field).asText(), deriveDataErasing(name + " " + field, spi, spec));
                e.assertCopiesErasedAndNotDestroyed(name + " " + field);
            }
        }
    }

    @Test
    void epochStepsEraseFreshSecretsAndIntermediates() throws Exception {
        int fresh = 0;
        int freshWithQkd = 0;
        for (JsonNode c : CASES) {
            String name = c.get("name").asText();
            JsonNode epochs = c.get("epochs");
            int keyLength = c.get("keyLength").asInt();
            for (int i = 1; i < epochs.size(); i++) {
                JsonNode step = epochs.get(i);
                String what = name + " E_" + step.get("epoch").asText();
                byte[] kem = unhex(step.get("freshKemSecret"));
                byte[] qkd = unhex(step.get("freshQkdKey"));
                fresh += kem == null ? 0 : 1;
                freshWithQkd += qkd == null ? 0 : 1;
                SpyKey previous = new SpyKey(unhex(epochs.get(i - 1).get("E")), "RAW");
                NextEpochSpec spec = new NextEpochSpec(previous, (int) step.get("epoch").asLong(),
                        unhex(step.get("TH_rekey")), kem, qkd);
                QspKdfSpi spi = new QspKdfSpi(null);
                assertEquals(step.get("E").asText(), deriveKeyThenDestroy(what, spi, STAGE, spec));
                assertEquals(step.get("E").asText(), deriveDataErasing(what, spi, spec));

                String all = step.get("E").asText() + step.get("keyC2S").asText() + step.get("keyS2C").asText();
                NextEpochKeysSpec batch = new NextEpochKeysSpec(spec, keyLength);
                assertEquals(all, deriveDataErasing(what + " batch", spi, batch));
                try (SecretRecorder rec = new SecretRecorder()) {
                    QspEpochKeys keys = assertInstanceOf(QspEpochKeys.class,
                            spi.engineDeriveKey(keyAlgorithm(c), batch));
                    rec.close();
                    assertEquals(all, hex(keys.getEncoded()), what + " batch");
                    keys.destroy();
                    rec.assertErasedExcept(what + " batch deriveKey");
                }
                previous.assertCopiesErasedAndNotDestroyed(what);
            }
        }
        assertTrue(fresh > 0 && freshWithQkd > 0, "the vectors include fresh rekeys with and without a QKD key");
    }

    @Test
    void epochKeysEncodingErasesThePartCopies() throws Exception {
        byte[] encoded = new byte[48 + 2 * 32];
        for (int i = 0; i < encoded.length; i++) {
            encoded[i] = (byte) (i + 1);
        }
        QspEpochKeys keys = new QspEpochKeys(encoded, 32, "AES");
        try (SecretRecorder rec = new SecretRecorder()) {
            byte[] out = keys.getEncoded();
            rec.close();
            assertArrayEquals(encoded, out);
            rec.assertErasedExcept("QspEpochKeys.getEncoded", out);
            assertEquals(4, rec.count(), "three part copies and the result");
        }
    }

    @Test
    void rejectedStageSecretsAreErased() throws Exception {
        byte[] th = new byte[48];
        SpyKey long64 = new SpyKey(filled(64), "RAW");
        assertRejectedErasing(new EpochZeroSpec(long64, th), "EpochZeroSpec: handshakeSecret must be 48 bytes, got 64");
        long64.assertCopiesErasedAndNotDestroyed("64-byte key");

        SpyKey notRaw = new SpyKey(filled(48), "X.509");
        assertRejectedErasing(new TrafficKeySpec(notRaw, 0, Direction.CLIENT_TO_SERVER, 32),
                "TrafficKeySpec: epochSecret has no RAW encoding");
        notRaw.assertCopiesErasedAndNotDestroyed("non-RAW key");
    }

    private static void assertRejectedErasing(AlgorithmParameterSpec spec, String message) throws Exception {
        try (SecretRecorder rec = new SecretRecorder()) {
            assertEquals(message, assertThrows(InvalidAlgorithmParameterException.class,
                    () -> new QspKdfSpi(null).engineDeriveData(spec)).getMessage());
            rec.close();
            rec.assertErasedExcept(message);
        }
    }

    /** After each kind of derivation, and after a refused one, the Mac holds the constant zeros(48) key. */
    @Test
    void theMacIsScrubbedAfterEveryDerivation() throws Exception {
        JsonNode c = CASES.get(2);
        byte[] hsBytes = unhex(c.get("HS"));
        QspSecretKey hs = KdfTestSupport.stageKey(hsBytes);
        QspSecretKey e0 = KdfTestSupport.stageKey(unhex(c.get("epochs").get(0).get("E")));
        byte[] th = unhex(c.get("TH_handshake"));
        AlgorithmParameterSpec[] specs = {
                HybridExtractSpec.of(unhex(c.get("kemSecret")), unhex(c.get("qkdKey")), unhex(c.get("preSharedKey"))),
                new FinishedKeySpec(hs, Direction.CLIENT_TO_SERVER),
                new EpochZeroSpec(hs, th),
                new TrafficKeySpec(e0, 0, Direction.SERVER_TO_CLIENT, 16),
                new NextEpochSpec(e0, 1, th, filled(32), filled(32)),
                new NextEpochKeysSpec(NextEpochSpec.ratchet(e0, 1, th), 16),
        };
        byte[] scrubbed = SpecReference.expand(new byte[48], SCRUB_PROBE, 48);
        for (AlgorithmParameterSpec spec : specs) {
            Hkdf hkdf = new Hkdf();
            new QspKdfSpi(null, hkdf).engineDeriveData(spec);
            assertArrayEquals(scrubbed, hkdf.expandAgain(SCRUB_PROBE, 48), spec.toString());
        }
        // A refused derivation scrubs too: key the Mac with a secret first, then fail.
        Hkdf hkdf = new Hkdf();
        assertArrayEquals(SpecReference.expand(hsBytes, SCRUB_PROBE, 48), hkdf.expand(hsBytes, SCRUB_PROBE, 48));
        QspSecretKey gone = KdfTestSupport.stageKey(hsBytes);
        gone.destroy();
        assertThrows(InvalidAlgorithmParameterException.class,
                () -> new QspKdfSpi(null, hkdf).engineDeriveData(new EpochZeroSpec(gone, th)));
        assertArrayEquals(scrubbed, hkdf.expandAgain(SCRUB_PROBE, 48));
    }

    @Test
    void theHmacKeyCopyIsErasedBySunJce() {
        Hkdf hkdf = new Hkdf();
        try (SecretRecorder rec = new SecretRecorder()) {
            byte[] out = hkdf.expand(filled(48), SCRUB_PROBE, 48);
            rec.close();
            // The BorrowedKey copy (erased by SunJCE's HmacCore after keying), the block buffer and the output.
            assertEquals(3, rec.count());
            rec.assertErasedExcept("Hkdf.expand", out);
        }
    }

    private static byte[] filled(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (0xA0 + i);
        }
        return b;
    }
}
