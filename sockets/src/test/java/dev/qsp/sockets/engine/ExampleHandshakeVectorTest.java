package dev.qsp.sockets.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qsp.keysources.kem.HybridKemSource;
import dev.qsp.sockets.QspIdentity;
import dev.qsp.sockets.QspTrust;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The example handshake of SPEC.md §4.16, replayed byte for byte: X-Wing, AES-256-GCM, ML-DSA-65, a client
 * "hello", a server "hello", the client's CLOSE. Everything random comes from seeded generators; the server's
 * identity and the CA are fixed in {@code vectors/example-identity.p12} (password {@code qsp-example}).
 *
 * <p>Regenerate (only when the protocol changes on purpose):
 * {@code ./qsp test -pl sockets -am -Dtest=ExampleHandshakeVectorTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dqsp.regenerateVectors=true}, run from the repository root; it rewrites
 * {@code sockets/src/test/resources/vectors/example-handshake.txt} (and creates the key store if it is missing).
 */
class ExampleHandshakeVectorTest {
    static final String VECTOR = "/vectors/example-handshake.txt";
    static final String KEYSTORE = "/vectors/example-identity.p12";
    static final char[] PASSWORD = "qsp-example".toCharArray();
    static final Path SOURCE_DIR = Path.of("src/test/resources/vectors");

    /** Runs the scripted exchange and returns every step's bytes, in order, with labels. */
    /** The vector's client: trusts {@code ca} at the vectors' date, expects the example server, seeded X-Wing. */
    static QspEngineConfig.Builder vectorClient(X509Certificate ca) {
        return QspEngineConfig.builder()
                .trust(QspTrust.pkix(List.of(ca)).atDate(TestPki.VALIDATION_DATE))
                .expectedPeerIdentity("server.qsp.example")
                .keySources(List.of(HybridKemSource.of(HybridKemSource.X_WING, new SeededRandom("vector:client-kem"))));
    }

    /** The vector's server: {@code server}'s identity, seeded X-Wing. */
    static QspEngineConfig.Builder vectorServer(QspIdentity server) {
        return QspEngineConfig.builder().identity(server)
                .keySources(List.of(HybridKemSource.of(HybridKemSource.X_WING, new SeededRandom("vector:server-kem"))));
    }

    /** Runs the vector's handshake between started engines {@code c} and {@code s}, recording each flight in hex. */
    static void handshake(QspEngine c, QspEngine s, Map<String, String> steps) throws Exception {
        HexFormat hex = HexFormat.of();
        s.start(0);
        c.start(0);
        byte[] b = EnginePair.drainAll(c);
        steps.put("c2s.1.client_hello", hex.formatHex(b));
        s.receive(b, 0, b.length, 0);
        b = EnginePair.drainAll(s);
        steps.put("s2c.1.server_hello_certificate_certificate_verify_finished", hex.formatHex(b));
        c.receive(b, 0, b.length, 0);
        b = EnginePair.drainAll(c);
        steps.put("c2s.2.finished", hex.formatHex(b));
        s.receive(b, 0, b.length, 0);
    }

    static Map<String, String> run(QspIdentity server, X509Certificate ca) throws Exception {
        QspEngine c = QspEngine.client(vectorClient(ca).build(), new SeededRandom("vector:client"));
        QspEngine s = QspEngine.server(vectorServer(server).build(), new SeededRandom("vector:server"));
        Map<String, String> steps = new LinkedHashMap<>();
        HexFormat hex = HexFormat.of();
        handshake(c, s, steps);
        byte[] b;
        byte[] hello = "hello, server".getBytes(StandardCharsets.UTF_8);
        c.writeApplicationData(hello, 0, hello.length, 0);
        b = EnginePair.drainAll(c);
        steps.put("c2s.3.app_data", hex.formatHex(b));
        s.receive(b, 0, b.length, 0);
        byte[] reply = "hello, client".getBytes(StandardCharsets.UTF_8);
        s.writeApplicationData(reply, 0, reply.length, 0);
        b = EnginePair.drainAll(s);
        steps.put("s2c.2.app_data", hex.formatHex(b));
        c.receive(b, 0, b.length, 0);
        c.closeOutbound();
        b = EnginePair.drainAll(c);
        steps.put("c2s.4.close", hex.formatHex(b));
        s.receive(b, 0, b.length, 0);
        byte[] got = new byte[64];
        int n = s.readApplicationData(got, 0, got.length);
        assertEquals(new String(hello, StandardCharsets.US_ASCII), new String(got, 0, n, StandardCharsets.US_ASCII));
        n = c.readApplicationData(got, 0, got.length);
        assertEquals(new String(reply, StandardCharsets.US_ASCII), new String(got, 0, n, StandardCharsets.US_ASCII));
        assertEquals(-1, s.readApplicationData(got, 0, got.length));
        assertTrue(c.failure().isEmpty());
        assertTrue(s.failure().isEmpty());
        assertEquals("AES-256-GCM, x-wing, ML-DSA-65", c.session().suite());
        return steps;
    }

