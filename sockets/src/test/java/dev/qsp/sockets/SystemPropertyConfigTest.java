package dev.qsp.sockets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dev.qsp.* system properties (SPEC.md §6.5): every mistake is reported with the property's name. */
class SystemPropertyConfigTest {
    @TempDir
    static Path dir;
    private static Path serverStore;
    private static Path trustStore;
    private static TestIdentities ids;

    @BeforeAll
    static void stores() throws Exception {
        ids = TestIdentities.get();
        serverStore = TestIdentities.writeKeyStore(dir.resolve("server.p12"), "server", ids.server);
        trustStore = ids.writeTrustStore(dir.resolve("trust.p12"));
    }

    private static Map<String, String> server() {
        Map<String, String> p = new HashMap<>();
        p.put("dev.qsp.keyStore", serverStore.toString());
        p.put("dev.qsp.keyStorePassword", new String(TestIdentities.PASSWORD));
        return p;
    }

    private static QspConfigurationException failure(Map<String, String> p) {
        return assertThrows(QspConfigurationException.class, () -> SystemPropertyConfig.load(p));
    }

    @Test
    void fullConfigurationIsRead() throws Exception {
        Map<String, String> p = server();
        p.put("dev.qsp.keyAlias", "server");
        p.put("dev.qsp.trustStore", trustStore.toString());
        p.put("dev.qsp.trustStorePassword", new String(TestIdentities.PASSWORD));
        p.put("dev.qsp.expectedIdentity", "client.qsp.test");
        p.put("dev.qsp.suites", "ChaCha20-Poly1305, AES-256-GCM");
        p.put("dev.qsp.signatureAlgorithms", "ML-DSA-65");
        p.put("dev.qsp.clientAuth", "required");
        p.put("dev.qsp.rekey.records", "4096");
        p.put("dev.qsp.rekey.bytes", "64M");
        p.put("dev.qsp.rekey.interval", "90s");
        p.put("dev.qsp.rekey.kind", "fresh");
        p.put("dev.qsp.handshakeTimeout", "1500ms");
        QspContext c = SystemPropertyConfig.load(p);
        assertEquals(ids.server.leaf(), c.identity().leaf());
        assertFalse(c.trust().isPinned());
        assertEquals("client.qsp.test", c.expectedPeerIdentity());
        assertEquals(List.of("ChaCha20-Poly1305", "AES-256-GCM"), c.suites());
        assertEquals(List.of("ML-DSA-65"), c.signatureAlgorithms());
        assertEquals(QspContext.ClientAuth.REQUIRED, c.clientAuth());
        assertEquals(4096, c.rekeyAfterRecords());
        assertEquals(64L << 20, c.rekeyAfterBytes());
        assertEquals(Duration.ofSeconds(90), c.rekeyInterval());
        assertTrue(c.freshRekeys());
        assertEquals(Duration.ofMillis(1500), c.handshakeTimeout());
    }

    @Test
    void theOnlyKeyEntryIsUsedWithoutAnAlias() throws Exception {
        assertEquals(ids.server.leaf(), SystemPropertyConfig.load(server()).identity().leaf());
    }

    @Test
    void missingPasswordNamesThePasswordProperty() {
        Map<String, String> p = server();
        p.remove("dev.qsp.keyStorePassword");
        QspConfigurationException e = failure(p);
        assertEquals("dev.qsp.keyStorePassword", e.property());
        assertTrue(e.getMessage().startsWith("dev.qsp.keyStorePassword: is not set"), e.getMessage());
    }

    @Test
    void wrongPasswordNamesThePasswordPropertyAndDoesNotShowIt() {
        Map<String, String> p = server();
        p.put("dev.qsp.keyStorePassword", "not-the-password");
        QspConfigurationException e = failure(p);
        assertEquals("dev.qsp.keyStorePassword", e.property());
        assertFalse(e.getMessage().contains("not-the-password"), e.getMessage());
    }

