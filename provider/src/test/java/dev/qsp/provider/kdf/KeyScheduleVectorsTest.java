package dev.qsp.provider.kdf;

import static dev.qsp.provider.kdf.KdfTestSupport.STAGE;
import static dev.qsp.provider.kdf.KdfTestSupport.hex;
import static dev.qsp.provider.kdf.KdfTestSupport.stageKey;
import static dev.qsp.provider.kdf.KdfTestSupport.unhex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.KDF;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays the project's key-schedule vectors ({@code vectors/qsp-kdf/key-schedule.json}, SPEC.md §3) through the
 * {@code QSP-KDF} service and asserts every derived value; also checks that the committed file is exactly what
 * {@link KeyScheduleVectorGenerator} produces.
 */
class KeyScheduleVectorsTest {
    private static final JsonNode ROOT = KdfTestSupport.readJson(KeyScheduleVectorGenerator.RESOURCE);

    @Test
    void committedFileIsTheGeneratorOutput() {
        assertEquals(KeyScheduleVectorGenerator.generate(), KdfTestSupport.readText(KeyScheduleVectorGenerator.RESOURCE),
                "regenerate with KeyScheduleVectorGenerator (see its Javadoc)");
    }

    @Test
    void fileCoversTheAdvertisedCases() {
        assertEquals(KeyScheduleVectorGenerator.CASES.size(), ROOT.get("cases").size());
        assertEquals(KeyScheduleVectorGenerator.STEPS.size(), ROOT.get("epochSteps").size());
    }

