package dev.qsp.sockets;

import static dev.qsp.sockets.Loopback.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Many clients at once against one server that serves each in a virtual thread, with one client that speaks
 * garbage: the server records one failure for it and keeps serving everyone else.
 */
class ManyClientsTest {
    private static final int CLIENTS = 24;
    private static TestIdentities ids;

    @BeforeAll
    static void identities() throws Exception {
        ids = TestIdentities.get();
    }

    @Test
    void serverServesManyVirtualThreadClientsAndSurvivesABadOne() throws Exception {
        QspContext serverCtx = ids.serverContext().rekeyAfterRecords(8).build();
        QspContext clientCtx = ids.clientContext().build();
        Map<Integer, Exception> serverFailures = new ConcurrentHashMap<>();
        try (Loopback lo = Loopback.qsp(serverCtx);
             ExecutorService perClient = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Void> acceptLoop = lo.run(() -> {
                for (int i = 0; i < CLIENTS + 1; i++) {
                    Socket s = lo.server.accept();
                    int id = i;
                    perClient.submit(() -> {
                        try (s) {
                            Loopback.echo(s);
                        } catch (IOException e) {
                            serverFailures.put(id, e);
                        }
                        return null;
                    });
                }
                return null;
            });
            List<Future<byte[]>> clients = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                byte[] msg = QspSocketTest.pattern(i * 1_000_003L, 64 * 1024 + i);
                clients.add(perClient.submit(() -> {
                    try (QspSocket c = lo.connect(clientCtx)) {
                        c.getOutputStream().write(msg);
                        byte[] back = c.getInputStream().readNBytes(msg.length);
                        c.shutdownOutput();
                        assertEquals(-1, c.getInputStream().read());
                        return back;
                    }
                }));
            }
            try (Socket garbage = new Socket("127.0.0.1", lo.port())) {
                garbage.getOutputStream().write("\u0000\u0000garbage that is not a frame".getBytes(StandardCharsets.US_ASCII));
                garbage.getInputStream().readAllBytes(); // the server hangs up
            }
            for (int i = 0; i < CLIENTS; i++) {
                assertArrayEquals(QspSocketTest.pattern(i * 1_000_003L, 64 * 1024 + i), await(clients.get(i)),
                        "client " + i);
            }
            await(acceptLoop);
        }
        assertEquals(1, serverFailures.size(), "only the garbage client failed: " + serverFailures);
        assertInstanceOf(QspProtocolException.class, serverFailures.values().iterator().next());
    }
}