    static KeyStore loadKeyStore(InputStream in) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(in, PASSWORD);
        return ks;
    }

    static Map<String, String> parse(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            int eq = line.indexOf(" = ");
            m.put(line.substring(0, eq), line.substring(eq + 3));
        }
        return m;
    }

    @Test
    void exampleHandshakeReplaysByteForByte() throws Exception {
        if (Boolean.getBoolean("qsp.regenerateVectors")) regenerate();
        KeyStore ks = loadKeyStore(new java.io.ByteArrayInputStream(resource(KEYSTORE)));
        QspIdentity server = QspIdentity.fromKeyStore(ks, "server", PASSWORD);
        X509Certificate ca = (X509Certificate) ks.getCertificate("ca");
        String text = new String(resource(VECTOR), StandardCharsets.UTF_8);
        Map<String, String> expected = parse(text);
        Map<String, String> actual = run(server, ca);
        assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(actual.keySet()));
        for (var e : expected.entrySet()) {
            assertEquals(e.getValue(), actual.get(e.getKey()), "step " + e.getKey() + " differs from the vector");
        }
        // And the recorded bytes parse as the frames SPEC.md §4.3 describes.
        List<byte[]> clientHello = EnginePair.frames(HexFormat.of().parseHex(expected.get("c2s.1.client_hello")));
        assertEquals(FrameType.HANDSHAKE.wire(), clientHello.getFirst()[0]);
    }

    /** A test resource; straight from the source tree right after regenerating it. */
    static byte[] resource(String name) throws Exception {
        if (Boolean.getBoolean("qsp.regenerateVectors")) return Files.readAllBytes(SOURCE_DIR.resolve(name.substring("/vectors/".length())));
        try (InputStream in = ExampleHandshakeVectorTest.class.getResourceAsStream(name)) {
            assertTrue(in != null, "missing test resource " + name);
            return in.readAllBytes();
        }
    }

    /** Writes the key store (if missing) and the vector file into the source tree. */
    static void regenerate() throws Exception {
        Path ksPath = SOURCE_DIR.resolve("example-identity.p12");
        KeyStore ks;
        if (!Files.exists(ksPath)) {
            TestPki pki = new TestPki("QSP Example CA", "example");
            QspIdentity id = pki.issue("server.qsp.example", "ML-DSA-65");
            ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("server", id.privateKey(), PASSWORD, id.chain().toArray(new X509Certificate[0]));
            ks.setCertificateEntry("ca", pki.caCert);
            Files.createDirectories(SOURCE_DIR);
            try (OutputStream out = Files.newOutputStream(ksPath)) {
                ks.store(out, PASSWORD);
            }
        }
        try (InputStream in = Files.newInputStream(ksPath)) {
            ks = loadKeyStore(in);
        }
        Map<String, String> steps = run(QspIdentity.fromKeyStore(ks, "server", PASSWORD), (X509Certificate) ks.getCertificate("ca"));
        StringBuilder sb = new StringBuilder();
        sb.append("# QSP v1 example handshake (SPEC.md §4.16). Hex of every byte each side sends, in order.\n");
        sb.append("# Client: X-Wing (HybridKemSource seeded \"vector:client-kem\"), engine SecureRandom seeded \"vector:client\",\n");
        sb.append("#   expects server.qsp.example, trusts the CA in example-identity.p12 at 2026-06-01T00:00:00Z.\n");
        sb.append("# Server: identity \"server\" (ML-DSA-65) from example-identity.p12 (password qsp-example), KEM seeded\n");
        sb.append("#   \"vector:server-kem\", engine SecureRandom seeded \"vector:server\". SeededRandom = SHA-256(seed || u64 counter) blocks.\n");
        sb.append("# Script: handshake; client sends \"hello, server\"; server sends \"hello, client\"; client sends CLOSE (CLOSE_NOTIFY).\n");
        sb.append("# Regenerate: see ExampleHandshakeVectorTest.\n");
        for (var e : steps.entrySet()) sb.append(e.getKey()).append(" = ").append(e.getValue()).append('\n');
        Files.writeString(SOURCE_DIR.resolve("example-handshake.txt"), sb.toString(), StandardCharsets.UTF_8);
    }
}
