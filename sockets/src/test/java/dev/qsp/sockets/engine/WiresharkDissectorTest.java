package dev.qsp.sockets.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.qsp.keysources.kem.HybridKemSource;
import dev.qsp.sockets.QspIdentity;
import dev.qsp.sockets.QspTrust;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code contrib/wireshark/qsp.lua} under Debian's {@code tshark}: a pcap this test writes itself (libpcap global
 * header, then Ethernet/IPv4/TCP packets: a TCP handshake and one segment per step) carries the bytes of the
 * example handshake vector (SPEC.md §4.16), and the fields {@code tshark -T fields} prints are compared exactly.
 * The vector's key log (SPEC.md §4.17) comes from replaying the vector with a {@link TrafficKeyLog}; decryption in
 * the dissector needs the Lua Gcrypt API, and where this tshark lacks it that part is reported as skipped.
 * Skipped as a whole, with the reason, when tshark is not installed.
 */
class WiresharkDissectorTest {
    static final Path DISSECTOR = Path.of("..", "contrib", "wireshark", "qsp.lua").toAbsolutePath().normalize();
    static final int PORT = 4433;
    static final String GCRYPT_SKIP = "skipped: this Wireshark has no Lua Gcrypt API (GcryptCipher, Wireshark 4.6+)";

    @TempDir
    static Path dir;
    static Path pcap;
    static Path keyLog;
    static List<String> keyLines;
    static Map<String, String> vector;

    @BeforeAll
    static void capture() throws Exception {
        String text = new String(ExampleHandshakeVectorTest.resource(ExampleHandshakeVectorTest.VECTOR), StandardCharsets.UTF_8);
        vector = ExampleHandshakeVectorTest.parse(text);
        pcap = dir.resolve("example.pcap");
        Files.write(pcap, Pcap.of(vector));
        keyLines = replayWithKeyLog();
        keyLog = dir.resolve("example-keys.log");
        Files.write(keyLog, keyLines);
    }

    /** The libpcap file of a TCP connection 10.0.0.1:50000 -> 10.0.0.2:PORT carrying each step as one segment. */
    static final class Pcap {
        private static final byte[] CLIENT = {10, 0, 0, 1};
        private static final byte[] SERVER = {10, 0, 0, 2};
        private static final int CLIENT_PORT = 50000;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private int time = 1_767_225_600; // 2026-01-01T00:00:00Z, one second per packet
        private long clientSeq = 1000;
        private long serverSeq = 5000;

        static byte[] of(Map<String, String> steps) {
            Pcap p = new Pcap();
            ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
            h.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(262_144).putInt(1); // LINKTYPE_ETHERNET
            p.out.writeBytes(h.array());
            p.segment(true, 0x02, new byte[0]); // SYN
            p.clientSeq++;
            p.segment(false, 0x12, new byte[0]); // SYN, ACK
            p.serverSeq++;
            p.segment(true, 0x10, new byte[0]); // ACK
            for (var e : steps.entrySet()) {
                boolean c2s = e.getKey().startsWith("c2s.");
                byte[] b = HexFormat.of().parseHex(e.getValue());
                p.segment(c2s, 0x18, b); // PSH, ACK
                if (c2s) p.clientSeq += b.length; else p.serverSeq += b.length;
            }
            return p.out.toByteArray();
        }

