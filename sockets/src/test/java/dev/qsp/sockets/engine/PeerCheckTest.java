package dev.qsp.sockets.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qsp.sockets.QspError;
import dev.qsp.sockets.QspTrust;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Peer authentication details (SPEC.md §4.7): PKIX validation happens at the trust's validation date, not at the
 * wall clock's (a certificate not yet valid then is refused); a client's CertificateVerify that names another
 * scheme than its certificate's key is refused naming both.
 */
class PeerCheckTest {

    @Test
    void validationUsesTheTrustsDate() throws Exception {
        QspTrust before = QspTrust.pkix(List.of(Fixtures.pki().trust().anchors().iterator().next().getTrustedCert()))
                .atDate(Date.from(Instant.parse("2024-06-01T00:00:00Z"))); // before the test PKI's notBefore
        EnginePair p = new EnginePair(Fixtures.client().trust(before).build(), Fixtures.server().build(), "peer-date").handshake();
        assertNotNull(p.clientError);
        assertEquals(QspError.BAD_CERTIFICATE, p.clientError.error());
        assertTrue(p.clientError.detail().startsWith("peer certificate chain is not trusted: "), p.clientError.detail());

        EnginePair ok = new EnginePair(Fixtures.client().build(), Fixtures.server().build(), "peer-date-ok").handshake();
        assertNull(ok.clientError);
        assertTrue(ok.client.isHandshakeComplete());
    }

    @Test
    void aClientSignatureSchemeOtherThanItsKeysIsRefused() throws Exception {
        EnginePair p = new EnginePair(Fixtures.client().identity(Fixtures.clientIdentity()).build(),
                Fixtures.server().requireClientAuth(true).trust(Fixtures.pki().trust()).build(), "peer-scheme");
        p.server.start(0);
        p.client.start(0);
        byte[] ch = EnginePair.drainAll(p.client);
        p.deliver(p.server, true, ch, 0, ch.length);
        byte[] flight = EnginePair.drainAll(p.server);
        p.deliver(p.client, false, flight, 0, flight.length);
        assertTrue(p.client.isHandshakeComplete());
        // the client's CertificateVerify names ML-DSA-44 (0x0904) instead of its key's ML-DSA-65 (0x0905)
        byte[] second = EnginePair.tamperHandshake(EnginePair.drainAll(p.client), HandshakeMessage.CERTIFICATE_VERIFY, 1, 0);
        p.deliver(p.server, true, second, 0, second.length);
        assertNotNull(p.serverError);
        assertEquals(QspError.ILLEGAL_PARAMETER, p.serverError.error());
        assertEquals("CertificateVerify uses ML-DSA-44 but the certificate's key is for ML-DSA-65", p.serverError.detail());
    }
}
