package dev.qsp.sockets;

import static dev.qsp.sockets.Loopback.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qsp.sockets.engine.RekeyKind;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The README's Selector example ({@link NioEchoServer}) against blocking QSP clients, and the
 * {@link QspNioEngine} results a caller steers by (SPEC.md §4.15).
 */
class NioEchoTest {
    @Test
    void selectorEchoServerEchoesTwoClientsWithRekeysAndClosesCleanly() throws Exception {
        TestIdentities ids = TestIdentities.get();
        QspContext server = ids.serverContext().rekeyAfterRecords(16).freshRekeys(true).build();
        QspContext client = ids.clientContext().build();
        try (ExecutorService t = Executors.newVirtualThreadPerTaskExecutor();
             NioEchoServer echo = new NioEchoServer(server, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            t.submit(echo);
            Future<byte[]> a = t.submit(() -> roundTrip(client, echo.port(), 3 << 20, 1));
            Future<byte[]> b = t.submit(() -> roundTrip(client, echo.port(), 1 << 20, 2));
            assertArrayEquals(data(3 << 20, 1), await(a));
            assertArrayEquals(data(1 << 20, 2), await(b));
        }
    }

    /**
     * Sends {@code n} seeded bytes in 64 KiB steps, reading each step's echo before the next (so the connection is
     * open both ways while the server's rekeys run), then half-closes and reads to the server's CLOSE.
     */
    private static byte[] roundTrip(QspContext client, int port, int n, long seed) throws Exception {
        try (Socket s = client.getSocketFactory().createSocket("localhost", port)) {
            byte[] want = data(n, seed);
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            for (int p = 0; p < n; p += 65536) {
                int k = Math.min(65536, n - p);
                out.write(want, p, k);
                got.write(in.readNBytes(k));
            }
            s.shutdownOutput(); // CLOSE_NOTIFY: the server closes its side in turn
            assertEquals(-1, in.read(), "nothing after the echo, then the server's CLOSE");
            assertTrue(((QspSocket) s).getSession().rekeyCount() > 0, "the server rekeyed while echoing");
            return got.toByteArray();
        }
    }

    private static byte[] data(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void enginePairReportsWhatToDoNext() throws Exception {
        TestIdentities ids = TestIdentities.get();
        QspNioEngine c = ids.clientContext().build().createClientEngine("localhost");
        QspNioEngine s = ids.serverContext().build().createServerEngine();
        ByteBuffer wire = ByteBuffer.allocate(64 * 1024);
        ByteBuffer app = ByteBuffer.allocate(64 * 1024);
        ByteBuffer none = ByteBuffer.allocate(0);
        QspNioEngine.Result r = c.beginHandshake();
        assertTrue(r.needsTask(), "the client's key pair is a delegated task");
        assertTrue(drive(c, r).needsWrap(), "then the client's hello waits");
        s.beginHandshake();
        r = c.wrap(none, wire);
        assertEquals(0, r.bytesConsumed());
        assertTrue(r.bytesProduced() > 0);
        assertFalse(r.needsWrap());
        // the client cannot send application data yet: nothing consumed
        assertEquals(0, c.wrap(ByteBuffer.wrap(new byte[10]), ByteBuffer.allocate(0)).bytesConsumed());
        boolean sFinished = false;
        boolean cFinished = false;
        for (int round = 0; round < 10 && !(sFinished && cFinished); round++) {
            wire.flip();
            sFinished |= drive(s, s.unwrap(wire, app)).handshakeFinished();
            wire.clear();
            s.wrap(none, wire);
            wire.flip();
            cFinished |= drive(c, c.unwrap(wire, app)).handshakeFinished();
            wire.clear();
            c.wrap(none, wire);
        }
        assertTrue(sFinished && cFinished, "both report the handshake finished once");
        assertEquals("localhost", c.session().peerIdentity());
        wire.flip();
        assertFalse(s.unwrap(wire, app).handshakeFinished(), "reported once");
        wire.clear();

        // application data: a direct buffer in, a small output buffer: BUFFER_OVERFLOW until drained
        ByteBuffer msg = ByteBuffer.allocateDirect(40_000);
        msg.put(data(40_000, 3)).flip();
        ByteBuffer head = ByteBuffer.allocate(100);
        r = c.wrap(msg, head);
        assertEquals(40_000, r.bytesConsumed());
        assertEquals(100, r.bytesProduced());
        assertEquals(QspNioEngine.Status.BUFFER_OVERFLOW, r.status());
        ByteBuffer frames = ByteBuffer.allocate(1 << 20);
        frames.put(head.flip()); // the stream goes on where the small buffer stopped
        while (c.pendingOutput() > 0) c.wrap(none, frames);
        frames.flip();
        ByteBuffer small = ByteBuffer.allocate(1000);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        r = s.unwrap(frames, small);
        assertEquals(QspNioEngine.Status.BUFFER_OVERFLOW, r.status());
        while (true) {
            got.write(small.array(), 0, small.position());
            small.clear();
            if (r.status() != QspNioEngine.Status.BUFFER_OVERFLOW) break;
            r = s.unwrap(none, small);
        }
        assertArrayEquals(data(40_000, 3), got.toByteArray());

        // half-close both ways: CLOSED once the CLOSE is read
        c.closeOutbound();
        wire.clear();
        r = c.wrap(none, wire);
        assertTrue(r.outboundDone());
        assertEquals(QspNioEngine.Status.CLOSED, r.status());
        assertEquals(QspNioEngine.Status.CLOSED, c.wrap(ByteBuffer.wrap(new byte[5]), wire).status(), "nothing taken after CLOSE");
        wire.flip();
        r = s.unwrap(wire, small);
        assertTrue(r.inboundDone());
        assertEquals(QspNioEngine.Status.CLOSED, r.status());
        s.endOfStream(); // clean: the CLOSE came first
        assertFalse(s.isOutboundDone(), "the server may still send after the client's half-close");
        assertFalse(c.requestRekey(RekeyKind.RATCHET), "a side that cannot send takes no part in rekeys");
    }

    @Test
    void truncatedStreamIsReportedAsTruncated() throws Exception {
        TestIdentities ids = TestIdentities.get();
        QspNioEngine s = ids.serverContext().build().createServerEngine();
        s.beginHandshake();
        s.unwrap(ByteBuffer.wrap(new byte[] {1, 0}), ByteBuffer.allocate(10)); // half a frame header
        QspProtocolException e = assertThrows(QspProtocolException.class, s::endOfStream);
        assertEquals(QspError.TRUNCATED, e.error());
        assertTrue(s.isInboundDone());
    }

    /** Runs the engine's delegated tasks in place and lets it take their results; returns the last result. */
    private static QspNioEngine.Result drive(QspNioEngine e, QspNioEngine.Result r) throws QspProtocolException {
        boolean finished = r.handshakeFinished();
        while (r.needsTask()) {
            Runnable t = e.delegatedTask();
            if (t != null) t.run();
            r = e.tick();
            finished |= r.handshakeFinished();
        }
        return finished == r.handshakeFinished() ? r : new QspNioEngine.Result(r.status(), r.bytesConsumed(),
                r.bytesProduced(), true, r.needsWrap(), r.needsTask(), r.inboundDone(), r.outboundDone());
    }

    /**
     * Admission in the Selector example (SPEC.md §6.2): with a cap of one, a silent peer holds the place, a second
     * connection is reset at accept, and the hello deadline (a timed select, then a tick) ends the silent one and
     * frees the place for a real client.
     */
    @Test
    void theSelectorServerPassesTheGateAndItsHelloDeadlineFreesThePlace() throws Exception {
        TestIdentities ids = TestIdentities.get();
        QspContext server = ids.serverContext().maxHandshakes(1).helloTimeout(java.time.Duration.ofMillis(300))
                .rekeyAfterRecords(16).build();
        QspContext client = ids.clientContext().build();
        try (ExecutorService t = Executors.newVirtualThreadPerTaskExecutor();
             NioEchoServer echo = new NioEchoServer(server, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             Socket silent = new Socket(InetAddress.getLoopbackAddress(), echo.port())) {
            t.submit(echo);
            silent.setSoTimeout(300_000);
            try (Socket over = new Socket(InetAddress.getLoopbackAddress(), echo.port())) {
                over.setSoTimeout(300_000);
                try {
                    assertEquals(-1, over.getInputStream().read());
                } catch (java.net.SocketException reset) {
                    assertTrue(reset.getMessage().contains("reset"), reset.getMessage());
                }
            }
            assertEquals(1, server.admissionGate().rejectedTotal());
            // the silent peer: the CLOSE with HANDSHAKE_TIMEOUT, then the end of the stream
            assertTrue(silent.getInputStream().readAllBytes().length > 0);
            assertEquals(0, server.admissionGate().inFlight());
            assertArrayEquals(data(1 << 20, 3), await(t.submit(() -> roundTrip(client, echo.port(), 1 << 20, 3))));
            assertEquals(0, server.admissionGate().inFlight());
        }
    }

    /** The README quotes NioEchoServer verbatim: the example users copy is the code this test runs. */
    @Test
    void readmeQuotesTheExampleExactly() throws Exception {
        java.nio.file.Path root = java.nio.file.Path.of("").toAbsolutePath().getParent();
        String readme = java.nio.file.Files.readString(root.resolve("README.md"));
        String src = java.nio.file.Files.readString(root.resolve("sockets/src/test/java/dev/qsp/sockets/NioEchoServer.java"));
        String body = src.substring(src.indexOf("public final class NioEchoServer")).strip();
        assertTrue(readme.contains("```java\n" + body + "\n```"), "README.md quotes NioEchoServer.java as it is");
    }

    @Test
    void contextWithoutRoleSettingsIsRefused() throws Exception {
        TestIdentities ids = TestIdentities.get();
        QspContext anonymous = QspContext.builder().trust(ids.trust()).build();
        IllegalStateException e = assertThrows(IllegalStateException.class, anonymous::createServerEngine);
        assertTrue(e.getMessage().contains("identity"), e.getMessage());
        IllegalArgumentException pkix = assertThrows(IllegalArgumentException.class, () -> anonymous.createClientEngine(null));
        assertTrue(pkix.getMessage().contains("expected server identity"), pkix.getMessage());
    }
}
