package dev.qsp.sockets;

import static dev.qsp.sockets.Loopback.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.net.ServerSocketFactory;
import javax.net.SocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code getDefault()} built from real system properties, as a program that only names the factory class gets
 * it; a missing property is reported with its name.
 */
class DefaultFactoryTest {
    @TempDir
    Path dir;
    private Properties saved;

    @BeforeEach
    void save() {
        saved = (Properties) System.getProperties().clone();
    }

    @AfterEach
    void restore() {
        System.setProperties(saved);
    }

    @Test
    void serverAndClientFromSystemPropertiesTalk() throws Exception {
        TestIdentities ids = TestIdentities.get();
        Path server = TestIdentities.writeKeyStore(dir.resolve("server.p12"), "server", ids.server);
        Path trust = ids.writeTrustStore(dir.resolve("trust.p12"));
        System.setProperty("dev.qsp.keyStore", server.toString());
        System.setProperty("dev.qsp.keyStorePassword", new String(TestIdentities.PASSWORD));
        System.setProperty("dev.qsp.trustStore", trust.toString());
        System.setProperty("dev.qsp.trustStorePassword", new String(TestIdentities.PASSWORD));
        System.setProperty("dev.qsp.expectedIdentity", "localhost");

        ServerSocketFactory ssf = QspServerSocketFactory.getDefault();
        SocketFactory sf = QspSocketFactory.getDefault();
        assertSame(sf, QspSocketFactory.getDefault(), "built once for the same properties");
        try (ServerSocket ss = ssf.createServerSocket(0, 10, InetAddress.getLoopbackAddress());
             ExecutorService t = Executors.newVirtualThreadPerTaskExecutor()) {
            assertInstanceOf(QspServerSocket.class, ss);
            Future<Long> echo = t.submit(() -> {
                try (Socket s = ss.accept()) {
                    return Loopback.echo(s);
                }
            });
            try (Socket c = sf.createSocket("127.0.0.1", ss.getLocalPort())) {
                assertInstanceOf(QspSocket.class, c);
                c.getOutputStream().write(new byte[] {1, 2, 3});
                assertEquals(3, c.getInputStream().readNBytes(3).length);
            }
            assertEquals(3, await(echo));
        }
        System.setProperty("dev.qsp.rekey.records", "100");
        assertNotSame(sf, QspSocketFactory.getDefault(), "rebuilt when a property changes");
    }

    @Test
    void missingTrustStoreIsNamed() {
        System.getProperties().stringPropertyNames().stream().filter(n -> n.startsWith("dev.qsp."))
                .forEach(System::clearProperty);
        SocketFactory sf = QspSocketFactory.getDefault();
        QspConfigurationException e = assertThrows(QspConfigurationException.class,
                () -> sf.createSocket("127.0.0.1", 9));
        assertEquals("dev.qsp.trustStore", e.property());
        assertEquals("dev.qsp.trustStore: is not set (nor dev.qsp.pinnedKey): a QSP client must verify the server "
                + "it connects to", e.getMessage());
    }

    @Test
    void missingKeyStorePasswordIsNamed() throws Exception {
        Path server = TestIdentities.writeKeyStore(dir.resolve("server.p12"), "server", TestIdentities.get().server);
        System.setProperty("dev.qsp.keyStore", server.toString());
        System.clearProperty("dev.qsp.keyStorePassword");
        ServerSocketFactory ssf = QspServerSocketFactory.getDefault();
        QspConfigurationException e = assertThrows(QspConfigurationException.class, () -> ssf.createServerSocket(0));
        assertEquals("dev.qsp.keyStorePassword", e.property());
    }
}
