package dev.qsp.sockets;

import static dev.qsp.sockets.Loopback.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The identity an unconnected {@code createSocket()} followed by {@code connect(InetSocketAddress, timeout)}
 * expects (SPEC.md §6.1), as JNDI and JDBC drivers connect: the IP literal of a resolved address — never a name
 * the {@code InetAddress} carries, which a reverse lookup anywhere in the process may have put there — unless the
 * application gave the name (an unresolved address) or the context names the expected identity. The server's
 * certificate names dNSName {@code localhost} and no iPAddress.
 */
class ConnectIdentityTest {
    private static final byte[] LOOPBACK = {127, 0, 0, 1};
    private static TestIdentities ids;

    @BeforeAll
    static void identities() throws Exception {
        ids = TestIdentities.get();
    }

    private static QspContext noExpectedIdentity() {
        return QspContext.builder().trust(ids.trust()).build();
    }

    /** connect(endpoint) from an unconnected socket of {@code client}; the handshake fails with UNKNOWN_IDENTITY naming {@code expected}. */
    private static void assertExpects(QspContext client, InetSocketAddress endpoint, String expected, Loopback lo)
            throws Exception {
        Future<Exception> server = lo.acceptOne(s -> assertThrows(QspHandshakeException.class,
                () -> ((QspSocket) s).startHandshake()));
        try (QspSocket c = (QspSocket) client.getSocketFactory().createSocket()) {
            c.connect(endpoint, 5000);
            QspHandshakeException e = assertThrows(QspHandshakeException.class, c::startHandshake);
            assertEquals(QspError.UNKNOWN_IDENTITY, e.error(), e.getMessage());
            assertEquals("UNKNOWN_IDENTITY: peer certificate does not name '" + expected + "'", e.getMessage());
        }
        assertNotNull(await(server));
    }

    /** connect(endpoint) from an unconnected socket of {@code client}; a one-byte echo goes through. */
    private static void assertConnects(QspContext client, InetSocketAddress endpoint, Loopback lo) throws Exception {
        Future<Long> echo = lo.acceptOne(Loopback::echo);
        try (Socket c = client.getSocketFactory().createSocket()) {
            c.connect(endpoint, 5000);
            c.getOutputStream().write(5);
            assertEquals(5, c.getInputStream().read());
        }
        assertEquals(1, await(echo));
    }

    @Test
    void anAddressCarryingTheServersNameStillExpectsTheIpLiteral() throws Exception {
        // as if a reverse lookup had named 127.0.0.1 "localhost": the name must not vouch for the address
        InetAddress named = InetAddress.getByAddress("localhost", LOOPBACK);
        try (Loopback lo = Loopback.qsp(ids.serverContext().build())) {
            assertExpects(noExpectedIdentity(), new InetSocketAddress(named, lo.port()), "127.0.0.1", lo);
        }
    }

    @Test
    void anAddressCarryingACachedHostNameExpectsTheIpLiteral() throws Exception {
        InetAddress named = InetAddress.getByAddress("example.test", LOOPBACK);
        try (Loopback lo = Loopback.qsp(ids.serverContext().build())) {
            assertExpects(noExpectedIdentity(), new InetSocketAddress(named, lo.port()), "127.0.0.1", lo);
        }
    }

    @Test
    void anUnresolvedAddressExpectsTheApplicationsNameAndIsResolved() throws Exception {
        try (Loopback lo = Loopback.qsp(ids.serverContext().build())) {
            assertConnects(noExpectedIdentity(), InetSocketAddress.createUnresolved(TestIdentities.SERVER_NAME, lo.port()), lo);
            assertExpects(noExpectedIdentity(), InetSocketAddress.createUnresolved("127.0.0.1", lo.port()), "127.0.0.1", lo);
        }
    }

    @Test
    void theContextsExpectedIdentityWinsOverTheAddress() throws Exception {
        InetAddress named = InetAddress.getByAddress("example.test", LOOPBACK);
        try (Loopback lo = Loopback.qsp(ids.serverContext().build())) {
            assertConnects(ids.clientContext().build(), new InetSocketAddress(named, lo.port()), lo);
        }
    }

    @Test
    void createSocketWithAHostNameStringExpectsThatName() throws Exception {
        try (Loopback lo = Loopback.qsp(ids.serverContext().build())) {
            Future<Long> echo = lo.acceptOne(Loopback::echo);
            try (Socket c = noExpectedIdentity().getSocketFactory().createSocket(TestIdentities.SERVER_NAME, lo.port())) {
                c.getOutputStream().write(6);
                assertEquals(6, c.getInputStream().read());
            }
            assertEquals(1, await(echo));
        }
    }
}
