package dev.qsp.sockets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qsp.sockets.engine.KeySourceTask;
import dev.qsp.sockets.engine.QspEngine;
import dev.qsp.sockets.engine.RekeyKind;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The debug log, the key log and the JFR events of SPEC.md §6.6 and §4.17, over an in-memory pair of engines made
 * from two contexts exactly as the socket layer makes them ({@link EngineCore#engineConfig}), on an injected
 * clock: a handshake, application data both ways, a ratchet rekey and a close.
 */
class ObservabilityTest {
    @TempDir
    Path dir;

    /** Every record of the {@code dev.qsp} loggers, as {@code logger: message}. */
    private final List<String> records = new ArrayList<>();
    private final Logger qspLogger = Logger.getLogger("dev.qsp"); // strong reference: JUL loggers are weak
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            synchronized (records) {
                records.add(r.getLoggerName() + ": " + r.getMessage());
            }
        }

        @Override public void flush() {}

        @Override public void close() {}
    };
    private Level savedLevel;

    @BeforeEach
    void captureLogs() {
        savedLevel = qspLogger.getLevel();
        qspLogger.setLevel(Level.ALL);
        qspLogger.setUseParentHandlers(false);
        qspLogger.addHandler(capture);
    }

    @AfterEach
    void restore() {
        qspLogger.removeHandler(capture);
        qspLogger.setUseParentHandlers(true);
        qspLogger.setLevel(savedLevel);
        System.clearProperty(DebugFlags.PROPERTY);
        System.clearProperty(KeyLogFile.PROPERTY);
    }

    private static SecureRandom seeded(String seed) throws Exception {
        SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
        r.setSeed(seed.getBytes(StandardCharsets.US_ASCII));
        return r;
    }

    /** Two engines from two contexts, the wire bytes of each direction, and an explicit clock in milliseconds. */
    private static final class Pair {
        final QspEngine client;
        final QspEngine server;
        final ByteArrayOutputStream c2s = new ByteArrayOutputStream();
        final ByteArrayOutputStream s2c = new ByteArrayOutputStream();
        private final byte[] buf = new byte[1 << 17];

        Pair(QspContext clientCtx, QspContext serverCtx) {
            client = QspEngine.client(EngineCore.engineConfig(clientCtx, TestIdentities.SERVER_NAME), clientCtx.random());
            server = QspEngine.server(EngineCore.engineConfig(serverCtx, null), serverCtx.random());
        }

        void toServer(long ms) throws Exception { move(client, server, c2s, ms); }

        void toClient(long ms) throws Exception { move(server, client, s2c, ms); }

        private void move(QspEngine from, QspEngine to, ByteArrayOutputStream wire, long ms) throws Exception {
            while (from.pendingOutput() > 0) {
                int n = from.drainOutput(buf, 0, buf.length);
                wire.write(buf, 0, n);
                to.receive(buf, 0, n, ms * 1_000_000);
                runTasks(to, ms);
            }
        }

        /** The socket layer's engines delegate key-source work (SPEC.md §4.15): run it here, at the same time. */
        static void runTasks(QspEngine e, long ms) throws Exception {
            for (KeySourceTask t = e.delegatedTask(); t != null; t = e.delegatedTask()) {
                t.run();
                e.tick(ms * 1_000_000);
            }
        }

        static String read(QspEngine e) throws Exception {
            byte[] b = new byte[64];
            int n = e.readApplicationData(b, 0, b.length);
            return new String(b, 0, n, StandardCharsets.US_ASCII);
        }

        /**
         * The script: handshake (client complete at 5 ms, server at 9 ms), "ping" at 10 ms, a ratchet rekey the
         * server starts at 20 ms (complete at the server at 24 ms, at the client at 26 ms), "pong" at 30 ms under
         * epoch 1, then both close.
         */
        void run() throws Exception {
            server.start(0);
            client.start(0);
            runTasks(client, 0);
            toServer(2);
            toClient(5);
            toServer(9);
            assertTrue(client.isHandshakeComplete() && server.isHandshakeComplete());
            client.writeApplicationData("ping".getBytes(StandardCharsets.US_ASCII), 0, 4, 10_000_000);
            toServer(10);
            assertEquals("ping", read(server));
            assertTrue(server.requestRekey(RekeyKind.RATCHET, 20_000_000));
            toClient(21);
            toServer(24);
            toClient(26);
            assertEquals(1, client.epoch());
            assertEquals(1, server.rekeyCount());
            server.writeApplicationData("pong".getBytes(StandardCharsets.US_ASCII), 0, 4, 30_000_000);
            toClient(30);
            assertEquals("pong", read(client));
            client.closeOutbound();
            toServer(31);
            server.closeOutbound();
            toClient(32);
            assertTrue(client.isClosed() && server.isClosed());
        }
    }

    private QspContext.Builder serverContext(String seed) throws Exception {
        return TestIdentities.get().serverContext().random(seeded(seed));
    }

    private QspContext.Builder clientContext(String seed) throws Exception {
        return TestIdentities.get().clientContext().random(seeded(seed));
    }

    private static final String C = "client 6f49fbc9: ";
    private static final String S = "server 6f49fbc9: ";

    @Test
    void debugLogShowsTheHandshakeAndTheRekeyInOrderAndNoKey() throws Exception {
        System.setProperty(DebugFlags.PROPERTY, "handshake,rekey");
        Path keyLog = dir.resolve("keys.log");
        System.setProperty(KeyLogFile.PROPERTY, keyLog.toString());
        Pair p = new Pair(clientContext("debug client").build(), serverContext("debug server").build());
        System.clearProperty(DebugFlags.PROPERTY);
        System.clearProperty(KeyLogFile.PROPERTY);
        p.run();

        List<String> log;
        synchronized (records) {
            log = List.copyOf(records);
        }
        assertEquals(List.of(
                "dev.qsp.keylog: dev.qsp.keyLogFile is set: the traffic keys of every QSP connection of this JVM are "
                        + "written to " + keyLog.toAbsolutePath().normalize() + "; anyone who can read that file can decrypt "
                        + "those connections. Use it for debugging only (SPEC.md 4.17).",
                "dev.qsp.handshake: " + C + "sent ClientHello, 1315 bytes",
                "dev.qsp.handshake: " + S + "received ClientHello, 1315 bytes",
                "dev.qsp.handshake: " + S + "sent ServerHello, 1221 bytes",
                "dev.qsp.handshake: " + S + "sent Certificate, 10926 bytes",
                "dev.qsp.handshake: " + S + "sent CertificateVerify, 3317 bytes",
                "dev.qsp.handshake: " + S + "sent Finished, 52 bytes",
                "dev.qsp.handshake: " + C + "received ServerHello, 1221 bytes",
                "dev.qsp.handshake: " + C + "received Certificate, 10926 bytes",
                "dev.qsp.handshake: " + C + "received CertificateVerify, 3317 bytes",
                "dev.qsp.handshake: " + C + "received Finished, 52 bytes",
                "dev.qsp.handshake: " + C + "sent Finished, 52 bytes",
                "dev.qsp.handshake: " + C + "handshake complete in 5 ms: AES-256-GCM, x-wing, ML-DSA-65, peer localhost, key sources [x-wing]",
                "dev.qsp.handshake: " + S + "received Finished, 52 bytes",
                "dev.qsp.handshake: " + S + "handshake complete in 9 ms: AES-256-GCM, x-wing, ML-DSA-65, peer anonymous, key sources [x-wing]",
                "dev.qsp.rekey: " + S + "sent REKEY_INIT ratchet, next epoch 1",
                "dev.qsp.rekey: " + C + "received REKEY_INIT ratchet, next epoch 1",
                "dev.qsp.rekey: " + C + "sent REKEY_ACK, next epoch 1",
                "dev.qsp.rekey: " + S + "received REKEY_ACK, next epoch 1",
                "dev.qsp.rekey: " + S + "sent REKEY_COMMIT, epoch 1",
                "dev.qsp.rekey: " + S + "rekey complete: ratchet to epoch 1 in 4 ms",
                "dev.qsp.rekey: " + C + "received REKEY_COMMIT, epoch 1",
                "dev.qsp.rekey: " + C + "rekey complete: ratchet to epoch 1 in 5 ms",
                "dev.qsp.handshake: " + S + "connection ended, keys erased",
                "dev.qsp.handshake: " + C + "connection ended, keys erased"), log);

        // The key log: both sides log the keys of both directions of epochs 0 and 1, labelled by the ClientHello random.
        List<String> lines = Files.readAllLines(keyLog);
        assertEquals(8, lines.size(), String.join("\n", lines));
        Map<String, String> keys = new TreeMap<>();
        String label = null;
        for (String l : lines) {
            String[] f = l.split(" ");
            assertEquals(6, f.length, l);
            assertEquals("QSP_TRAFFIC_KEY", f[0]);
            assertEquals(64, f[1].length());
            assertTrue(f[1].startsWith("6f49fbc9"), l);
            if (label == null) label = f[1];
            assertEquals(label, f[1]);
            assertEquals("AES-256-GCM", f[4]);
            assertEquals(64, f[5].length());
            String prev = keys.put(f[2] + " " + f[3], f[5]);
            if (prev != null) assertEquals(prev, f[5], "both sides log the same key for " + f[2] + " " + f[3]);
        }
        assertEquals(List.of("0 C2S", "0 S2C", "1 C2S", "1 S2C"), List.copyOf(keys.keySet()));
        assertEquals(4, keys.values().stream().distinct().count());

        // What the key log is for: an observer decrypts the captured frames with it (SPEC.md §4.9 nonce and AAD).
        assertEquals("ping", decryptFirst(p.c2s.toByteArray(), 2, 0, keys.get("0 C2S")));
        assertEquals("pong", decryptFirst(p.s2c.toByteArray(), 2, 1, keys.get("1 S2C")));

        // No key in any log line, in hex or as raw bytes.
        String all = String.join("\n", log);
        for (String k : keys.values()) {
            assertFalse(all.toLowerCase().contains(k), "a traffic key in the debug log");
            assertFalse(all.contains(new String(HexFormat.of().parseHex(k), StandardCharsets.ISO_8859_1)));
        }
    }

    /** Decrypts the first frame of {@code type} and {@code epoch} in a captured byte stream with {@code keyHex}. */
    private static String decryptFirst(byte[] wire, int type, int epoch, String keyHex) throws Exception {
        int p = 0;
        while (p + 15 <= wire.length) {
            int len = ((wire[p + 13] & 0xFF) << 8) | (wire[p + 14] & 0xFF);
            int e = ((wire[p + 1] & 0xFF) << 24) | ((wire[p + 2] & 0xFF) << 16) | ((wire[p + 3] & 0xFF) << 8) | (wire[p + 4] & 0xFF);
            if (wire[p] == type && e == epoch) {
                Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
                c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(HexFormat.of().parseHex(keyHex), "AES"),
                        new GCMParameterSpec(128, Arrays.copyOfRange(wire, p + 1, p + 13))); // nonce = epoch ‖ seq
                c.updateAAD(wire, p, 15);
                return new String(c.doFinal(wire, p + 15, len), StandardCharsets.US_ASCII);
            }
            p += 15 + len;
        }
        throw new AssertionError("no frame of type " + type + " in epoch " + epoch);
    }

    @Test
    void recordAndKeySourceCategoriesAndNothingWhenOff() throws Exception {
        System.setProperty(DebugFlags.PROPERTY, "record,keysource");
        QspContext client = clientContext("record client").build();
        System.clearProperty(DebugFlags.PROPERTY);
        QspContext server = serverContext("record server").build(); // built with the property unset: logs nothing
        new Pair(client, server).run();
        List<String> log;
        synchronized (records) {
            log = List.copyOf(records);
        }
        String c = "client 829ad8a0: ";
        assertEquals(List.of(
                "dev.qsp.record: " + c + "sent HANDSHAKE epoch 0 seq 0, 1315 bytes",
                "dev.qsp.record: " + c + "received HANDSHAKE epoch 0 seq 0, 15516 bytes",
                "dev.qsp.record: " + c + "sent HANDSHAKE epoch 0 seq 1, 52 bytes",
                "dev.qsp.keysource: " + c + "handshake key source x-wing [KEM]",
                "dev.qsp.record: " + c + "sent APP_DATA epoch 0 seq 0, 20 bytes",
                "dev.qsp.record: " + c + "received REKEY epoch 0 seq 0, 23 bytes",
                "dev.qsp.record: " + c + "sent REKEY epoch 0 seq 1, 22 bytes",
                "dev.qsp.record: " + c + "received REKEY epoch 0 seq 1, 21 bytes",
                "dev.qsp.record: " + c + "received APP_DATA epoch 1 seq 0, 20 bytes",
                "dev.qsp.record: " + c + "sent CLOSE epoch 1 seq 0, 18 bytes",
                "dev.qsp.record: " + c + "received CLOSE epoch 1 seq 1, 18 bytes"), log);
    }

    @Test
    void badDebugValueIsAWarningNotAFailure() throws Exception {
        System.setProperty(DebugFlags.PROPERTY, "handshake,everything");
        QspContext ctx = clientContext("bad").build();
        assertEquals(DebugFlags.OFF, ctx.observer().flags);
        synchronized (records) {
            assertEquals(List.of("dev.qsp: dev.qsp.debug: unknown category 'everything' (known: handshake, rekey, "
                    + "record, keysource, all); debug logging is off"), records);
        }
        assertEquals(new DebugFlags(true, true, true, true), DebugFlags.parse("all"));
        assertEquals(new DebugFlags(false, true, false, true), DebugFlags.parse(" Rekey , keysource"));
        assertNull(ctx.observer().handshakeLog);
    }

    @Test
    void keyLogThatCannotBeOpenedIsAWarningAndNoKeyLog() throws Exception {
        Path missing = dir.resolve("no-such-dir").resolve("keys.log");
        System.setProperty(KeyLogFile.PROPERTY, missing.toString());
        QspContext ctx = clientContext("no key log").build();
        assertNull(ctx.observer().keyLog);
        synchronized (records) {
            assertEquals(1, records.size(), records.toString());
            assertTrue(records.getFirst().startsWith("dev.qsp.keylog: cannot open the QSP key log " + missing
                    + " (dev.qsp.keyLogFile): "), records.getFirst());
            assertTrue(records.getFirst().endsWith("; no key log is written"), records.getFirst());
        }
        assertFalse(Files.exists(missing));
    }

    @Test
    void jfrEventsForTheHandshakeTheRekeyAndAFailure() throws Exception {
        Path file = dir.resolve("qsp.jfr");
        try (Recording r = new Recording()) {
            r.enable("dev.qsp.Handshake");
            r.enable("dev.qsp.Rekey");
            r.enable("dev.qsp.Failure");
            r.start();
            new Pair(clientContext("jfr client").build(), serverContext("jfr server").build()).run();
            // A failed handshake: the client expects another name than the server's certificate has.
            QspContext wrongName = TestIdentities.get().clientContext().expectedPeerIdentity("other.qsp.test")
                    .random(seeded("jfr wrong")).build();
            QspEngine c = QspEngine.client(EngineCore.engineConfig(wrongName, "other.qsp.test"), wrongName.random());
            QspContext sctx = serverContext("jfr server 2").build();
            QspEngine s = QspEngine.server(EngineCore.engineConfig(sctx, null), sctx.random());
            c.start(0);
            Pair.runTasks(c, 0);
            s.start(0);
            byte[] buf = new byte[1 << 17];
            int n = c.drainOutput(buf, 0, buf.length);
            s.receive(buf, 0, n, 1_000_000);
            Pair.runTasks(s, 1);
            n = s.drainOutput(buf, 0, buf.length);
            int len = n;
            assertEquals(QspError.UNKNOWN_IDENTITY, org.junit.jupiter.api.Assertions.assertThrows(QspProtocolException.class,
                    () -> {
                        c.receive(buf, 0, len, 3_000_000);
                        Pair.runTasks(c, 3);
                    }).error());
            r.stop();
            r.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().startsWith("dev.qsp.")).toList();
        List<String> seen = events.stream().map(ObservabilityTest::describe).collect(Collectors.toList());
        assertEquals(List.of(
                "dev.qsp.Handshake client completed AES-256-GCM x-wing ML-DSA-65 [x-wing] localhost 5000000",
                "dev.qsp.Handshake server completed AES-256-GCM x-wing ML-DSA-65 [x-wing] null 9000000",
                "dev.qsp.Rekey server ratchet 1 4000000",
                "dev.qsp.Rekey client ratchet 1 5000000",
                "dev.qsp.Failure client UNKNOWN_IDENTITY local handshake",
                "dev.qsp.Handshake client failed: UNKNOWN_IDENTITY null null null [null] null 0"), seen);
        for (RecordedEvent e : events) assertEquals(8, e.getString("connection").length(), e.toString());
    }

    private static String describe(RecordedEvent e) {
        return switch (e.getEventType().getName()) {
            case "dev.qsp.Handshake" -> e.getEventType().getName() + " " + e.getString("role") + " " + e.getString("outcome") + " "
                    + e.getString("suite") + " " + e.getString("kem") + " " + e.getString("signature") + " ["
                    + e.getString("keySources") + "] " + e.getString("peerIdentity") + " " + e.getLong("handshakeTime");
            case "dev.qsp.Rekey" -> e.getEventType().getName() + " " + e.getString("role") + " " + e.getString("kind") + " "
                    + e.getLong("newEpoch") + " " + e.getLong("rekeyTime");
            case "dev.qsp.Failure" -> e.getEventType().getName() + " " + e.getString("role") + " " + e.getString("code") + " "
                    + (e.getBoolean("remote") ? "remote" : "local") + " " + e.getString("phase");
            default -> e.getEventType().getName();
        };
    }
}
