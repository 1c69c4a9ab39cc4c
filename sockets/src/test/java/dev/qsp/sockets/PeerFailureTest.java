package dev.qsp.sockets;

import static dev.qsp.sockets.Loopback.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Peers that misbehave get a clear IOException subtype on the other side (SPEC.md §6.3): garbage, a stalled
 * handshake, a connection dropped without CLOSE in the middle of a transfer.
 */
class PeerFailureTest {
    private static TestIdentities ids;

    @BeforeAll
    static void identities() throws Exception {
        ids = TestIdentities.get();
    }

    @Test
    void serverRejectsAPeerThatSpeaksGarbage() throws Exception {
        try (Loopback lo = Loopback.qsp(ids.serverContext().build())) {
            Future<QspProtocolException> server = lo.acceptOne(s -> assertThrows(QspProtocolException.class,
                    () -> s.getInputStream().read()));
            try (Socket plain = new Socket("127.0.0.1", lo.port())) {
                plain.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                QspProtocolException e = await(server);
                assertInstanceOf(QspHandshakeException.class, e, "failed before a session existed");
                assertEquals(QspError.UNKNOWN_FRAME_TYPE, e.error(), e.getMessage());
                // the server told the peer why (an unprotected CLOSE) and hung up
                byte[] reply = plain.getInputStream().readAllBytes();
                assertTrue(reply.length > 0 && reply[0] == 4, "a CLOSE frame came back");
            }
        }
    }

    @Test
    void clientRejectsAServerThatSpeaksGarbage() throws Exception {
        try (Loopback lo = Loopback.plain()) {
            Future<Void> server = lo.acceptOne(s -> {
                s.getOutputStream().write("220 smtp.example ESMTP ready\r\n".getBytes(StandardCharsets.US_ASCII));
                s.getInputStream().readAllBytes();
                return null;
            });
            try (QspSocket c = lo.connect(ids.clientContext().build())) {
                QspHandshakeException e = assertThrows(QspHandshakeException.class, c::startHandshake);
                assertEquals(QspError.UNKNOWN_FRAME_TYPE, e.error(), e.getMessage());
            }
            await(server);
        }
    }

    @Test
    void stalledHandshakeFailsAtTheHandshakeTimeout() throws Exception {
        SilentClient c = silentClientAgainst(ids.serverContext().handshakeTimeout(Duration.ofMillis(300)).build());
        assertEquals(QspError.HANDSHAKE_TIMEOUT, c.serverError().error(), c.serverError().getMessage());
        assertCloseWithReason(QspError.HANDSHAKE_TIMEOUT, c.received());
    }

    /**
     * A server thread waiting in its untimed read for a ClientHello (SPEC.md §6.2: no socket timeout, so the TCP
     * socket stays in blocking mode) is woken at the hello deadline, fails with HANDSHAKE_TIMEOUT and tells the
     * peer so: the silent client reads exactly the unprotected CLOSE (header, reason 0x0007), then the end of stream.
     */
    @Test
    void aSilentClientIsToldOfTheHelloDeadlineByCloseThenTheEndOfStream() throws Exception {
        SilentClient c = silentClientAgainst(ids.serverContext().helloTimeout(Duration.ofMillis(200)).build());
        assertEquals(QspError.HANDSHAKE_TIMEOUT, c.serverError().error(), c.serverError().getMessage());
        assertTrue(c.serverError().getMessage().contains("ClientHello"), c.serverError().getMessage());
        assertCloseWithReason(QspError.HANDSHAKE_TIMEOUT, c.received());
    }

    /** What a TCP client that connects and sends nothing sees, and how the server's handshake ended. */
    private record SilentClient(QspHandshakeException serverError, byte[] received) {}

    private static SilentClient silentClientAgainst(QspContext server) throws Exception {
        try (Loopback lo = Loopback.qsp(server)) {
            Future<QspHandshakeException> accepted = lo.acceptOne(s -> assertThrows(QspHandshakeException.class,
                    ((QspSocket) s)::startHandshake));
            try (Socket silent = new Socket("127.0.0.1", lo.port())) {
                QspHandshakeException e = await(accepted);
                return new SilentClient(e, silent.getInputStream().readAllBytes());
            }
        }
    }

    /** {@code got} is exactly one unprotected CLOSE frame (SPEC.md §4.3, §4.11) with {@code reason}. */
    private static void assertCloseWithReason(QspError reason, byte[] got) {
        assertEquals(dev.qsp.sockets.engine.Frames.HEADER_LENGTH + 2, got.length, "one unprotected CLOSE");
        assertEquals(4, got[0], "frame type CLOSE");
        assertEquals(reason.wireValue(), ((got[got.length - 2] & 0xFF) << 8) | (got[got.length - 1] & 0xFF), "CLOSE reason");
    }

