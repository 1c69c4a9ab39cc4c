package dev.qsp.sockets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qsp.keysources.KeySource;
import dev.qsp.keysources.KeySourceException;
import dev.qsp.keysources.kem.HybridKemSource;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Admission control (SPEC.md §4.13, §6.2): the caps on concurrent unauthenticated handshakes, in total and per
 * source address, with small numbers. Connections are accepted in arrival order, and every wait is for an event
 * (an accept, a handshake's end), never a sleep.
 */
class AdmissionTest {
    private static final InetAddress A = address("127.0.0.1");
    private static final InetAddress B = address("127.0.0.2");
    private static final InetAddress C = address("127.0.0.3");

    private static InetAddress address(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    // ---------------------------------------------------------------- the gate alone

    @Test
    void theGateCapsTotalAndPerAddressAndCountsRefusals() {
        AdmissionGate gate = new AdmissionGate(3, 2);
        AdmissionGate.Ticket a1 = gate.tryAdmit(A);
        AdmissionGate.Ticket a2 = gate.tryAdmit(A);
        assertNotNull(a1);
        assertNotNull(a2);
        assertNull(gate.tryAdmit(A), "per-address cap");
        assertNotNull(gate.tryAdmit(B));
        assertNull(gate.tryAdmit(C), "total cap");
        assertEquals(3, gate.inFlight());
        assertEquals(2, gate.inFlight(A));
        assertEquals(3, gate.admitted());
        assertEquals(2, gate.rejectedTotal());
        assertEquals(1, gate.rejectedPerAddress());
        a1.release();
        a1.release(); // idempotent
        assertEquals(2, gate.inFlight());
        assertEquals(1, gate.inFlight(A));
        assertNotNull(gate.tryAdmit(C));
        assertThrows(IllegalArgumentException.class, () -> new AdmissionGate(0, 1));
    }

    @Test
    void refusalsAreLoggedAtMostOncePerTenSeconds() {
        AtomicLong now = new AtomicLong();
        List<String> lines = new ArrayList<>();
        AdmissionGate gate = new AdmissionGate(1, 1, now::get, new CapturingLogger(lines));
        assertNotNull(gate.tryAdmit(A));
        for (int i = 0; i < 5; i++) assertNull(gate.tryAdmit(B));
        assertEquals(1, lines.size());
        assertTrue(lines.getFirst().startsWith("QSP server refused 1 connection(s) since the last report: 1 handshakes in progress"),
                lines.getFirst());
        now.set(9_999_999_999L);
        assertNull(gate.tryAdmit(B));
        assertEquals(1, lines.size());
        now.set(10_000_000_000L);
        assertNull(gate.tryAdmit(B));
        assertEquals(2, lines.size());
        assertTrue(lines.get(1).startsWith("QSP server refused 6 connection(s) since the last report"), lines.get(1));
        assertTrue(lines.get(1).endsWith("; 7 refused in all"), lines.get(1));
        assertEquals(7, gate.rejectedTotal());
    }

    // ---------------------------------------------------------------- the blocking server socket

    /** The server's KEM, counting the encapsulations it does: the first key it generates for a connection. */
    private static final class CountingKem implements KeySource {
        final KeySource kem = HybridKemSource.xWing();
        final AtomicInteger responses = new AtomicInteger();

        @Override
        public String id() { return kem.id(); }

        @Override
        public Slot slot() { return kem.slot(); }

        @Override
        public Initiation initiate() throws KeySourceException { return kem.initiate(); }

        @Override
        public Response respond(byte[] offer) throws KeySourceException {
            responses.incrementAndGet();
            return kem.respond(offer);
        }
    }

    /** An accept loop like a thread-per-connection server: each connection handshakes and echoes in its own thread. */
    private static final class Server implements AutoCloseable {
        final QspServerSocket socket;
        /** One future per accepted connection, in accept order: null once it echoed, else how it failed. */
        final LinkedBlockingQueue<CompletableFuture<Exception>> accepted = new LinkedBlockingQueue<>();
        private final Thread acceptor;

        Server(QspContext ctx) throws IOException {
            socket = (QspServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 100, A);
            acceptor = Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        QspSocket s = (QspSocket) socket.accept();
                        CompletableFuture<Exception> f = new CompletableFuture<>();
                        accepted.add(f);
                        Thread.ofVirtual().start(() -> {
                            try (s) {
                                s.startHandshake();
                                Loopback.echo(s);
                                f.complete(null);
                            } catch (Exception e) {
                                f.complete(e);
                            }
                        });
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
        }

        CompletableFuture<Exception> next() throws InterruptedException {
            CompletableFuture<Exception> f = accepted.poll(Loopback.TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (f == null) throw new AssertionError("no connection accepted");
            return f;
        }

        int port() { return socket.getLocalPort(); }

        @Override
        public void close() throws Exception {
            socket.close();
            acceptor.join();
        }
    }

    /** A TCP connection that sends nothing, from {@code from}. */
    private static Socket silent(InetAddress from, int port) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(from, 0));
        s.connect(new InetSocketAddress(A, port));
        return s;
    }

    /** The server closed this connection without a byte: end of stream, or a reset. */
    private static void assertClosedByServer(Socket s) throws IOException {
        s.setSoTimeout((int) TimeUnit.SECONDS.toMillis(Loopback.TIMEOUT_SECONDS));
        InputStream in = s.getInputStream();
        try {
            assertEquals(-1, in.read());
        } catch (SocketException reset) {
            assertTrue(reset.getMessage().contains("reset"), reset.getMessage());
        }
    }

    private static void echoOnce(QspContext client, int port) throws IOException {
        try (QspSocket c = (QspSocket) client.getSocketFactory().createSocket("127.0.0.1", port)) {
            byte[] hello = "admitted".getBytes(StandardCharsets.US_ASCII);
            c.getOutputStream().write(hello);
            byte[] back = c.getInputStream().readNBytes(hello.length);
            assertEquals("admitted", new String(back, StandardCharsets.US_ASCII));
        }
    }

    @Test
    void aConnectionOverTheCapIsClosedBeforeAnyKeyIsGenerated() throws Exception {
        TestIdentities ids = TestIdentities.get();
        CountingKem kem = new CountingKem();
        QspContext ctx = ids.serverContext().keySources(kem).maxHandshakes(2).build();
        try (Server server = new Server(ctx); Socket s1 = silent(A, server.port()); Socket s2 = silent(A, server.port())) {
            CompletableFuture<Exception> h1 = server.next();
            server.next();
            assertEquals(2, ctx.admissionGate().inFlight());
            try (Socket over = silent(A, server.port())) {
                assertClosedByServer(over);
            }
            assertEquals(1, ctx.admissionGate().rejectedTotal());
            assertEquals(0, kem.responses.get(), "no key generated for anyone yet");
            s1.close(); // its handshake fails (truncated) and gives its place back
            assertInstanceOf(QspHandshakeException.class, h1.get(Loopback.TIMEOUT_SECONDS, TimeUnit.SECONDS));
            assertEquals(1, ctx.admissionGate().inFlight());
            echoOnce(ids.clientContext().build(), server.port());
            assertEquals(1, kem.responses.get());
            assertNull(server.next().get(Loopback.TIMEOUT_SECONDS, TimeUnit.SECONDS));
            assertEquals(1, ctx.admissionGate().inFlight(), "the served client's ticket was released");
        }
    }

    @Test
    void aLegitimateClientIsServedWhileTheCapIsFullOfSilentPeers() throws Exception {
        TestIdentities ids = TestIdentities.get();
        QspContext ctx = ids.serverContext().maxHandshakes(100).maxHandshakesPerAddress(3).build();
        List<Socket> peers = new ArrayList<>();
        try (Server server = new Server(ctx)) {
            for (int i = 0; i < 3; i++) {
                peers.add(silent(B, server.port()));
                server.next();
            }
            try (Socket over = silent(B, server.port())) {
                assertClosedByServer(over);
            }
            assertEquals(1, ctx.admissionGate().rejectedPerAddress());
            assertEquals(3, ctx.admissionGate().inFlight(B));
            echoOnce(ids.clientContext().build(), server.port()); // from 127.0.0.1
            assertNull(server.next().get(Loopback.TIMEOUT_SECONDS, TimeUnit.SECONDS));
            assertEquals(3, ctx.admissionGate().inFlight());
        } finally {
            for (Socket p : peers) p.close();
        }
    }

    @Test
    void theHelloTimeoutEndsASilentHandshakeAndFreesItsPlace() throws Exception {
        TestIdentities ids = TestIdentities.get();
        QspContext ctx = ids.serverContext().maxHandshakes(1).helloTimeout(Duration.ofMillis(300)).build();
        try (Server server = new Server(ctx); Socket peer = silent(A, server.port())) {
            Exception e = server.next().get(Loopback.TIMEOUT_SECONDS, TimeUnit.SECONDS);
            QspHandshakeException h = assertInstanceOf(QspHandshakeException.class, e);
            assertEquals(QspError.HANDSHAKE_TIMEOUT, h.error());
            assertEquals("no complete ClientHello within 300 ms", h.detail());
            assertEquals(0, ctx.admissionGate().inFlight());
            echoOnce(ids.clientContext().build(), server.port());
        }
    }

    /** A logger that keeps the formatted messages. */
    private static final class CapturingLogger implements System.Logger {
        private final List<String> lines;

        CapturingLogger(List<String> lines) { this.lines = lines; }

        @Override
        public String getName() { return "capture"; }

        @Override
        public boolean isLoggable(Level level) { return true; }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) { lines.add(msg); }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) { lines.add(format); }
    }
}
