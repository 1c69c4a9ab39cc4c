package dev.qsp.sockets;

import static dev.qsp.sockets.Loopback.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The behaviour java.net.Socket and SSLSocket users expect, over loopback (SPEC.md §6). */
class QspSocketTest {
    private static TestIdentities ids;

    @BeforeAll
    static void identities() throws Exception {
        ids = TestIdentities.get();
    }

    @Test
    void handshakeOnFirstWriteShowsSessionAndCallsListenersOnce() throws Exception {
        List<QspSession> serverSeen = new CopyOnWriteArrayList<>();
        try (Loopback lo = Loopback.qsp(ids.serverContext().build())) {
            Future<String> server = lo.acceptOne(s -> {
                QspSocket q = (QspSocket) s;
                q.addHandshakeListener((sock, session) -> serverSeen.add(session));
                byte[] b = q.getInputStream().readNBytes(5);
                q.getOutputStream().write(b);
                return new String(b, StandardCharsets.US_ASCII);
            });
            List<QspSession> clientSeen = new CopyOnWriteArrayList<>();
            try (QspSocket c = lo.connect(ids.clientContext().build())) {
                c.addHandshakeListener((sock, session) -> clientSeen.add(session));
                c.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII)); // runs the handshake
                assertEquals("hello", new String(c.getInputStream().readNBytes(5), StandardCharsets.US_ASCII));
                QspSession s = c.getSession();
                assertEquals("AES-256-GCM", s.aead());
                assertEquals("ML-DSA-65", s.signatureAlgorithm());
                assertEquals("localhost", s.peerIdentity());
                assertEquals(ids.server.leaf(), s.peerCertificate().orElseThrow());
                assertEquals(0, s.epoch());
                assertEquals(0, s.rekeyCount());
                assertTrue(s.keySources().contains(s.kem()), s.toString());
                assertEquals(1, clientSeen.size());
                c.startHandshake(); // already done: no second handshake, no second event
                assertEquals(1, clientSeen.size());
            }
            assertEquals("hello", await(server));
        }
        assertEquals(1, serverSeen.size());
        assertNull(serverSeen.getFirst().peerIdentity(), "an anonymous client");
    }

    @Test
    void partialReadsAndAvailableSeeOnlyAuthenticatedBytes() throws Exception {
        byte[] data = new byte[100];
        for (int i = 0; i < data.length; i++) data[i] = (byte) i;
        try (Loopback lo = Loopback.qsp(ids.serverContext().build())) {
            CountDownLatch read = new CountDownLatch(1);
            Future<Void> server = lo.acceptOne(s -> {
                s.getOutputStream().write(data); // one frame
                read.await();
                return null;
            });
            try (QspSocket c = lo.connect(ids.clientContext().build())) {
                InputStream in = c.getInputStream();
                assertEquals(0, in.available(), "nothing before the handshake");
                byte[] first = new byte[10];
                assertEquals(10, in.read(first)); // the frame is authenticated as a whole before any byte is given out
                assertEquals(90, in.available());
                byte[] rest = new byte[200];
                assertEquals(90, in.read(rest, 5, 195));
                assertEquals(0, in.available());
                byte[] all = new byte[100];
                System.arraycopy(first, 0, all, 0, 10);
                System.arraycopy(rest, 5, all, 10, 90);
                assertArrayEquals(data, all);
                assertEquals(0, in.read(new byte[1], 0, 0));
                read.countDown();
            }
            await(server);
        }
    }

    @Test
    void readReturnsMinusOneAfterTheAuthenticatedClose() throws Exception {
        try (Loopback lo = Loopback.qsp(ids.serverContext().build())) {
            Future<Void> server = lo.acceptOne(s -> {
                s.getOutputStream().write('x');
                s.close(); // sends CLOSE
                return null;
            });
            try (QspSocket c = lo.connect(ids.clientContext().build())) {
                InputStream in = c.getInputStream();
                assertEquals('x', in.read());
                assertEquals(-1, in.read());
                assertEquals(-1, in.read(new byte[8]), "stays at end of stream");
            }
            await(server);
        }
    }

    @Test
    void soTimeoutThrowsAndTheSessionSurvives() throws Exception {
        try (Loopback lo = Loopback.qsp(ids.serverContext().build())) {
            CountDownLatch timedOut = new CountDownLatch(1);
            Future<Void> server = lo.acceptOne(s -> {
                s.getOutputStream().write('a');
                timedOut.await();
                s.getOutputStream().write('b');
                assertEquals(-1, s.getInputStream().read());
                return null;
            });
            try (QspSocket c = lo.connect(ids.clientContext().build())) {
                c.setSoTimeout(150);
                assertEquals(150, c.getSoTimeout());
                InputStream in = c.getInputStream();
                assertEquals('a', in.read());
                assertThrows(SocketTimeoutException.class, in::read);
                timedOut.countDown();
                assertEquals('b', in.read(), "the session survived the timeout");
            }
            await(server);
        }
    }

    @Test
    void shutdownOutputIsAHalfClose() throws Exception {
        try (Loopback lo = Loopback.qsp(ids.serverContext().build())) {
            Future<String> server = lo.acceptOne(s -> {
                String got = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII); // to the CLOSE
                s.getOutputStream().write(("got " + got).getBytes(StandardCharsets.US_ASCII));
                return got;
            });
            try (QspSocket c = lo.connect(ids.clientContext().build())) {
                c.getOutputStream().write("question".getBytes(StandardCharsets.US_ASCII));
                c.shutdownOutput();
                assertTrue(c.isOutputShutdown());
                assertThrows(java.net.SocketException.class, () -> c.getOutputStream().write(1));
                assertEquals("got question", new String(c.getInputStream().readAllBytes(), StandardCharsets.US_ASCII));
            }
            assertEquals("question", await(server));
        }
    }

    @Test
    void oneThreadReadsWhileAnotherWrites() throws Exception {
        int total = 8 * 1024 * 1024;
        try (Loopback lo = Loopback.qsp(ids.serverContext().rekeyAfterRecords(64).build())) {
            Future<Long> server = lo.acceptOne(Loopback::echo);
            try (QspSocket c = lo.connect(ids.clientContext().build())) {
                c.startHandshake();
                Future<byte[]> reader = lo.run(() -> c.getInputStream().readNBytes(total));
                Future<Void> writer = lo.run(() -> {
                    OutputStream out = c.getOutputStream();
                    for (int off = 0; off < total; off += 3000) {
                        out.write(pattern(off, Math.min(3000, total - off)));
                    }
                    return null;
                });
                await(writer);
                byte[] echoed = await(reader);
                assertArrayEquals(pattern(0, total), echoed);
                assertTrue(c.getSession().rekeyCount() > 0, "rekeyed during the transfer: " + c.getSession());
            }
            assertEquals(total, await(server));
        }
    }

    @Test
    void unconnectedSocketThenConnectAsJndiDoes() throws Exception {
        try (Loopback lo = Loopback.qsp(ids.serverContext().build())) {
            Future<Long> server = lo.acceptOne(Loopback::echo);
            try (Socket c = ids.clientContext().build().getSocketFactory().createSocket()) {
                assertFalse(c.isConnected());
                c.connect(new InetSocketAddress("127.0.0.1", lo.port()), 5000);
                c.getOutputStream().write(7);
                assertEquals(7, c.getInputStream().read());
            }
            assertEquals(1, await(server));
        }
    }

    @Test
    void layeredOverAnExistingConnectionLeavesItOpenWithoutAutoClose() throws Exception {
        try (Loopback lo = Loopback.qsp(ids.serverContext().build())) {
            Future<Long> server = lo.acceptOne(Loopback::echo);
            try (Socket plain = new Socket("127.0.0.1", lo.port())) {
                QspSocketFactory f = ids.clientContext().build().getSocketFactory();
                Socket q = f.createSocket(plain, "localhost", lo.port(), false);
                q.getOutputStream().write(42);
                assertEquals(42, q.getInputStream().read());
                q.close();
                assertTrue(q.isClosed());
                assertFalse(plain.isClosed(), "autoClose=false keeps the underlying socket");
            }
            assertEquals(1, await(server));
        }
    }

    @Test
    void layeringWithoutAHostNameOrExpectedIdentityIsRefused() throws Exception {
        try (Loopback lo = Loopback.plain(); Socket plain = new Socket("127.0.0.1", lo.port())) {
            QspContext noName = QspContext.builder().trust(ids.trust()).build();
            java.net.SocketException e = assertThrows(java.net.SocketException.class,
                    () -> noName.getSocketFactory().createSocket(plain, null, lo.port(), false));
            assertTrue(e.getMessage().contains("host name"), e.getMessage());
        }
    }

    /**
     * Connecting by {@code InetAddress} expects the IP literal, not a name the address carries (SPEC.md §6.1): an
     * address named "localhost" as a reverse lookup could name it does not make the server's dNSName localhost
     * acceptable for 127.0.0.1 (its certificate has no iPAddress SAN); an expected identity in the context does.
     */
    @Test
    void connectingByAddressExpectsTheIpLiteralNotTheAddressName() throws Exception {
        java.net.InetAddress named = java.net.InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
        try (Loopback lo = Loopback.qsp(ids.serverContext().build())) {
            Future<Exception> server = lo.acceptOne(s -> assertThrows(QspHandshakeException.class,
                    () -> ((QspSocket) s).startHandshake()));
            QspContext byAddress = QspContext.builder().trust(ids.trust()).build();
            try (QspSocket c = (QspSocket) byAddress.getSocketFactory().createSocket(named, lo.port())) {
                QspHandshakeException e = assertThrows(QspHandshakeException.class, c::startHandshake);
                assertEquals(QspError.UNKNOWN_IDENTITY, e.error(), e.getMessage());
                assertTrue(e.getMessage().contains("127.0.0.1"), e.getMessage());
            }
            assertNotNull(await(server));

            Future<Long> echo = lo.acceptOne(Loopback::echo);
            try (Socket c = ids.clientContext().build().getSocketFactory().createSocket(named, lo.port())) {
                c.getOutputStream().write(9); // the context's expected identity (localhost) is proved
                assertEquals(9, c.getInputStream().read());
            }
            assertEquals(1, await(echo));
        }
    }

    @Test
    void clientRejectsAServerWithTheWrongName() throws Exception {
        try (Loopback lo = Loopback.qsp(ids.serverContext().build())) {
            Future<Exception> server = lo.acceptOne(s -> assertThrows(QspHandshakeException.class,
                    () -> ((QspSocket) s).startHandshake()));
            try (QspSocket c = lo.connect(ids.clientContext().expectedPeerIdentity("other.example").build())) {
                OutputStream out = c.getOutputStream();
                QspHandshakeException e = assertThrows(QspHandshakeException.class, c::startHandshake);
                assertEquals(QspError.UNKNOWN_IDENTITY, e.error(), e.getMessage());
                assertThrows(QspHandshakeException.class, () -> out.write(1), "the failure is reported again");
                assertTrue(c.isClosed(), "a failed connection is closed");
            }
            assertNotNull(await(server));
        }
    }

    @Test
    void requiredClientAuthenticationShowsTheClientIdentity() throws Exception {
        QspContext server = ids.serverContext().clientAuth(QspContext.ClientAuth.REQUIRED)
                .expectedPeerIdentity(TestIdentities.CLIENT_NAME).build();
        try (Loopback lo = Loopback.qsp(server)) {
            Future<QspSession> accepted = lo.acceptOne(s -> {
                QspSession session = ((QspSocket) s).getSession();
                Loopback.echo(s);
                return session;
            });
            try (QspSocket c = lo.connect(ids.clientContext().identity(ids.client).build())) {
                c.getOutputStream().write(1);
                assertEquals(1, c.getInputStream().read());
            }
            QspSession s = await(accepted);
            assertEquals(TestIdentities.CLIENT_NAME, s.peerIdentity());
            assertEquals(ids.client.leaf(), s.peerCertificate().orElseThrow());
        }
    }

    @Test
    void requiredClientAuthenticationRefusesAnAnonymousClient() throws Exception {
        QspContext server = ids.serverContext().clientAuth(QspContext.ClientAuth.REQUIRED).build();
        try (Loopback lo = Loopback.qsp(server)) {
            Future<QspHandshakeException> accepted = lo.acceptOne(s -> assertThrows(QspHandshakeException.class,
                    ((QspSocket) s)::startHandshake));
            try (QspSocket c = lo.connect(ids.clientContext().build())) {
                c.startHandshake(); // the client's side completes with its Finished, as in TLS 1.3
                QspProtocolException e = assertThrows(QspProtocolException.class, () -> c.getInputStream().read());
                // the server's CLOSE is unprotected (it has no keys for the client): the client reports its own
                // UNAUTHENTICATED_CLOSE and names the claimed reason (SPEC.md §4.11)
                assertEquals(QspError.UNAUTHENTICATED_CLOSE, e.error(), e.getMessage());
                String msg = e.getMessage() + " / " + (e.getCause() == null ? "" : e.getCause().getMessage());
                assertTrue(msg.contains("claiming BAD_CERTIFICATE"), msg);
            }
            assertEquals(QspError.BAD_CERTIFICATE, await(accepted).error());
        }
    }

    static byte[] pattern(long offset, int len) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
            long x = offset + i;
            b[i] = (byte) (x ^ (x >>> 8) ^ (x >>> 16));
        }
        return b;
    }
}