    @Test
    void clientGivesUpOnASilentServer() throws Exception {
        try (Loopback lo = Loopback.plain()) {
            CountDownLatch done = new CountDownLatch(1);
            Future<Void> server = lo.acceptOne(s -> {
                done.await(); // accepts and never answers
                return null;
            });
            QspContext client = ids.clientContext().handshakeTimeout(Duration.ofMillis(300)).build();
            try (QspSocket c = lo.connect(client)) {
                QspHandshakeException e = assertThrows(QspHandshakeException.class, () -> c.getOutputStream().write(1));
                assertEquals(QspError.HANDSHAKE_TIMEOUT, e.error(), e.getMessage());
            } finally {
                done.countDown();
            }
            await(server);
        }
    }

    @Test
    void peerKilledMidTransferIsATruncationNotAnEnd() throws Exception {
        QspContext serverCtx = ids.serverContext().build();
        byte[] sent = QspSocketTest.pattern(0, 1024 * 1024);
        try (Loopback lo = Loopback.plain()) {
            // the server side is a QSP socket over a raw socket the test can cut without a CLOSE
            Future<Void> server = lo.acceptOne(raw -> {
                QspSocket q = QspSocket.accepted(serverCtx, raw);
                q.getOutputStream().write(sent);
                raw.close(); // killed: no CLOSE
                return null;
            });
            try (QspSocket c = lo.connect(ids.clientContext().build())) {
                InputStream in = c.getInputStream();
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                IOException e = readUntilFailure(in, got);
                QspProtocolException p = assertInstanceOf(QspProtocolException.class, e);
                assertEquals(QspError.TRUNCATED, p.error(), p.getMessage());
                assertArrayEquals(sent, got.toByteArray(), "every authenticated byte, and nothing else");
                assertThrows(QspProtocolException.class, in::read, "the failure is reported again");
            }
            await(server);
        }
    }

    @Test
    void writerSeesAnErrorWhenThePeerIsKilled() throws Exception {
        QspContext serverCtx = ids.serverContext().build();
        try (Loopback lo = Loopback.plain()) {
            CountDownLatch started = new CountDownLatch(1);
            Future<Void> server = lo.acceptOne(raw -> {
                QspSocket q = QspSocket.accepted(serverCtx, raw);
                q.getInputStream().readNBytes(1000);
                started.countDown();
                raw.setSoLinger(true, 0); // a reset, as when a process dies with unread data
                raw.close();
                return null;
            });
            try (QspSocket c = lo.connect(ids.clientContext().build())) {
                byte[] chunk = new byte[64 * 1024];
                c.getOutputStream().write(chunk);
                started.await();
                await(server);
                IOException e = assertThrows(IOException.class, () -> {
                    while (true) c.getOutputStream().write(chunk);
                });
                assertInstanceOf(java.net.SocketException.class, e, e.toString());
            }
        }
    }

    @Test
    void dataAuthenticatedBeforeAFaultIsReadBeforeTheError() throws Exception {
        QspContext serverCtx = ids.serverContext().build();
        byte[] sent = QspSocketTest.pattern(7, 40_000);
        try (Loopback lo = Loopback.plain()) {
            CountDownLatch bothSent = new CountDownLatch(1);
            Future<Void> server = lo.acceptOne(raw -> {
                QspSocket q = QspSocket.accepted(serverCtx, raw);
                q.getOutputStream().write(sent); // three authenticated frames
                // then a frame header of unknown type straight onto the wire, behind them
                raw.getOutputStream().write(new byte[] {9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4});
                bothSent.countDown();
                raw.getInputStream().readAllBytes(); // until the client hangs up
                return null;
            });
            try (QspSocket c = lo.connect(ids.clientContext().build())) {
                c.startHandshake();
                bothSent.await(); // the data and the fault wait together in the client's receive buffer
                InputStream in = c.getInputStream();
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                IOException e = readUntilFailure(in, got);
                assertArrayEquals(sent, got.toByteArray(), "every byte authenticated before the fault");
                QspProtocolException p = assertInstanceOf(QspProtocolException.class, e);
                assertEquals(QspError.UNKNOWN_FRAME_TYPE, p.error(), p.getMessage());
                assertEquals(0, in.available());
                assertThrows(QspProtocolException.class, in::read, "the failure is reported again");
            }
            await(server);
        }
    }

    /** Reads everything into {@code got} until a read throws, and returns what it threw (never a clean end). */
    private static IOException readUntilFailure(InputStream in, ByteArrayOutputStream got) {
        byte[] buf = new byte[8192];
        return assertThrows(IOException.class, () -> {
            int n;
            while ((n = in.read(buf)) >= 0) got.write(buf, 0, n);
        });
    }
}
