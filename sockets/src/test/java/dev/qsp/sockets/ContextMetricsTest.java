package dev.qsp.sockets;

import static dev.qsp.sockets.Loopback.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.qsp.keysources.qkd.QkdPolicy;
import dev.qsp.keysources.qkd.QkdSettings;
import dev.qsp.kme.KmePair;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-context MBean of SPEC.md §6.6, read through the platform MBeanServer after a loopback exchange with QKD
 * (simulated KME pair), a fresh rekey and a failed handshake; and the {@code dev.qsp.KmeRequest} JFR events of
 * the same run.
 */
class ContextMetricsTest {
    @TempDir
    Path dir;

    private static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();

    private static Object attr(QspContext ctx, String name) throws Exception {
        return JMX.getAttribute(new ObjectName(ctx.mbeanName()), name);
    }

    private static Map<String, Long> map(QspContext ctx, String name) throws Exception {
        Map<String, Long> out = new TreeMap<>();
        for (Object row : ((TabularData) attr(ctx, name)).values()) {
            CompositeData c = (CompositeData) row;
            out.put((String) c.get("key"), (Long) c.get("value"));
        }
        return out;
    }

    @Test
    void countersOfAQkdExchangeWithAFreshRekeyAndAFailedHandshake() throws Exception {
        TestIdentities ids = TestIdentities.get();
        Path jfr = dir.resolve("kme.jfr");
        // The keysource debug category too: KME requests (keysources) and what each key source did (sockets).
        List<String> log = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        java.util.logging.Logger keySourceLogger = java.util.logging.Logger.getLogger("dev.qsp.keysource");
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override public void publish(java.util.logging.LogRecord r) { log.add(r.getMessage()); }
            @Override public void flush() {}
            @Override public void close() {}
        };
        keySourceLogger.setLevel(java.util.logging.Level.ALL);
        keySourceLogger.setUseParentHandlers(false);
        keySourceLogger.addHandler(handler);
        System.setProperty("dev.qsp.debug", "keysource");
        try (KmePair kmes = KmePair.start(); Recording rec = new Recording()) {
            rec.enable("dev.qsp.KmeRequest");
            rec.start();
            QspContext server = ids.serverContext().name("metrics-server")
                    .qkd(QkdPolicy.PREFER, QkdSettings.of(kmes.kmeB().baseUri(), KmePair.SAE_B, KmePair.SAE_A),
                            kmes.clientContext(KmePair.SAE_B)).build();
            QspContext client = ids.clientContext().name("metrics client")
                    .qkd(QkdPolicy.REQUIRE, QkdSettings.of(kmes.kmeA().baseUri(), KmePair.SAE_A, KmePair.SAE_B),
                            kmes.clientContext(KmePair.SAE_A)).build();
            QspContext wrongName = ids.clientContext().expectedPeerIdentity("other.qsp.test").build();
            System.clearProperty("dev.qsp.debug");
            assertNull(server.mbeanName(), "registered with the first connection");

            long echoes = 0;
            try (Loopback lo = Loopback.qsp(server)) {
                Future<Long> accepted = lo.acceptOne(s -> {
                    QspSocket q = (QspSocket) s;
                    q.getInputStream().readNBytes(1);
                    q.requestRekey(true);
                    q.getOutputStream().write(2);
                    return Loopback.echo(s);
                });
                try (QspSocket c = lo.connect(client)) {
                    c.getOutputStream().write(1);
                    assertEquals(2, c.getInputStream().read());
                    // The client answers the INIT after its own key-source task (dec_keys, SPEC.md §4.15) while data
                    // flows: echoes carry the server's COMMIT once the ACK is in (bounded by a 30 s guard).
                    long guard = System.nanoTime() + 30_000_000_000L;
                    do {
                        assertTrue(System.nanoTime() - guard < 0, "the fresh rekey did not complete");
                        c.getOutputStream().write(3);
                        assertEquals(3, c.getInputStream().read());
                        echoes++;
                    } while (c.getSession().rekeyCount() == 0);
                    assertEquals(1L, attr(client, "OpenConnections"));
                    assertEquals(1L, attr(client, "FreshRekeys"));
                }
                assertEquals(echoes, (long) await(accepted));

                Future<QspError> refused = lo.acceptOne(s -> {
                    QspHandshakeException e = assertThrows(QspHandshakeException.class, () -> s.getInputStream().read());
                    return e.error();
                });
                try (QspSocket c = lo.connect(wrongName)) {
                    assertEquals(QspError.UNKNOWN_IDENTITY, assertThrows(QspHandshakeException.class, c::startHandshake).error());
                }
                assertEquals(QspError.UNKNOWN_IDENTITY, await(refused));
            }
            rec.stop();
            rec.dump(jfr);

            assertEquals("dev.qsp:name=metrics-server,type=Context", server.mbeanName());
            assertEquals("dev.qsp:name=\"metrics client\",type=Context", client.mbeanName());
            assertEquals("metrics-server", attr(server, "Name"));
            assertEquals(1L, attr(server, "HandshakesCompleted"));
            assertEquals(1L, attr(server, "HandshakesFailed"));
            assertEquals(Map.of("remote:UNKNOWN_IDENTITY", 1L), map(server, "HandshakeFailuresByCode"));
            assertEquals(Map.of(), map(server, "ConnectionFailuresByCode"));
            assertEquals(0L, attr(server, "OpenConnections"));
            assertEquals(1L, attr(server, "FreshRekeys"));
            assertEquals(0L, attr(server, "RatchetRekeys"));
            assertEquals(1 + echoes, attr(server, "BytesSent"));
            assertEquals(1 + echoes, attr(server, "BytesReceived"));
            assertEquals(3L, attr(server, "KmeRequests")); // dec_keys (handshake), status + enc_keys (fresh rekey)
            assertEquals(0L, attr(server, "KmeFailures"));

            assertEquals(1L, attr(client, "HandshakesCompleted"));
            assertEquals(0L, attr(client, "HandshakesFailed"));
            assertEquals(0L, attr(client, "OpenConnections"));
            assertEquals(1L, attr(client, "FreshRekeys"));
            assertEquals(1 + echoes, attr(client, "BytesSent"));
            assertEquals(1 + echoes, attr(client, "BytesReceived"));
            assertEquals(3L, attr(client, "KmeRequests")); // status + enc_keys (handshake), dec_keys (fresh rekey)
            assertEquals(0L, attr(client, "KmeFailures"));

            assertEquals(Map.of("local:UNKNOWN_IDENTITY", 1L), map(wrongName, "HandshakeFailuresByCode"));
            assertEquals(0L, attr(wrongName, "KmeRequests"));
        } finally {
            System.clearProperty("dev.qsp.debug");
            keySourceLogger.removeHandler(handler);
            keySourceLogger.setUseParentHandlers(true);
            keySourceLogger.setLevel(null);
        }
        // Both threads log: compare sorted, with times, labels and key IDs masked.
        List<String> masked = log.stream().map(l -> l.replaceAll("in \\d+ ms", "in N ms")
                .replaceAll("^(client|server) [0-9a-f]{8}:", "$1 LABEL:")
                .replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "UUID")).sorted().toList();
        assertEquals(List.of(
                "KME dec_keys POST /api/v1/keys/SAE_A/dec_keys -> HTTP 200 in N ms",
                "KME dec_keys POST /api/v1/keys/SAE_B/dec_keys -> HTTP 200 in N ms",
                "KME enc_keys POST /api/v1/keys/SAE_A/enc_keys -> HTTP 200 in N ms",
                "KME enc_keys POST /api/v1/keys/SAE_B/enc_keys -> HTTP 200 in N ms",
                "KME status GET /api/v1/keys/SAE_A/status -> HTTP 200 in N ms",
                "KME status GET /api/v1/keys/SAE_B/status -> HTTP 200 in N ms",
                "client LABEL: epoch 1 key source qkd [QKD] key_ID=UUID (256 bits, SAE_B -> SAE_A)",
                "client LABEL: epoch 1 key source x-wing [KEM]",
                "client LABEL: handshake key source qkd [QKD] key_ID=UUID (256 bits, SAE_A -> SAE_B)",
                "client LABEL: handshake key source x-wing [KEM]",
                "server LABEL: epoch 1 key source qkd [QKD] key_ID=UUID (256 bits, SAE_B -> SAE_A)",
                "server LABEL: epoch 1 key source x-wing [KEM]",
                "server LABEL: handshake key source qkd [QKD] key_ID=UUID (256 bits, SAE_A -> SAE_B)",
                "server LABEL: handshake key source x-wing [KEM]"), masked);
        List<RecordedEvent> events = RecordingFile.readAllEvents(jfr);
        Map<String, Long> ops = events.stream().filter(e -> e.getEventType().getName().equals("dev.qsp.KmeRequest"))
                .collect(Collectors.groupingBy(
                e -> e.getString("operation") + " " + e.getInt("httpStatus") + " " + e.getString("error"), TreeMap::new,
                Collectors.counting()));
        assertEquals(Map.of("dec_keys 200 ", 2L, "enc_keys 200 ", 2L, "status 200 ", 2L), ops);
    }
}
