package dev.qsp.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qsp.sockets.QspServerSocketFactory;
import dev.qsp.sockets.QspSocketFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * EchoServer and EchoClient as the demo runs them, in one JVM over loopback: both get QSP only from the default
 * factories, configured by the dev.qsp.* system properties that point at the development identity.
 */
class EchoSamplesTest {
    private final Properties saved = (Properties) System.getProperties().clone();

    @AfterEach
    void restore() {
        System.setProperties(saved);
    }

    @Test
    void clientAndServerPrintHandshakeEchoesRekeysAndClose() throws Exception {
        DevIdentity id = DevPki.get();
        id.applyAsDefaults(true);
        System.setProperty("dev.qsp.expectedIdentity", "localhost");
        System.setProperty("dev.qsp.rekey.records", "4");

        ByteArrayOutputStream serverLog = new ByteArrayOutputStream();
        ByteArrayOutputStream clientLog = new ByteArrayOutputStream();
        List<String> messages = List.of("one", "two", "three", "four", "five", "six", "seven", "eight");
        try (ServerSocket ss = QspServerSocketFactory.getDefault().createServerSocket(0, 10,
                InetAddress.getLoopbackAddress());
             ExecutorService t = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> server = t.submit(() -> {
                EchoServer.serve(ss, 1, new PrintStream(serverLog, true, StandardCharsets.UTF_8));
                return null;
            });
            try (Socket s = QspSocketFactory.getDefault().createSocket("127.0.0.1", ss.getLocalPort())) {
                EchoClient.talk(s, messages, new PrintStream(clientLog, true, StandardCharsets.UTF_8));
            }
            server.get(60, TimeUnit.SECONDS);
        }
        String client = clientLog.toString(StandardCharsets.UTF_8);
        String server = serverLog.toString(StandardCharsets.UTF_8);
        assertTrue(client.startsWith("client: handshake complete: AES-256-GCM, x-wing, ML-DSA-65, server identity "
                + "localhost (CN=localhost, issued by CN=QSP development CA)"), client);
        for (String m : messages) assertTrue(client.contains("client: echo: " + m + "\n"), client);
        assertTrue(client.contains("client: rekey complete: epoch 1 (rekey #1), ratchet (no key source called)\n"), client);
        assertTrue(client.contains("client: rekey complete: epoch 2 (rekey #2), ratchet (no key source called)\n"), client);
        assertTrue(client.endsWith("client: server closed the connection normally (authenticated CLOSE)\n"), client);

        assertTrue(server.startsWith("server: listening on 127.0.0.1:"), server);
        assertTrue(server.contains("server: [client 1] handshake complete: AES-256-GCM, x-wing, ML-DSA-65, "
                + "client identity anonymous"), server);
        for (String m : messages) assertTrue(server.contains("server: [client 1] echoed: " + m + "\n"), server);
        assertTrue(server.contains("server: [client 1] rekey complete: epoch 1 (rekey #1), ratchet (no key source called)\n"), server);
        assertTrue(server.contains("server: [client 1] closed normally after 40 bytes (authenticated CLOSE)"), server);
        assertEquals(1, server.split("handshake complete", -1).length - 1);
    }
}