        private void segment(boolean c2s, int flags, byte[] payload) {
            byte[] src = c2s ? CLIENT : SERVER;
            byte[] dst = c2s ? SERVER : CLIENT;
            ByteBuffer tcp = ByteBuffer.allocate(20 + payload.length);
            tcp.putShort((short) (c2s ? CLIENT_PORT : PORT)).putShort((short) (c2s ? PORT : CLIENT_PORT))
                    .putInt((int) (c2s ? clientSeq : serverSeq)).putInt(flags == 0x02 ? 0 : (int) (c2s ? serverSeq : clientSeq))
                    .put((byte) 0x50).put((byte) flags).putShort((short) 0xFFFF).putShort((short) 0).putShort((short) 0)
                    .put(payload);
            ByteBuffer pseudo = ByteBuffer.allocate(12 + tcp.capacity());
            pseudo.put(src).put(dst).put((byte) 0).put((byte) 6).putShort((short) tcp.capacity()).put(tcp.array());
            tcp.putShort(16, checksum(pseudo.array()));
            ByteBuffer ip = ByteBuffer.allocate(20);
            ip.put((byte) 0x45).put((byte) 0).putShort((short) (20 + tcp.capacity())).putShort((short) 0)
                    .putShort((short) 0x4000).put((byte) 64).put((byte) 6).putShort((short) 0).put(src).put(dst);
            ip.putShort(10, checksum(ip.array()));
            byte[] macClient = {2, 0, 0, 0, 0, 1};
            byte[] macServer = {2, 0, 0, 0, 0, 2};
            ByteBuffer pkt = ByteBuffer.allocate(14 + 20 + tcp.capacity());
            pkt.put(c2s ? macServer : macClient).put(c2s ? macClient : macServer).putShort((short) 0x0800)
                    .put(ip.array()).put(tcp.array());
            ByteBuffer rec = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            rec.putInt(time++).putInt(0).putInt(pkt.capacity()).putInt(pkt.capacity());
            out.writeBytes(rec.array());
            out.writeBytes(pkt.array());
        }

        /** The Internet checksum (RFC 1071). */
        private static short checksum(byte[] b) {
            long sum = 0;
            for (int i = 0; i < b.length; i += 2) sum += ((b[i] & 0xFF) << 8) | (i + 1 < b.length ? b[i + 1] & 0xFF : 0);
            while ((sum >> 16) != 0) sum = (sum & 0xFFFF) + (sum >> 16);
            return (short) ~sum;
        }
    }

    /**
     * Replays the vector's exchange (as {@link ExampleHandshakeVectorTest#run}) with a key log on both engines,
     * checks the bytes are the vector's, and returns the key log lines of SPEC.md §4.17 (one per key, not duplicated).
     */
    static List<String> replayWithKeyLog() throws Exception {
        return replay().keyLines();
    }

    /** The vector's two engines right after the handshake, and their key log so far (it grows with each rekey). */
    record Replay(QspEngine client, QspEngine server, List<String> keyLines) {}

    static Replay replay() throws Exception {
        KeyStore ks = ExampleHandshakeVectorTest.loadKeyStore(new java.io.ByteArrayInputStream(
                ExampleHandshakeVectorTest.resource(ExampleHandshakeVectorTest.KEYSTORE)));
        QspIdentity server = QspIdentity.fromKeyStore(ks, "server", ExampleHandshakeVectorTest.PASSWORD);
        X509Certificate ca = (X509Certificate) ks.getCertificate("ca");
        List<String> lines = new ArrayList<>();
        TrafficKeyLog log = (random, epoch, c2s, suite, key) -> {
            String l = "QSP_TRAFFIC_KEY " + HexFormat.of().formatHex(random) + " " + Integer.toUnsignedString(epoch) + " "
                    + (c2s ? "C2S" : "S2C") + " " + suite.displayName() + " " + HexFormat.of().formatHex(key.getEncoded());
            if (!lines.contains(l)) lines.add(l);
        };
        QspEngine c = QspEngine.client(QspEngineConfig.builder()
                .trust(QspTrust.pkix(List.of(ca)).atDate(TestPki.VALIDATION_DATE)).expectedPeerIdentity("server.qsp.example")
                .keySources(List.of(HybridKemSource.of(HybridKemSource.X_WING, new SeededRandom("vector:client-kem"))))
                .keyLog(log).build(), new SeededRandom("vector:client"));
        QspEngine s = QspEngine.server(QspEngineConfig.builder().identity(server)
                .keySources(List.of(HybridKemSource.of(HybridKemSource.X_WING, new SeededRandom("vector:server-kem"))))
                .keyLog(log).build(), new SeededRandom("vector:server"));
        s.start(0);
        c.start(0);
        byte[] b = EnginePair.drainAll(c);
        assertEquals(vector.get("c2s.1.client_hello"), HexFormat.of().formatHex(b));
        s.receive(b, 0, b.length, 0);
        b = EnginePair.drainAll(s);
        c.receive(b, 0, b.length, 0);
        b = EnginePair.drainAll(c);
        s.receive(b, 0, b.length, 0);
        assertTrue(c.isHandshakeComplete() && s.isHandshakeComplete());
        return new Replay(c, s, lines);
    }