    @TestFactory
    List<DynamicTest> fullScheduleCases() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : ROOT.get("cases")) {
            tests.add(DynamicTest.dynamicTest(c.get("name").asText(), () -> replayCase(c)));
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> epochSteps() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode s : ROOT.get("epochSteps")) {
            tests.add(DynamicTest.dynamicTest(s.get("name").asText(), () -> {
                KDF kdf = KdfTestSupport.kdf();
                int keyLength = s.get("keyLength").asInt();
                SecretKey e = stageKey(unhex(s.get("E")));
                for (JsonNode next : s.get("next")) {
                    e = replayEpoch(kdf, s.get("name").asText(), next, e, keyLength, null);
                }
            }));
        }
        return tests;
    }

    private static void replayCase(JsonNode c) throws Exception {
        String name = c.get("name").asText();
        KDF kdf = KdfTestSupport.kdf();
        byte[] kem = unhex(c.get("kemSecret"));
        byte[] qkd = unhex(c.get("qkdKey"));
        byte[] psk = unhex(c.get("preSharedKey"));
        int keyLength = c.get("keyLength").asInt();
        String keyAlg = keyAlgorithm(c.get("cipher"));

        // Intermediates of stage 1 and 3 are not SPI outputs: check them on the functions the SPI calls.
        KeySchedule ks = new KeySchedule(new Hkdf());
        byte[] sKem = ks.kemStage(kem);
        assertEquals(c.get("S_kem").asText(), hex(sKem), name + " S_kem");
        byte[] sQkd = ks.qkdStage(sKem, qkd == null ? new byte[0] : qkd);
        assertEquals(c.get("S_qkd").asText(), hex(sQkd), name + " S_qkd");
        assertEquals(c.get("MS").asText(), hex(ks.masterSecret(unhex(c.get("HS")))), name + " MS");

        HybridExtractSpec extract = HybridExtractSpec.of(kem, qkd, psk);
        SecretKey hs = kdf.deriveKey(STAGE, extract);
        assertInstanceOf(QspSecretKey.class, hs);
        assertEquals(c.get("HS").asText(), hex(hs.getEncoded()), name + " HS");
        assertEquals(c.get("HS").asText(), hex(kdf.deriveData(extract)), name + " HS (deriveData)");

        assertEquals(c.get("finishedKeyClient").asText(),
                hex(kdf.deriveKey(STAGE, new FinishedKeySpec(hs, Direction.CLIENT_TO_SERVER)).getEncoded()),
                name + " finished key (client)");
        assertEquals(c.get("finishedKeyServer").asText(),
                hex(kdf.deriveKey(STAGE, new FinishedKeySpec(hs, Direction.SERVER_TO_CLIENT)).getEncoded()),
                name + " finished key (server)");

        JsonNode epochs = c.get("epochs");
        SecretKey e = kdf.deriveKey(STAGE, new EpochZeroSpec(hs, unhex(c.get("TH_handshake"))));
        JsonNode e0 = epochs.get(0);
        assertEquals(0, e0.get("epoch").asInt());
        assertEquals(e0.get("E").asText(), hex(e.getEncoded()), name + " E_0");
        checkKeys(kdf, name, e0, e, 0, keyLength, keyAlg);
        for (int i = 1; i < epochs.size(); i++) {
            e = replayEpoch(kdf, name, epochs.get(i), e, keyLength, keyAlg);
        }
    }

    /** Ratchets {@code previous} into the epoch {@code step} describes, checks it and its keys, returns it. */
    private static SecretKey replayEpoch(KDF kdf, String name, JsonNode step, SecretKey previous, int keyLength,
                                         String keyAlg) throws Exception {
        long epoch = step.get("epoch").asLong();
        NextEpochSpec spec = new NextEpochSpec(previous, (int) epoch, unhex(step.get("TH_rekey")),
                unhex(step.get("freshKemSecret")), unhex(step.get("freshQkdKey")));
        SecretKey e = kdf.deriveKey(STAGE, spec);
        assertEquals(step.get("E").asText(), hex(e.getEncoded()), name + " E_" + epoch);
        assertEquals(step.get("E").asText(), hex(kdf.deriveData(spec)), name + " E_" + epoch + " (deriveData)");
        checkKeys(kdf, name, step, e, (int) epoch, keyLength, keyAlg);
        checkBatch(kdf, name, step, spec, keyLength, keyAlg);
        return e;
    }

    /** The same step through {@link NextEpochKeysSpec}: E_{e+1} and both keys of e+1 in one call. */
    private static void checkBatch(KDF kdf, String name, JsonNode step, NextEpochSpec stepSpec, int keyLength,
                                   String keyAlg) throws Exception {
        String what = name + " E_" + step.get("epoch").asText() + " batch";
        NextEpochKeysSpec batch = new NextEpochKeysSpec(stepSpec, keyLength);
        String expected = step.get("E").asText() + step.get("keyC2S").asText() + step.get("keyS2C").asText();
        assertEquals(expected, hex(kdf.deriveData(batch)), what + " (deriveData)");
        if (keyAlg != null) {
            QspEpochKeys keys = assertInstanceOf(QspEpochKeys.class, kdf.deriveKey(keyAlg, batch));
            assertEquals(expected, hex(keys.getEncoded()), what);
            assertEquals(step.get("E").asText(), hex(keys.epochSecret().getEncoded()), what + " E");
            assertEquals(QspSecretKey.STAGE_SECRET, keys.epochSecret().getAlgorithm(), what);
            assertEquals(step.get("keyC2S").asText(), hex(keys.trafficKey(Direction.CLIENT_TO_SERVER).getEncoded()), what);
            assertEquals(step.get("keyS2C").asText(), hex(keys.trafficKey(Direction.SERVER_TO_CLIENT).getEncoded()), what);
            assertEquals(keyAlg, keys.trafficKey(Direction.SERVER_TO_CLIENT).getAlgorithm(), what);
            keys.destroy();
            assertTrue(keys.isDestroyed() && keys.epochSecret().isDestroyed(), what + " destroyed");
        }
    }

    private static void checkKeys(KDF kdf, String name, JsonNode epoch, SecretKey e, int n, int keyLength,
                                  String keyAlg) throws Exception {
        for (Direction d : Direction.values()) {
            String field = d == Direction.CLIENT_TO_SERVER ? "keyC2S" : "keyS2C";
            TrafficKeySpec spec = new TrafficKeySpec(e, n, d, keyLength);
            String what = name + " epoch " + Integer.toUnsignedString(n) + " " + field;
            assertEquals(epoch.get(field).asText(), hex(kdf.deriveData(spec)), what);
            if (keyAlg != null) {
                SecretKey key = kdf.deriveKey(keyAlg, spec);
                assertEquals(keyAlg, key.getAlgorithm(), what);
                assertEquals(epoch.get(field).asText(), hex(key.getEncoded()), what + " (deriveKey)");
            }
        }
    }

    private static String keyAlgorithm(JsonNode cipher) {
        if (cipher.isNull()) {
            return null;
        }
        return cipher.asText().startsWith("AES") ? "AES" : "ChaCha20";
    }
}
