package dev.qsp.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The development PKI: what keytool makes, where it goes, and that it is made only once. */
class DevIdentityTest {
    @Test
    void generatesMlDsa65StoresOnceAndSaysSo() throws Exception {
        DevIdentity id = DevPki.get();
        Path dir = DevPki.dir();
        assertTrue(DevPki.firstLog().contains("generating a throwaway development identity"), DevPki.firstLog());
        ByteArrayOutputStream log = new ByteArrayOutputStream();

        KeyStore server = load(id.serverKeyStore());
        assertEquals(List.of("server"), java.util.Collections.list(server.aliases()));
        PrivateKey key = (PrivateKey) server.getKey("server", DevIdentity.PASSWORD.toCharArray());
        assertEquals("ML-DSA", key.getAlgorithm());
        X509Certificate leaf = (X509Certificate) server.getCertificateChain("server")[0];
        X509Certificate ca = (X509Certificate) server.getCertificateChain("server")[1];
        assertEquals("CN=localhost", leaf.getSubjectX500Principal().getName());
        assertEquals("ML-DSA-65", leaf.getSigAlgName());
        assertTrue(leaf.getSubjectAlternativeNames().contains(List.of(2, "localhost")), "SAN dNSName localhost");
        leaf.verify(ca.getPublicKey());

        KeyStore trust = load(id.trustStore());
        X509Certificate anchor = (X509Certificate) trust.getCertificate("qsp-dev-ca");
        assertEquals(ca, anchor);
        X509Certificate client = (X509Certificate) load(id.clientKeyStore()).getCertificateChain("client")[0];
        client.verify(anchor.getPublicKey());

        FileTime made = Files.getLastModifiedTime(id.serverKeyStore());
        log.reset();
        DevIdentity again = DevIdentity.ensure(dir, new PrintStream(log, true, StandardCharsets.UTF_8));
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("using the development identity"));
        assertEquals(made, Files.getLastModifiedTime(again.serverKeyStore()), "not generated twice");
    }

    private static KeyStore load(Path p) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p)) {
            ks.load(in, DevIdentity.PASSWORD.toCharArray());
        }
        return ks;
    }
}
