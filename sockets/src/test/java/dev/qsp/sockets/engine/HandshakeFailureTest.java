package dev.qsp.sockets.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qsp.sockets.QspError;
import dev.qsp.sockets.QspHandshakeException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Handshake failures: downgrade, identity, signature, Finished, suites, deadline. */
class HandshakeFailureTest {

    private static void assertHandshakeFailure(EnginePair p, QspEngine detector, QspError error) {
        var e = p.errorOf(detector);
        assertNotNull(e, "the " + detector.role() + " must detect the failure");
        assertInstanceOf(QspHandshakeException.class, e);
        assertEquals(error, e.error());
        assertFalse(e.isRemote());
        assertTrue(detector.isClosed());
        assertFalse(detector.isHandshakeComplete());
        assertEquals(0, p.clientReceived.size() + p.serverReceived.size());
        QspEngine other = detector == p.client ? p.server : p.client;
        var o = p.errorOf(other);
        assertNotNull(o, "the " + other.role() + " learns the failure from the CLOSE");
        assertEquals(error, o.error());
        assertTrue(o.isRemote());
    }

    /** Client sends ClientHello; the server's flight is rewritten by {@code tamper}; then pump. */
    private static EnginePair tamperServerFlight(QspEngineConfig.Builder c, QspEngineConfig.Builder s, String seed,
                                                 java.util.function.UnaryOperator<byte[]> tamper) throws Exception {
        EnginePair p = new EnginePair(c.build(), s.build(), seed);
        p.server.start(0);
        p.client.start(0);
        byte[] ch = EnginePair.drainAll(p.client);
        p.deliver(p.server, true, ch, 0, ch.length);
        byte[] flight = tamper.apply(EnginePair.drainAll(p.server));
        p.deliver(p.client, false, flight, 0, flight.length);
        p.pump();
        return p;
    }

    @Test
    void suiteListAlteredInTransitIsDowngrade() throws Exception {
        EnginePair p = new EnginePair(Fixtures.client().build(), Fixtures.server().build(), "downgrade");
        p.server.start(0);
        p.client.start(0);
        byte[] ch = EnginePair.drainAll(p.client);
        // The AEAD list is the first list after version(2) and random(32): make AES-256-GCM (0x0001) read 0x0002,
        // so that only ChaCha20-Poly1305 appears offered.
        int aeadList = Frames.HEADER_LENGTH + 4 + 2 + 32;
        assertEquals(4, ch[aeadList]);
        assertEquals(1, ch[aeadList + 2]);
        ch[aeadList + 2] = 2;
        p.deliver(p.server, true, ch, 0, ch.length);
        p.pump();
        assertHandshakeFailure(p, p.client, QspError.DOWNGRADE);
    }

    @Test
    void wrongIdentity() throws Exception {
        EnginePair p = new EnginePair(Fixtures.client().expectedPeerIdentity("other.qsp.test").build(),
                Fixtures.server().build(), "identity").handshake();
        assertHandshakeFailure(p, p.client, QspError.UNKNOWN_IDENTITY);
    }

    @Test
    void untrustedCertificate() throws Exception {
        TestPki other = new TestPki("Other CA", "other");
        EnginePair p = new EnginePair(Fixtures.client().trust(other.trust()).build(), Fixtures.server().build(), "untrusted").handshake();
        assertHandshakeFailure(p, p.client, QspError.BAD_CERTIFICATE);
    }

    @Test
    void wrongPin() throws Exception {
        EnginePair p = new EnginePair(Fixtures.client().trust(dev.qsp.sockets.QspTrust.pinned(List.of(new byte[32]))).build(),
                Fixtures.server().build(), "pin").handshake();
        assertHandshakeFailure(p, p.client, QspError.BAD_CERTIFICATE);
    }

    @Test
    void badServerSignature() throws Exception {
        EnginePair p = tamperServerFlight(Fixtures.client(), Fixtures.server(), "sig",
                f -> EnginePair.tamperHandshake(f, HandshakeMessage.CERTIFICATE_VERIFY, 100, 3));
        assertHandshakeFailure(p, p.client, QspError.BAD_SIGNATURE);
    }

    @Test
    void badServerFinished() throws Exception {
        EnginePair p = tamperServerFlight(Fixtures.client(), Fixtures.server(), "fin",
                f -> EnginePair.tamperHandshake(f, HandshakeMessage.FINISHED, 47, 0));
        assertHandshakeFailure(p, p.client, QspError.BAD_FINISHED);
    }

