package dev.qsp.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qsp.sockets.QspServerSocketFactory;
import dev.qsp.sockets.QspSocketFactory;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./qsp pin} (issue 12 item 7): the printed pin is SHA-256 over the SubjectPublicKeyInfo in the
 * {@code dev.qsp.pinnedKey} format, the same for a PKCS#12 store, a PEM and a DER certificate, and a client
 * configured with exactly that output completes a handshake with the server.
 */
class PinTest {
    private final Properties saved = (Properties) System.getProperties().clone();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @AfterEach
    void restore() {
        System.setProperties(saved);
    }

    private int pin(String... args) {
        out.reset();
        err.reset();
        return Pin.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() { return out.toString(StandardCharsets.UTF_8); }

    private String err() { return err.toString(StandardCharsets.UTF_8); }

    private static X509Certificate cert(Path p12, String alias) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            ks.load(in, DevIdentity.PASSWORD.toCharArray());
        }
        return (X509Certificate) ks.getCertificate(alias);
    }

    private static String expected(X509Certificate c) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(c.getPublicKey().getEncoded())) + "\n";
    }

    @Test
    void pinOfStoreAndCertificatesAgree(@TempDir Path tmp) throws Exception {
        DevIdentity id = DevPki.get();
        X509Certificate server = cert(id.serverKeyStore(), "server");
        String want = expected(server);
        assertEquals(7 + 64 + 1, want.length());

        assertEquals(0, pin(id.serverKeyStore().toString(), "--password", DevIdentity.PASSWORD));
        assertEquals(want, out());
        assertEquals("qsp pin: CN=localhost (" + id.serverKeyStore() + " alias server)\n", err());

        Path der = Files.write(tmp.resolve("server.der"), server.getEncoded());
        assertEquals(0, pin(der.toString()));
        assertEquals(want, out());

        Path pem = Files.writeString(tmp.resolve("server.pem"), "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(server.getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        assertEquals(0, pin(pem.toString()));
        assertEquals(want, out());
        assertEquals("qsp pin: CN=localhost (" + pem + ")\n", err());

        // The trust store's only entry is the CA.
        assertEquals(0, pin(id.trustStore().toString(), "--password", DevIdentity.PASSWORD));
        assertEquals(expected(cert(id.trustStore(), "qsp-dev-ca")), out());
    }

    @Test
    void badInput(@TempDir Path tmp) throws Exception {
        DevIdentity id = DevPki.get();
        assertEquals(2, pin(id.serverKeyStore().toString()));
        assertEquals("qsp pin: " + id.serverKeyStore() + " is not a certificate; as a PKCS#12 store it needs --password"
                + " (see --help)\n", err());
        assertEquals(1, pin(id.serverKeyStore().toString(), "--password", "wrong"));
        assertTrue(err().startsWith("qsp pin: " + id.serverKeyStore() + " is neither an X.509 certificate nor a "
                + "PKCS#12 store it can open with that password ("), err());
        assertEquals(2, pin(id.serverKeyStore().toString(), "--password", DevIdentity.PASSWORD, "--alias", "nope"));
        assertEquals("qsp pin: " + id.serverKeyStore() + " has no certificate under alias 'nope' (aliases: server)"
                + " (see --help)\n", err());
        assertEquals(1, pin(tmp.resolve("missing.cer").toString()));
        assertEquals("qsp pin: " + tmp.resolve("missing.cer") + ": no such file\n", err());
        assertEquals(2, pin());
        assertEquals("qsp pin: Missing required parameter: 'CERT|P12' (see --help)\n", err());
        assertEquals("", out());
    }

    @Test
    void aClientPinnedWithThePrintedValueCompletesTheHandshake() throws Exception {
        DevIdentity id = DevPki.get();
        assertEquals(0, pin(id.serverKeyStore().toString(), "--password", DevIdentity.PASSWORD));
        String printed = out().strip();

        id.applyAsDefaults(true);
        ByteArrayOutputStream clientLog = new ByteArrayOutputStream();
        try (ServerSocket ss = QspServerSocketFactory.getDefault().createServerSocket(0, 10,
                InetAddress.getLoopbackAddress());
             ExecutorService t = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> server = t.submit(() -> {
                EchoServer.serve(ss, 1, new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8));
                return null;
            });
            // The client trusts nothing but the pin.
            for (String p : List.of("dev.qsp.keyStore", "dev.qsp.keyStorePassword", "dev.qsp.keyAlias",
                    "dev.qsp.trustStore", "dev.qsp.trustStorePassword")) {
                System.clearProperty(p);
            }
            System.setProperty("dev.qsp.pinnedKey", printed);
            System.setProperty("dev.qsp.expectedIdentity", "localhost");
            try (Socket s = QspSocketFactory.getDefault().createSocket("127.0.0.1", ss.getLocalPort())) {
                EchoClient.talk(s, List.of("pinned"), new PrintStream(clientLog, true, StandardCharsets.UTF_8));
            }
            server.get(60, TimeUnit.SECONDS);
        }
        String log = clientLog.toString(StandardCharsets.UTF_8);
        assertTrue(log.startsWith("client: handshake complete: AES-256-GCM, x-wing, ML-DSA-65, server identity localhost"),
                log);
        assertTrue(log.contains("client: echo: pinned\n"), log);
    }

}
