package dev.qsp.sockets.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qsp.sockets.QspIdentity;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The example rekeys of SPEC.md §4.16, replayed byte for byte: after the example handshake (whose bytes must equal
 * {@code example-handshake.txt}), the server runs one ratchet and then one fresh rekey (X-Wing again); each rekey's
 * REKEY_INIT, REKEY_ACK and REKEY_COMMIT frames, their plaintexts, TH_rekey (SHA-384 of INIT ‖ ACK, SPEC.md §3
 * stage 5) and the first APP_DATA frame of the new epoch each way are pinned. A TH_rekey that left out either
 * message, a wrong epoch in the KDF or a nonce built wrongly changes the epoch-1 frames, so the replay fails.
 *
 * <p>The plaintexts are recovered here through the server's {@link TrafficKeyLog} (SPEC.md §4.17) and a
 * {@link RecordCipher} of the test's own, so TH_rekey is computed from the bytes on the wire, not asked of the engine.
 *
 * <p>Regenerate (only when the protocol changes on purpose), from the repository root:
 * {@code ./qsp test -pl sockets -am -Dtest=RekeyVectorTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dqsp.regenerateVectors=true}; it rewrites {@code sockets/src/test/resources/vectors/example-rekey.txt}.
 */
class RekeyVectorTest {
    static final String VECTOR = "/vectors/example-rekey.txt";

    /** Traffic keys the server installed, by "epoch:c2s" / "epoch:s2c". */
    private final Map<String, SecretKeySpec> keys = new HashMap<>();
    private final Map<String, AeadSuite> suites = new HashMap<>();

    private Map<String, String> run(QspIdentity server, X509Certificate ca) throws Exception {
        QspEngineConfig clientConfig = ExampleHandshakeVectorTest.vectorClient(ca).build();
        QspEngineConfig serverConfig = ExampleHandshakeVectorTest.vectorServer(server)
                .keyLog((random, epoch, c2s, suite, key) -> {
                    String k = epoch + (c2s ? ":c2s" : ":s2c");
                    keys.put(k, new SecretKeySpec(key.getEncoded(), key.getAlgorithm()));
                    suites.put(k, suite);
                })
                .build();
        QspEngine c = QspEngine.client(clientConfig, new SeededRandom("vector:client"));
        QspEngine s = QspEngine.server(serverConfig, new SeededRandom("vector:server"));
        Map<String, String> handshake = new LinkedHashMap<>();
        ExampleHandshakeVectorTest.handshake(c, s, handshake);
        Map<String, String> example = ExampleHandshakeVectorTest.parse(new String(
                ExampleHandshakeVectorTest.resource(ExampleHandshakeVectorTest.VECTOR), StandardCharsets.UTF_8));
        for (var e : handshake.entrySet()) {
            assertEquals(example.get(e.getKey()), e.getValue(), "handshake step " + e.getKey() + " differs from example-handshake.txt");
        }

        Map<String, String> steps = new LinkedHashMap<>();
        rekey(c, s, RekeyKind.RATCHET, 1, steps);
        rekey(c, s, RekeyKind.FRESH, 2, steps);
        assertTrue(c.failure().isEmpty());
        assertTrue(s.failure().isEmpty());
        assertEquals(2, c.rekeyCount());
        assertEquals(2, s.rekeyCount());
        assertEquals(RekeyKind.FRESH, c.lastRekeyKind());
        return steps;
    }

    /** One server-led rekey to {@code epoch} and one APP_DATA frame each way under the new keys. */
    private void rekey(QspEngine c, QspEngine s, RekeyKind kind, int epoch, Map<String, String> steps) throws Exception {
        HexFormat hex = HexFormat.of();
        String p = "rekey" + epoch + ".";
        assertTrue(s.requestRekey(kind, 0));
        byte[] init = EnginePair.drainAll(s);
        c.receive(init, 0, init.length, 0);
        byte[] ack = EnginePair.drainAll(c);
        s.receive(ack, 0, ack.length, 0);
        byte[] commit = EnginePair.drainAll(s);
        c.receive(commit, 0, commit.length, 0);
        byte[] initPlain = open(init, epoch - 1, false);
        byte[] ackPlain = open(ack, epoch - 1, true);
        MessageDigest sha384 = MessageDigest.getInstance("SHA-384");
        sha384.update(initPlain);
        sha384.update(ackPlain);
        steps.put("s2c." + p + "init", hex.formatHex(init));
        steps.put(p + "init.plaintext", hex.formatHex(initPlain));
        steps.put("c2s." + p + "ack", hex.formatHex(ack));
        steps.put(p + "ack.plaintext", hex.formatHex(ackPlain));
        steps.put(p + "th_rekey", hex.formatHex(sha384.digest()));
        steps.put("s2c." + p + "commit", hex.formatHex(commit));
        steps.put(p + "commit.plaintext", hex.formatHex(open(commit, epoch - 1, false)));
        assertEquals(epoch, c.sendEpoch());
        assertEquals(epoch, c.receiveEpoch());
        assertEquals(epoch, s.sendEpoch());
        assertEquals(epoch, s.receiveEpoch());

        byte[] hello = ("hello, epoch " + epoch).getBytes(StandardCharsets.US_ASCII);
        c.writeApplicationData(hello, 0, hello.length, 0);
        byte[] c2s = EnginePair.drainAll(c);
        steps.put("c2s." + p + "epoch" + epoch + "_app_data", hex.formatHex(c2s));
        s.receive(c2s, 0, c2s.length, 0);
        s.writeApplicationData(hello, 0, hello.length, 0);
        byte[] s2c = EnginePair.drainAll(s);
        steps.put("s2c." + p + "epoch" + epoch + "_app_data", hex.formatHex(s2c));
        c.receive(s2c, 0, s2c.length, 0);
        byte[] got = new byte[64];
        int n = s.readApplicationData(got, 0, got.length);
        assertEquals(new String(hello, StandardCharsets.US_ASCII), new String(got, 0, n, StandardCharsets.US_ASCII));
        n = c.readApplicationData(got, 0, got.length);
        assertEquals(new String(hello, StandardCharsets.US_ASCII), new String(got, 0, n, StandardCharsets.US_ASCII));
        // The new epoch's frames open with the keys the log recorded for it.
        assertEquals(new String(hello, StandardCharsets.US_ASCII), new String(open(c2s, epoch, true), StandardCharsets.US_ASCII));
    }