    @Test
    void badClientFinished() throws Exception {
        EnginePair p = new EnginePair(Fixtures.client().build(), Fixtures.server().build(), "cfin");
        p.server.start(0);
        p.client.start(0);
        byte[] ch = EnginePair.drainAll(p.client);
        p.deliver(p.server, true, ch, 0, ch.length);
        byte[] flight = EnginePair.drainAll(p.server);
        p.deliver(p.client, false, flight, 0, flight.length);
        assertTrue(p.client.isHandshakeComplete());
        byte[] fin = EnginePair.tamperHandshake(EnginePair.drainAll(p.client), HandshakeMessage.FINISHED, 0, 0);
        p.deliver(p.server, true, fin, 0, fin.length);
        p.pump();
        var e = p.serverError;
        assertEquals(QspError.BAD_FINISHED, e.error());
        assertInstanceOf(QspHandshakeException.class, e);
        // The client had already completed; the server's unprotected CLOSE is not authenticated, so the client
        // reports its own UNAUTHENTICATED_CLOSE and only names the claimed reason (SPEC §4.11).
        assertRejectionSeenUnauthenticated(p, QspError.BAD_FINISHED);
    }

    @Test
    void badClientSignature() throws Exception {
        var c = Fixtures.client().identity(Fixtures.clientIdentity());
        var s = Fixtures.server().requireClientAuth(true).trust(Fixtures.pki().trust());
        EnginePair p = new EnginePair(c.build(), s.build(), "csig");
        p.server.start(0);
        p.client.start(0);
        byte[] ch = EnginePair.drainAll(p.client);
        p.deliver(p.server, true, ch, 0, ch.length);
        byte[] flight = EnginePair.drainAll(p.server);
        p.deliver(p.client, false, flight, 0, flight.length);
        byte[] second = EnginePair.tamperHandshake(EnginePair.drainAll(p.client), HandshakeMessage.CERTIFICATE_VERIFY, 50, 1);
        p.deliver(p.server, true, second, 0, second.length);
        p.pump();
        assertEquals(QspError.BAD_SIGNATURE, p.serverError.error());
        assertRejectionSeenUnauthenticated(p, QspError.BAD_SIGNATURE);
    }

    @Test
    void clientWithoutCertificateWhenRequired() throws Exception {
        EnginePair p = new EnginePair(Fixtures.client().build(),
                Fixtures.server().requireClientAuth(true).trust(Fixtures.pki().trust()).build(), "nocert").handshake();
        assertEquals(QspError.BAD_CERTIFICATE, p.serverError.error());
        assertRejectionSeenUnauthenticated(p, QspError.BAD_CERTIFICATE);
    }

    private static void assertRejectionSeenUnauthenticated(EnginePair p, QspError claimed) {
        assertEquals(QspError.UNAUTHENTICATED_CLOSE, p.clientError.error());
        assertFalse(p.clientError.isRemote());
        assertFalse(p.clientError instanceof QspHandshakeException, String.valueOf(p.clientError));
        assertTrue(p.clientError.getMessage().contains("claiming " + claimed.name()), p.clientError.getMessage());
    }

    @Test
    void noCommonAead() throws Exception {
        EnginePair p = new EnginePair(Fixtures.client().aeadSuites(List.of(AeadSuite.CHACHA20_POLY1305)).build(),
                Fixtures.server().aeadSuites(List.of(AeadSuite.AES_256_GCM)).build(), "aead").handshake();
        assertHandshakeFailure(p, p.server, QspError.NO_COMMON_SUITE);
    }

    @Test
    void noCommonSignature() throws Exception {
        EnginePair p = new EnginePair(Fixtures.client().signatureSchemes(List.of(SignatureScheme.ML_DSA_87)).build(),
                Fixtures.server().build(), "sigs").handshake();
        assertHandshakeFailure(p, p.server, QspError.NO_COMMON_SUITE);
    }

    @Test
    void noCommonKem() throws Exception {
        EnginePair p = new EnginePair(Fixtures.client().build(),
                Fixtures.server().keySources(List.of(new MlKemTestSource("another-kem", new SeededRandom("x")))).build(), "kem").handshake();
        assertHandshakeFailure(p, p.server, QspError.NO_COMMON_SUITE);
    }

    @Test
    void handshakeDeadline() throws Exception {
        EnginePair p = new EnginePair(Fixtures.client().build(),
                Fixtures.server().handshakeTimeoutNanos(1_000_000_000L).build(), "deadline");
        p.server.start(0);
        p.server.tick(999_999_999L);
        assertFalse(p.server.isClosed());
        p.now = 1_000_000_000L;
        try {
            p.server.tick(p.now);
        } catch (QspHandshakeException e) {
            assertEquals(QspError.HANDSHAKE_TIMEOUT, e.error());
        }
        assertEquals(QspError.HANDSHAKE_TIMEOUT, p.server.failure().orElseThrow().error());
        assertTrue(p.server.isClosed());
    }

    @Test
    void pkixClientWithoutExpectedIdentityIsRefused() throws Exception {
        var config = Fixtures.client().expectedPeerIdentity(null).build();
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> QspEngine.client(config, new SeededRandom("x")));
        assertEquals("a client verifying by PKIX needs the expected server identity", e.getMessage());
    }
}
