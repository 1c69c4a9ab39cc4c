package dev.qsp.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qsp.sockets.QspContext;
import dev.qsp.sockets.QspSession;
import dev.qsp.sockets.QspSocket;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's identity recipe (issue 12 item 7): docs/identity-recipe.sh, which the README shows verbatim, run
 * as it is in a temporary directory with this JVM's keytool; the stores it makes then carry a mutually
 * authenticated QSP handshake and an echo.
 */
class IdentityRecipeTest {
    static final Path RECIPE = Path.of("..", "docs", "identity-recipe.sh");
    static final String PASSWORD = "recipe-test-password";

    @Test
    void theReadmeShowsTheRecipeVerbatim() throws Exception {
        String recipe = Files.readString(RECIPE);
        String readme = Files.readString(Path.of("..", "README.md"));
        String body = recipe.substring(recipe.indexOf('\n') + 1); // all but the #! line
        assertTrue(readme.contains(body), "README.md does not contain docs/identity-recipe.sh verbatim");
    }

    @Test
    void theRecipesStoresCompleteAMutuallyAuthenticatedHandshake(@TempDir Path dir) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("sh", RECIPE.toAbsolutePath().toString()).directory(dir.toFile())
                .redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("STOREPASS", PASSWORD);
        env.put("SERVER_NAME", "localhost");
        env.put("CLIENT_NAME", "recipe-client");
        env.put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        p.getOutputStream().close();
        String log;
        try (InputStream in = p.getInputStream()) {
            log = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the recipe did not finish");
        assertEquals(0, p.exitValue(), log);
        for (String f : List.of("ca.p12", "ca.cer", "server.p12", "client.p12", "truststore.p12")) {
            assertTrue(Files.isRegularFile(dir.resolve(f)), f + " missing; recipe output:\n" + log);
        }

        KeyStore trust = load(dir.resolve("truststore.p12"));
        QspContext server = QspContext.builder().identity(load(dir.resolve("server.p12")), PASSWORD.toCharArray(), "server")
                .trustStore(trust).clientAuth(QspContext.ClientAuth.REQUIRED).build();
        QspContext client = QspContext.builder().identity(load(dir.resolve("client.p12")), PASSWORD.toCharArray(), "client")
                .trustStore(trust).expectedPeerIdentity("localhost").build();
        try (ServerSocket ss = server.getServerSocketFactory().createServerSocket(0, 10, InetAddress.getLoopbackAddress());
             ExecutorService t = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<QspSession> accepted = t.submit(() -> {
                try (QspSocket s = (QspSocket) ss.accept()) {
                    s.startHandshake();
                    InputStream in = s.getInputStream();
                    s.getOutputStream().write(in.readNBytes(5));
                    return s.getSession();
                }
            });
            try (QspSocket c = (QspSocket) client.getSocketFactory().createSocket("127.0.0.1", ss.getLocalPort())) {
                c.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
                assertEquals("hello", new String(c.getInputStream().readNBytes(5), StandardCharsets.US_ASCII));
                QspSession session = c.getSession();
                assertEquals("localhost", session.peerIdentity());
                assertEquals("CN=localhost", session.peerCertificate().orElseThrow().getSubjectX500Principal().getName());
                assertEquals("CN=QSP CA", session.peerCertificate().orElseThrow().getIssuerX500Principal().getName());
                assertEquals("ML-DSA-65", session.signatureAlgorithm());
            }
            QspSession seen = accepted.get(60, TimeUnit.SECONDS);
            assertEquals("recipe-client", seen.peerIdentity());
            assertEquals(2, seen.peerCertificates().size()); // leaf and CA: the chain keytool installed
        }
    }

    private static KeyStore load(Path p) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        return ks;
    }
}
