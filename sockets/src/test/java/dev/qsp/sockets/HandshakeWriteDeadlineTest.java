package dev.qsp.sockets;

import static dev.qsp.sockets.Loopback.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.qsp.sockets.engine.QspEngine;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The handshake deadline bounds writes too (SPEC.md §6.2): a client that sends its ClientHello and then never
 * reads leaves the server's flight (certificates, signatures: far more than the tiny TCP buffers hold) blocked
 * in a write, which no read timeout ends. The deadline fails the handshake with HANDSHAKE_TIMEOUT and closes the
 * socket, which ends the write. (The preemptive timeout only guards against the hang.)
 */
class HandshakeWriteDeadlineTest {
    private static final int TINY_BUFFER = 1024;

    @Test
    void serverFlightBlockedOnANonReadingClientEndsAtTheDeadline() throws Exception {
        TestIdentities ids = TestIdentities.get();
        assertTimeoutPreemptively(Duration.ofSeconds(Loopback.TIMEOUT_SECONDS), () -> nonReadingClient(ids));
    }

    private static void nonReadingClient(TestIdentities ids) throws Exception {
        QspContext server = ids.serverContext().handshakeTimeout(Duration.ofMillis(500)).build();
        try (Loopback lo = Loopback.qsp(server)) {
            Future<QspHandshakeException> accepted = lo.acceptOne(s -> {
                s.setSendBufferSize(TINY_BUFFER);
                return assertThrows(QspHandshakeException.class, ((QspSocket) s)::startHandshake);
            });
            try (Socket client = new Socket()) {
                client.setReceiveBufferSize(TINY_BUFFER);
                client.connect(new InetSocketAddress("127.0.0.1", lo.port()));
                Core engine = EngineCore.create(ids.clientContext().build(), true, TestIdentities.SERVER_NAME);
                engine.start(System.nanoTime());
                engine.delegatedTask().run(); // the ClientHello's key sources (SPEC.md §4.15)
                engine.tick(System.nanoTime());
                QspEngine.OutputChunk hello = engine.takeOutput(null);
                client.getOutputStream().write(hello.array(), hello.offset(), hello.length()); // then never reads
                QspHandshakeException e = await(accepted);
                assertEquals(QspError.HANDSHAKE_TIMEOUT, e.error(), e.getMessage());
                engine.destroy();
            }
        }
    }
}