    @Test
    void missingFileNamesTheStoreProperty() {
        Map<String, String> p = server();
        p.put("dev.qsp.keyStore", dir.resolve("nope.p12").toString());
        QspConfigurationException e = failure(p);
        assertEquals("dev.qsp.keyStore", e.property());
        assertTrue(e.getMessage().contains("file not found"), e.getMessage());
    }

    @Test
    void unknownAliasNamesTheAliasProperty() {
        Map<String, String> p = server();
        p.put("dev.qsp.keyAlias", "nobody");
        assertEquals("dev.qsp.keyAlias", failure(p).property());
    }

    @Test
    void unknownStoreTypeNamesTheTypeProperty() {
        Map<String, String> p = server();
        p.put("dev.qsp.keyStoreType", "NOSUCHTYPE");
        assertEquals("dev.qsp.keyStoreType", failure(p).property());
    }

    @Test
    void aliasWithoutKeyStoreNamesTheKeyStoreProperty() {
        QspConfigurationException e = failure(Map.of("dev.qsp.keyAlias", "server"));
        assertEquals("dev.qsp.keyStore", e.property());
    }

    @Test
    void admissionAndRekeyDecisionPropertiesAreRead() throws Exception {
        QspContext d = SystemPropertyConfig.load(server());
        assertEquals(Duration.ofSeconds(5), d.helloTimeout());
        assertEquals(1024, d.admissionGate().maxHandshakes());
        assertEquals(64, d.admissionGate().maxHandshakesPerAddress());
        assertTrue(d.clientFreshRekeys());
        assertEquals(Duration.ofSeconds(60), d.minFreshRekeyInterval());
        Map<String, String> p = server();
        p.put("dev.qsp.server.helloTimeout", "750ms");
        p.put("dev.qsp.server.maxHandshakes", "10");
        p.put("dev.qsp.server.maxHandshakesPerAddress", "3");
        p.put("dev.qsp.rekey.clientFresh", "false");
        p.put("dev.qsp.rekey.minFreshInterval", "5m");
        QspContext c = SystemPropertyConfig.load(p);
        assertEquals(Duration.ofMillis(750), c.helloTimeout());
        assertEquals(10, c.admissionGate().maxHandshakes());
        assertEquals(3, c.admissionGate().maxHandshakesPerAddress());
        assertFalse(c.clientFreshRekeys());
        assertEquals(Duration.ofMinutes(5), c.minFreshRekeyInterval());
        for (var entry : Map.of("dev.qsp.server.helloTimeout", "0ms", "dev.qsp.server.maxHandshakes", "0",
                "dev.qsp.server.maxHandshakesPerAddress", "many", "dev.qsp.rekey.clientFresh", "sometimes",
                "dev.qsp.rekey.minFreshInterval", "later").entrySet()) {
            Map<String, String> bad = server();
            bad.put(entry.getKey(), entry.getValue());
            assertEquals(entry.getKey(), failure(bad).property(), entry.toString());
        }
    }

    @Test
    void badValuesNameTheirProperty() {
        Map<String, String> bad = Map.of(
                "dev.qsp.rekey.records", "-3",
                "dev.qsp.rekey.bytes", "12 parsecs",
                "dev.qsp.rekey.interval", "soon",
                "dev.qsp.rekey.kind", "sometimes",
                "dev.qsp.handshakeTimeout", "0ms",
                "dev.qsp.clientAuth", "maybe",
                "dev.qsp.suites", "ROT13",
                "dev.qsp.signatureAlgorithms", "RSA",
                "dev.qsp.pinnedKey", "abcd");
        for (var entry : bad.entrySet()) {
            Map<String, String> p = server();
            p.put(entry.getKey(), entry.getValue());
            assertEquals(entry.getKey(), failure(p).property(), entry.toString());
        }
    }

