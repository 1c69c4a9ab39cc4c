package dev.qsp.tunnel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qsp.keysources.KeySource;
import dev.qsp.keysources.KeySourceException;
import dev.qsp.keysources.kem.HybridKemSource;
import dev.qsp.sockets.AdmissionGate;
import dev.qsp.sockets.QspContext;
import dev.qsp.sockets.QspSocket;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Admission control at the server tunnel (SPEC.md §4.13, §6.8): a connection over the context's caps is reset
 * before a relay, an engine or a key exists, and counted; the hello deadline frees a silent peer's place. The
 * tunnel runs on one event loop, so connections are admitted in arrival order; waits are for events only.
 */
class TunnelAdmissionTest {
    private static final InetAddress A = InetAddress.getLoopbackAddress();

    /** The server's KEM, counting its encapsulations: the first key the server generates for a connection. */
    static final class CountingKem implements KeySource {
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

    /** A TCP echo service serving connections one after another, each until its FIN. */
    private static void echoService(ServerSocket ss, ExecutorService t) {
        t.submit(() -> {
            while (true) {
                try (Socket s = ss.accept()) {
                    InputStream in = s.getInputStream();
                    byte[] buf = new byte[4096];
                    for (int k; (k = in.read(buf)) >= 0; ) s.getOutputStream().write(buf, 0, k);
                } catch (IOException closed) {
                    if (ss.isClosed()) return null;
                }
            }
        });
    }

    private static Socket silent(int port) throws IOException {
        return new Socket(A, port);
    }

    private static void echoOnce(QspContext client, int port) throws IOException {
        try (QspSocket c = (QspSocket) client.getSocketFactory().createSocket("127.0.0.1", port)) {
            c.setSoTimeout((int) TimeUnit.SECONDS.toMillis(LineLog.TIMEOUT_SECONDS));
            byte[] hello = "admitted".getBytes(StandardCharsets.US_ASCII);
            c.getOutputStream().write(hello);
            byte[] back = c.getInputStream().readNBytes(hello.length);
            assertEquals("admitted", new String(back, StandardCharsets.US_ASCII));
        }
    }

    private record Running(Tunnel tunnel, LineLog lines, AdmissionGate gate) implements AutoCloseable {
        int port() { return tunnel.address(0).getPort(); }

        @Override
        public void close() throws Exception { tunnel.close(); }
    }

    private static Running serverTunnel(QspContext ctx, int servicePort) throws Exception {
        LineLog lines = new LineLog();
        Service s = new Service("svc", Service.Mode.SERVER, new InetSocketAddress(A, 0),
                new InetSocketAddress(A, servicePort), ctx, null);
        return new Running(Tunnel.start(List.of(s), lines.stream(), 1), lines, ctx.admissionGate());
    }

    @Test
    void aConnectionOverTheCapIsResetBeforeAnyKeyIsGeneratedAndALegitimateClientIsServedOnceAPlaceIsFree() throws Exception {
        TestIdentities ids = TestIdentities.get();
        CountingKem kem = new CountingKem();
        QspContext ctx = ids.serverContext().keySources(kem).maxHandshakes(2).helloTimeout(Duration.ofMinutes(5)).build();
        ExecutorService t = Executors.newVirtualThreadPerTaskExecutor();
        try (ServerSocket service = new ServerSocket(0, 50, A); Running tun = serverTunnel(ctx, service.getLocalPort());
             Socket s1 = silent(tun.port()); Socket s2 = silent(tun.port())) {
            echoService(service, t);
            QspContext client = ids.clientContext().build();
            assertThrows(IOException.class, () -> echoOnce(client, tun.port())); // third in line: over the cap
            assertEquals(1, tun.gate().rejectedTotal());
            assertEquals(2, tun.gate().inFlight());
            assertEquals(0, kem.responses.get(), "no key generated for anyone");
            s1.close(); // the tunnel's handshake for it fails (truncated) and gives its place back
            String line = tun.lines().await("(QSP) -> ");
            assertTrue(line.contains("TRUNCATED"), line);
            assertEquals(1, tun.gate().inFlight());
            echoOnce(client, tun.port());
            assertEquals(1, kem.responses.get());
            String served = tun.lines().await("(QSP) -> ");
            assertTrue(served.contains("peer anonymous"), served);
            assertEquals(1, tun.gate().inFlight(), "the served client's place was given back at its handshake");
            assertFalse(tun.lines().all().contains("refused"), "a refusal writes no connection line");
        } finally {
            t.shutdownNow();
        }
    }

    @Test
    void theHelloDeadlineEndsASilentPeerAndFreesItsPlace() throws Exception {
        TestIdentities ids = TestIdentities.get();
        QspContext ctx = ids.serverContext().maxHandshakes(1).helloTimeout(Duration.ofMillis(300)).build();
        ExecutorService t = Executors.newVirtualThreadPerTaskExecutor();
        try (ServerSocket service = new ServerSocket(0, 50, A); Running tun = serverTunnel(ctx, service.getLocalPort());
             Socket peer = silent(tun.port())) {
            echoService(service, t);
            String line = tun.lines().await("(QSP) -> ");
            assertTrue(line.contains("HANDSHAKE_TIMEOUT"), line);
            assertEquals(0, tun.gate().inFlight());
            peer.setSoTimeout((int) TimeUnit.SECONDS.toMillis(LineLog.TIMEOUT_SECONDS));
            assertTrue(peer.getInputStream().readAllBytes().length > 0, "the CLOSE with the reason, then the end");
            echoOnce(ids.clientContext().build(), tun.port());
            assertEquals(0, tun.gate().rejectedTotal());
        } finally {
            t.shutdownNow();
        }
    }
}
