package dev.qsp.sockets.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.qsp.sockets.QspIdentity;
import dev.qsp.sockets.QspTrust;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Identities exactly as {@code keytool -genkeypair -keyalg ML-DSA-65 -storetype PKCS12} makes them (SPEC.md
 * §4.7): the key store is generated once per class by the JDK's keytool in a child process.
 */
class KeytoolIdentityTest {
    @TempDir
    static Path dir;
    static KeyStore store;
    static final char[] PASSWORD = "changeit".toCharArray();

    @BeforeAll
    static void generate() throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Path ks = dir.resolve("server.p12");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-keyalg", "ML-DSA-65", "-storetype", "PKCS12",
                "-keystore", ks.toString(), "-storepass", "changeit", "-alias", "server",
                "-dname", "CN=keytool.qsp.test", "-ext", "SAN=dns:keytool.qsp.test", "-validity", "3650")
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) throw new AssertionError("keytool failed: " + output);
        store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
            store.load(in, PASSWORD);
        }
    }

    @Test
    void keytoolIdentityVerifiedByPkixAgainstItsOwnCertificate() throws Exception {
        QspIdentity id = QspIdentity.fromKeyStore(store, null, PASSWORD);
        EnginePair p = Fixtures.established(
                Fixtures.client().trust(QspTrust.pkix(List.of(id.leaf()))).expectedPeerIdentity("keytool.qsp.test"),
                Fixtures.server().identity(id), "keytool");
        assertEquals("keytool.qsp.test", p.client.session().peerIdentity());
        assertEquals(SignatureScheme.ML_DSA_65, p.client.session().serverSignature());
    }

    @Test
    void keytoolIdentityVerifiedByPin() throws Exception {
        QspIdentity id = QspIdentity.fromKeyStore(store, "server", PASSWORD);
        EnginePair p = Fixtures.established(
                Fixtures.client().trust(QspTrust.pinned(List.of(QspTrust.spkiSha256(id.leaf())))).expectedPeerIdentity(null),
                Fixtures.server().identity(id), "keytool-pin");
        assertEquals(List.of(id.leaf()), p.client.session().peerCertificates());
    }
}