    @Test
    void pinAndTrustStoreTogetherAreRefused() {
        Map<String, String> p = server();
        p.put("dev.qsp.trustStore", trustStore.toString());
        p.put("dev.qsp.pinnedKey", "00".repeat(32));
        assertEquals("dev.qsp.pinnedKey", failure(p).property());
    }

    @Test
    void pinsAreReadInHexWithColonsOrBase64() throws Exception {
        byte[] pin = QspTrust.spkiSha256(ids.server.leaf());
        String hex = HexFormat.ofDelimiter(":").formatHex(pin);
        String b64 = java.util.Base64.getEncoder().encodeToString(pin);
        for (String v : List.of(hex, "sha256:" + HexFormat.of().formatHex(pin), b64)) {
            QspContext c = SystemPropertyConfig.load(Map.of("dev.qsp.pinnedKey", v));
            assertTrue(c.trust().isPinned());
            assertTrue(c.trust().matchesPin(pin), v);
        }
    }

    @Test
    void durationsAndSizes() throws Exception {
        assertEquals(Duration.ofMillis(250), SystemPropertyConfig.duration(Map.of("x", "250ms"), "x"));
        assertEquals(Duration.ofMinutes(5), SystemPropertyConfig.duration(Map.of("x", "5m"), "x"));
        assertEquals(Duration.ofHours(2), SystemPropertyConfig.duration(Map.of("x", "2h"), "x"));
        assertEquals(Duration.ofSeconds(30), SystemPropertyConfig.duration(Map.of("x", "PT30S"), "x"));
        assertEquals(1L << 30, SystemPropertyConfig.size(Map.of("x", "1G"), "x"));
        assertEquals(16L << 10, SystemPropertyConfig.size(Map.of("x", "16KiB"), "x"));
        assertEquals(123L, SystemPropertyConfig.size(Map.of("x", "123"), "x"));
        assertNull(SystemPropertyConfig.size(Map.of(), "x"));
    }

    @Test
    void defaultClientFactoryWithoutTrustNamesTheTrustStoreOnUse() throws Exception {
        QspSocketFactory f = QspSocketFactory.fromSystemProperties(Map.of());
        QspConfigurationException e = assertThrows(QspConfigurationException.class, f::createSocket);
        assertEquals("dev.qsp.trustStore", e.property());
        assertThrows(QspConfigurationException.class, () -> f.createSocket("127.0.0.1", 1));
        assertNotNull(e.getCause(), "the first failure is the cause");
    }

    @Test
    void defaultServerFactoryWithoutIdentityNamesTheKeyStoreOnUse() {
        QspServerSocketFactory f = QspServerSocketFactory.fromSystemProperties(Map.of("dev.qsp.trustStore",
                trustStore.toString(), "dev.qsp.trustStorePassword", new String(TestIdentities.PASSWORD)));
        QspConfigurationException e = assertThrows(QspConfigurationException.class, () -> f.createServerSocket(0));
        assertEquals("dev.qsp.keyStore", e.property());
    }

    @Test
    void trustStoreThatNeedsAPasswordNamesThePasswordProperty() {
        QspConfigurationException e = failure(Map.of("dev.qsp.trustStore", trustStore.toString()));
        assertEquals("dev.qsp.trustStorePassword", e.property());
    }

    @Test
    void brokenQkdSettingsNameTheQkdSwitch() {
        Map<String, String> p = server();
        p.put("qsp.qkd.kme.url", "http://kme.example"); // QKD wants https and its other settings
        QspConfigurationException e = failure(p);
        assertEquals("qsp.qkd.kme.url", e.property());
        assertNotNull(e.getCause());
    }

    @Test
    void storeFilesAreNotChangedByLoading() throws Exception {
        byte[] before = Files.readAllBytes(serverStore);
        SystemPropertyConfig.load(server());
        assertEquals(java.util.Arrays.hashCode(before), java.util.Arrays.hashCode(Files.readAllBytes(serverStore)));
    }
}