    /** Opens the single protected frame {@code frame} with the logged key of ({@code epoch}, direction). */
    private byte[] open(byte[] stream, int epoch, boolean c2s) throws Exception {
        List<byte[]> frames = EnginePair.frames(stream);
        assertEquals(1, frames.size(), "one frame per step");
        byte[] f = frames.getFirst();
        assertEquals(epoch, Frames.epoch(f, 0));
        String k = epoch + (c2s ? ":c2s" : ":s2c");
        RecordCipher cipher = new RecordCipher(suites.get(k), epoch, new SecretKeySpec(keys.get(k).getEncoded(), keys.get(k).getAlgorithm()));
        byte[] out = new byte[f.length];
        int n = cipher.open(f, 0, Frames.length(f, 0), Frames.seq(f, 0), out, 0);
        return java.util.Arrays.copyOf(out, n);
    }

    @Test
    void exampleRekeysReplayByteForByte() throws Exception {
        KeyStore ks = ExampleHandshakeVectorTest.loadKeyStore(new java.io.ByteArrayInputStream(
                ExampleHandshakeVectorTest.resource(ExampleHandshakeVectorTest.KEYSTORE)));
        QspIdentity server = QspIdentity.fromKeyStore(ks, "server", ExampleHandshakeVectorTest.PASSWORD);
        X509Certificate ca = (X509Certificate) ks.getCertificate("ca");
        Map<String, String> actual = run(server, ca);
        if (Boolean.getBoolean("qsp.regenerateVectors")) write(actual);
        Map<String, String> expected = ExampleHandshakeVectorTest.parse(new String(
                ExampleHandshakeVectorTest.resource(VECTOR), StandardCharsets.UTF_8));
        assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(actual.keySet()));
        for (var e : expected.entrySet()) {
            assertEquals(e.getValue(), actual.get(e.getKey()), "step " + e.getKey() + " differs from the vector");
        }
        // The ratchet's messages carry no key-source entries (SPEC.md §4.10): their plaintexts are fixed.
        assertEquals(hexOf(new RekeyMessage.Init(RekeyKind.RATCHET, 1, List.of()).encode()), expected.get("rekey1.init.plaintext"));
        assertEquals(hexOf(new RekeyMessage.Ack(1, List.of()).encode()), expected.get("rekey1.ack.plaintext"));
        assertEquals(hexOf(new RekeyMessage.Commit(1).encode()), expected.get("rekey1.commit.plaintext"));
    }

    private static String hexOf(byte[] b) { return HexFormat.of().formatHex(b); }

    private static void write(Map<String, String> steps) throws Exception {
        StringBuilder sb = new StringBuilder();
        sb.append("# QSP v1 example rekeys (SPEC.md §4.16). Continues example-handshake.txt after c2s.2.finished, same\n");
        sb.append("#   identity, seeds and engines (the streams go on where the handshake left them).\n");
        sb.append("# Script: the server rekeys with a ratchet to epoch 1; the client sends \"hello, epoch 1\", the server the same;\n");
        sb.append("#   the server rekeys fresh (X-Wing) to epoch 2; \"hello, epoch 2\" each way.\n");
        sb.append("# direction.rekeyN.* = hex of every byte sent at that step (frames); rekeyN.*.plaintext = the frame's\n");
        sb.append("#   decrypted payload; rekeyN.th_rekey = SHA-384(INIT plaintext || ACK plaintext).\n");
        sb.append("# Regenerate: see RekeyVectorTest.\n");
        for (var e : steps.entrySet()) sb.append(e.getKey()).append(" = ").append(e.getValue()).append('\n');
        Files.writeString(ExampleHandshakeVectorTest.SOURCE_DIR.resolve("example-rekey.txt"), sb.toString(), StandardCharsets.UTF_8);
    }
}