    static List<String> tshark(String... args) throws Exception {
        return tshark(pcap, Map.of(), args);
    }

    static List<String> tshark(Path capture, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", capture.toString(), "-X", "lua_script:" + DISSECTOR));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(dir.resolve("tshark.err").toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "tshark did not finish");
        // stderr holds tshark's warnings (e.g. "Running as user root ... could be dangerous"), not the fields.
        String err = Files.readString(dir.resolve("tshark.err"));
        assertEquals(0, p.exitValue(), "tshark failed: " + err);
        assertTrue(!err.contains("Lua: Error"), "the dissector raised an error: " + err);
        return List.of(new String(out, StandardCharsets.UTF_8).split("\n"));
    }

    static boolean haveTshark() {
        try {
            Process p = new ProcessBuilder("tshark", "-v").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    static String gcryptSupport() throws Exception {
        Path probe = dir.resolve("gcrypt-probe.lua");
        Files.writeString(probe, "print(\"gcrypt=\" .. tostring(GcryptCipher ~= nil))\n");
        Process p = new ProcessBuilder("tshark", "-r", pcap.toString(), "-c", "1", "-X", "lua_script:" + probe)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        return out.contains("gcrypt=true") ? "yes" : "no";
    }

    @Test
    void framesAndHandshakeMessagesOfTheExampleVector() throws Exception {
        assumeTrue(haveTshark(), "tshark is not installed (Debian: apt-get install tshark; .ci/run installs it)");
        assumeTrue(Files.exists(DISSECTOR), "missing " + DISSECTOR);
        List<String> lines = tshark("-o", "qsp.tcp_port:" + PORT, "--disable-heuristic", "qsp_tcp", "-T", "fields",
                "-E", "separator=|", "-e", "frame.number", "-e", "qsp.frame.type", "-e", "qsp.frame.epoch", "-e", "qsp.frame.seq",
                "-e", "qsp.frame.length", "-e", "qsp.hs.type", "-e", "qsp.hs.length", "-e", "qsp.hs.version",
                "-e", "qsp.hs.aead_id", "-e", "qsp.hs.signature_id", "-e", "qsp.hs.source_id", "-e", "qsp.hs.source_data_length",
                "-e", "qsp.hs.server_name", "-e", "qsp.hs.flags", "-e", "qsp.hs.client_auth", "-e", "qsp.hs.certificate_count",
                "-e", "qsp.hs.certificate_length", "-e", "qsp.hs.signature_length", "-e", "_ws.col.Info");
        assertEquals(List.of(
                "1||||||||||||||||||50000 → 4433 [SYN] Seq=0 Win=65535 Len=0",
                "2||||||||||||||||||4433 → 50000 [SYN, ACK] Seq=0 Ack=1 Win=65535 Len=0",
                "3||||||||||||||||||50000 → 4433 [ACK] Seq=1 Ack=1 Win=65535 Len=0",
                "4|1|0|0|1324|1|1320|0x0001|0x0001,0x0002|0x0905,0x0906,0x0904,0xfe01,0xfe02|x-wing|1240|server.qsp.example|0x00|||||ClientHello",
                "5|1|0|0|15543|2,3,4,5|1217,10949,3313,48|0x0001|0x0001|0x0905,0x0905|x-wing|1120|||0|2|5487,5455|3309|"
                        + "ServerHello, Certificate, CertificateVerify, Finished",
                "6|1|0|1|52|5|48||||||||||||Finished",
                "7|2|0|0|29||||||||||||||APP_DATA",
                "8|2|0|0|29||||||||||||||APP_DATA",
                "9|4|0|1|18||||||||||||||CLOSE"), lines);
    }

    @Test
    void heuristicFindsQspOnAnyPort() throws Exception {
        assumeTrue(haveTshark(), "tshark is not installed (Debian: apt-get install tshark; .ci/run installs it)");
        List<String> lines = tshark("-T", "fields", "-E", "separator=|", "-e", "frame.number", "-e", "qsp.frame.type",
                "-e", "qsp.hs.type");
        assertEquals(List.of("1||", "2||", "3||", "4|1|1", "5|1|2,3,4,5", "6|1|5", "7|2|", "8|2|", "9|4|"), lines);
    }

    @Test
    void keyLogDecryptsAppDataAndCloseWhereTheLuaGcryptApiExists() throws Exception {
        assumeTrue(haveTshark(), "tshark is not installed (Debian: apt-get install tshark; .ci/run installs it)");
        // The key log is right: it decrypts the vector's frames here, in Java (nonce = epoch ‖ seq, aad = header).
        assertEquals(2, keyLines.size(), String.join("\n", keyLines));
        String label = vector.get("c2s.1.client_hello").substring(2 * (15 + 6), 2 * (15 + 6 + 32));
        assertEquals(List.of("QSP_TRAFFIC_KEY " + label + " 0 C2S AES-256-GCM", "QSP_TRAFFIC_KEY " + label + " 0 S2C AES-256-GCM"),
                keyLines.stream().map(l -> l.substring(0, l.lastIndexOf(' '))).toList()); // the label is the ClientHello random
        assertEquals("hello, server", decrypt(vector.get("c2s.3.app_data"), key("0 C2S")));
        assertEquals("hello, client", decrypt(vector.get("s2c.2.app_data"), key("0 S2C")));

        List<String> lines = tshark("-o", "qsp.tcp_port:" + PORT, "-o", "qsp.keylog_file:" + keyLog, "-T", "fields",
                "-E", "separator=|", "-e", "frame.number", "-e", "qsp.decryption", "-e", "qsp.app_data", "-e", "qsp.close.reason_name");
        if (gcryptSupport().equals("yes")) {
            assertEquals(List.of("1|||", "2|||", "3|||", "4|||", "5|||", "6|||",
                    "7|ok|" + HexFormat.of().formatHex("hello, server".getBytes(StandardCharsets.US_ASCII)) + "|",
                    "8|ok|" + HexFormat.of().formatHex("hello, client".getBytes(StandardCharsets.US_ASCII)) + "|",
                    "9|ok||CLOSE_NOTIFY"), lines);
        } else {
            assertEquals(List.of("1|||", "2|||", "3|||", "4|||", "5|||", "6|||", "7|" + GCRYPT_SKIP + "||",
                    "8|" + GCRYPT_SKIP + "||", "9|" + GCRYPT_SKIP + "||"), lines);
            assumeTrue(false, "decryption in the dissector skipped: this tshark has no Lua Gcrypt API (GcryptCipher, "
                    + "Wireshark 4.6+; Debian 12 ships 4.0); the frames say so and the key log was checked in Java");
        }
    }

    /**
     * Rekeys (fresh, then ratchet) and close after the vector's handshake: the frames across the epoch switches,
     * and — through the dissector's plaintext path, fed by a harness with the frames this test decrypted with the key
     * log — every REKEY message and CLOSE reason parsed (what Wireshark shows when it can decrypt them itself).
     */
    @Test
    void rekeyFramesAndTheirMessages() throws Exception {
        assumeTrue(haveTshark(), "tshark is not installed (Debian: apt-get install tshark; .ci/run installs it)");
        Replay r = replay();
        QspEngine c = r.client();
        QspEngine s = r.server();
        Map<String, String> steps = new java.util.LinkedHashMap<>();
        for (String k : List.of("c2s.1.client_hello", "s2c.1.server_hello_certificate_certificate_verify_finished", "c2s.2.finished")) {
            steps.put(k, vector.get(k));
        }
        for (RekeyKind kind : List.of(RekeyKind.FRESH, RekeyKind.RATCHET)) {
            assertTrue(s.requestRekey(kind, 0));
            move(s, c, steps, "s2c.init");
            move(c, s, steps, "c2s.ack");
            move(s, c, steps, "s2c.commit");
        }
        assertEquals(2, c.epoch());
        byte[] data = "after two rekeys".getBytes(StandardCharsets.US_ASCII);
        c.writeApplicationData(data, 0, data.length, 0);
        move(c, s, steps, "c2s.app_data");
        c.closeOutbound();
        move(c, s, steps, "c2s.close");
        s.closeOutbound();
        move(s, c, steps, "s2c.close");
        Path capture = dir.resolve("rekeys.pcap");
        Files.write(capture, Pcap.of(steps));

        assertEquals(List.of("1|||", "2|||", "3|||", "4|1|0|0", "5|1|0|0", "6|1|0|1", "7|3|0|0", "8|3|0|0", "9|3|0|1",
                        "10|3|1|0", "11|3|1|0", "12|3|1|1", "13|2|2|0", "14|4|2|1", "15|4|2|0"),
                tshark(capture, Map.of(), "-o", "qsp.tcp_port:" + PORT, "-T", "fields", "-E", "separator=|",
                        "-e", "frame.number", "-e", "qsp.frame.type", "-e", "qsp.frame.epoch", "-e", "qsp.frame.seq"));

        // Decrypt every REKEY and CLOSE frame with the key log (6 keys: epochs 0-2, both directions) ...
        assertEquals(6, r.keyLines().size(), String.join("\n", r.keyLines()));
        StringBuilder plaintexts = new StringBuilder();
        for (var e : steps.entrySet()) {
            String dirName = e.getKey().startsWith("c2s") ? "C2S" : "S2C";
            for (byte[] f : EnginePair.frames(HexFormat.of().parseHex(e.getValue()))) {
                if (f[0] != FrameType.REKEY.wire() && f[0] != FrameType.CLOSE.wire()) continue;
                int epoch = ByteBuffer.wrap(f, 1, 4).getInt();
                String keyHex = r.keyLines().stream().filter(l -> l.contains(" " + epoch + " " + dirName + " ")).findFirst()
                        .orElseThrow().split(" ")[5];
                byte[] plain = HexFormat.of().parseHex(hex(decrypt(HexFormat.of().formatHex(f), keyHex)));
                plaintexts.append(plaintexts.isEmpty() ? "" : ",").append(f[0]).append(':').append(HexFormat.of().formatHex(plain));
            }
        }
        // ... and hand them to the dissector's plaintext path.
        Path harness = dir.resolve("plaintext-harness.lua");
        try (var in = WiresharkDissectorTest.class.getResourceAsStream("/wireshark/plaintext-harness.lua")) {
            Files.write(harness, in.readAllBytes());
        }
        assertEquals(List.of("2,3,4,2,3,4|2,1|1,1,1,2,2,2|x-wing,x-wing|1240,1120|CLOSE_NOTIFY,CLOSE_NOTIFY"),
                tshark(pcap, Map.of("QSP_TEST_PLAINTEXTS", plaintexts.toString()), "-c", "1", "-X", "lua_script:" + harness,
                        "-T", "fields", "-E", "separator=|", "-e", "qsp.rekey.type", "-e", "qsp.rekey.kind",
                        "-e", "qsp.rekey.next_epoch", "-e", "qsp.hs.source_id", "-e", "qsp.hs.source_data_length",
                        "-e", "qsp.close.reason_name"));
    }

    private static String hex(String latin1) {
        return HexFormat.of().formatHex(latin1.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static int stepNumber;

    /** Moves {@code from}'s output to {@code to} and records it as one step (one TCP segment). */
    private static void move(QspEngine from, QspEngine to, Map<String, String> steps, String label) throws Exception {
        byte[] b = EnginePair.drainAll(from);
        assertTrue(b.length > 0, label);
        steps.put(label.substring(0, 4) + (++stepNumber) + label.substring(3), HexFormat.of().formatHex(b));
        to.receive(b, 0, b.length, 0);
    }

    /**
     * The dissector's decryption glue where this tshark lacks the Gcrypt API: a stand-in (test resource
     * {@code wireshark/gcrypt-stand-in.lua}) that answers only for the exact key, nonce, AAD, ciphertext and tag this
     * test computed with the JCA, so the frames come out "ok" only if the dissector picked the right key-log line
     * (label, epoch, direction) and framed nonce, AAD and tag as SPEC.md §4.9 says.
     */
    @Test
    void decryptionGlueSelectsKeyNonceAndAad() throws Exception {
        assumeTrue(haveTshark(), "tshark is not installed (Debian: apt-get install tshark; .ci/run installs it)");
        StringBuilder aead = new StringBuilder();
        for (String step : List.of("c2s.3.app_data", "s2c.2.app_data", "c2s.4.close")) {
            byte[] f = HexFormat.of().parseHex(vector.get(step));
            String k = key("0 " + (step.startsWith("c2s") ? "C2S" : "S2C"));
            HexFormat h = HexFormat.of();
            aead.append(h.formatHex(HexFormat.of().parseHex(k))).append(':').append(h.formatHex(f, 1, 13)).append(':')
                    .append(h.formatHex(f, 0, 15)).append(':').append(h.formatHex(f, 15, f.length - 16)).append(':')
                    .append(h.formatHex(f, f.length - 16, f.length)).append(':').append(hex(decrypt(vector.get(step), k))).append(';');
        }
        Path standIn = dir.resolve("gcrypt-stand-in.lua");
        try (var in = WiresharkDissectorTest.class.getResourceAsStream("/wireshark/gcrypt-stand-in.lua")) {
            Files.write(standIn, in.readAllBytes());
        }
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", pcap.toString(), "-X", "lua_script:" + standIn,
                "-X", "lua_script:" + DISSECTOR, "-o", "qsp.tcp_port:" + PORT, "-o", "qsp.keylog_file:" + keyLog,
                "-T", "fields", "-E", "separator=|", "-e", "frame.number", "-e", "qsp.decryption", "-e", "qsp.app_data",
                "-e", "qsp.close.reason_name"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("QSP_TEST_AEAD", aead.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(List.of("1|||", "2|||", "3|||", "4|||", "5|||", "6|||",
                "7|ok|" + HexFormat.of().formatHex("hello, server".getBytes(StandardCharsets.US_ASCII)) + "|",
                "8|ok|" + HexFormat.of().formatHex("hello, client".getBytes(StandardCharsets.US_ASCII)) + "|",
                "9|ok||CLOSE_NOTIFY"), List.of(out.split("\n")));

        // And a key log whose C2S and S2C lines are swapped is refused by the same stand-in: the check can fail.
        Path swapped = dir.resolve("swapped-keys.log");
        Files.write(swapped, keyLines.stream().map(l -> l.contains(" C2S ") ? l.replace(" C2S ", " S2C ") : l.replace(" S2C ", " C2S ")).toList());
        cmd.set(cmd.indexOf("qsp.keylog_file:" + keyLog), "qsp.keylog_file:" + swapped);
        p = pb.command(cmd).start();
        out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        String bad = "failed: the AEAD tag does not verify with the logged key";
        assertEquals(List.of("1|||", "2|||", "3|||", "4|||", "5|||", "6|||", "7|" + bad + "||", "8|" + bad + "||",
                "9|" + bad + "||"), List.of(out.split("\n")));
    }

    private static String key(String epochDir) {
        return keyLines.stream().filter(l -> l.contains(" " + epochDir + " ")).findFirst().orElseThrow().split(" ")[5];
    }

    private static String decrypt(String frameHex, String keyHex) throws Exception {
        byte[] f = HexFormat.of().parseHex(frameHex);
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(HexFormat.of().parseHex(keyHex), "AES"),
                new GCMParameterSpec(128, Arrays.copyOfRange(f, 1, 13)));
        c.updateAAD(f, 0, 15);
        return new String(c.doFinal(f, 15, f.length - 15), StandardCharsets.ISO_8859_1);
    }
}
