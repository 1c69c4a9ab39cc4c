package dev.qsp.sockets.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qsp.sockets.QspError;
import dev.qsp.sockets.QspHandshakeException;
import dev.qsp.sockets.QspIdentity;
import dev.qsp.sockets.QspTrust;
import java.util.List;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;

/**
 * Certificates are checked for their purpose (SPEC.md §4.7): a trusted chain whose leaf was issued for another
 * use — a client-only or key-encipherment-only certificate presented by a server, a server certificate presented
 * by a client, a CA certificate as a leaf — is refused with BAD_CERTIFICATE naming the rule, as JSSE refuses it.
 */
class CertificatePurposeTest {
    private static final String S = Fixtures.SERVER_NAME;
    private static final String C = Fixtures.CLIENT_NAME;

    private static EnginePair asServer(QspIdentity server, String seed) throws Exception {
        return new EnginePair(Fixtures.client().build(), Fixtures.server().identity(server).build(), seed).handshake();
    }

    private static EnginePair asClient(QspIdentity client, String seed) throws Exception {
        return new EnginePair(Fixtures.client().identity(client).build(),
                Fixtures.server().requireClientAuth(true).trust(Fixtures.pki().trust()).build(), seed).handshake();
    }

    /**
     * {@code detector} refused the peer's certificate with BAD_CERTIFICATE and {@code message}. A server learns the
     * client's code; a client refused by the server had completed its side, so the server's unprotected CLOSE is
     * its own UNAUTHENTICATED_CLOSE naming the claimed code (SPEC.md §4.3, §4.11).
     */
    private static void assertRefused(EnginePair p, QspEngine detector, String message) {
        var e = p.errorOf(detector);
        assertNotNull(e, "the " + detector.role() + " must refuse the certificate");
        assertInstanceOf(QspHandshakeException.class, e);
        assertEquals(QspError.BAD_CERTIFICATE, e.error());
        assertFalse(e.isRemote());
        assertEquals("BAD_CERTIFICATE: " + message, e.getMessage());
        assertFalse(detector.isHandshakeComplete());
        if (detector == p.client) {
            assertEquals(QspError.BAD_CERTIFICATE, p.errorOf(p.server).error());
            assertTrue(p.errorOf(p.server).isRemote());
        } else {
            assertEquals(QspError.UNAUTHENTICATED_CLOSE, p.errorOf(p.client).error());
            assertFalse(p.errorOf(p.client).isRemote());
            assertTrue(p.errorOf(p.client).getMessage().contains("claiming BAD_CERTIFICATE"), p.errorOf(p.client).getMessage());
        }
    }

    private static void assertEstablished(EnginePair p) {
        assertNull(p.clientError, () -> "client failed: " + p.clientError);
        assertNull(p.serverError, () -> "server failed: " + p.serverError);
        assertTrue(p.client.isHandshakeComplete() && p.server.isHandshakeComplete());
    }

    @Test
    void clientAuthOnlyKeyEnciphermentLeafIsRefusedAsServer() throws Exception {
        QspIdentity id = Fixtures.pki().issueWithPurpose(S, false, KeyUsage.keyEncipherment, KeyPurposeId.id_kp_clientAuth);
        EnginePair p = asServer(id, "purpose-ke");
        // the keyUsage rule is checked first: this key may not sign at all
        assertRefused(p, p.client, "peer server certificate has a keyUsage without digitalSignature,"
                + " so its key may not sign CertificateVerify");
    }

    @Test
    void keyEnciphermentOnlyLeafIsRefusedAsServer() throws Exception {
        QspIdentity id = Fixtures.pki().issueWithPurpose(S, false, KeyUsage.keyEncipherment, KeyPurposeId.id_kp_serverAuth);
        EnginePair p = asServer(id, "purpose-ku");
        assertRefused(p, p.client, "peer server certificate has a keyUsage without digitalSignature,"
                + " so its key may not sign CertificateVerify");
    }

    @Test
    void clientAuthOnlyLeafIsRefusedAsServer() throws Exception {
        QspIdentity id = Fixtures.pki().issueWithPurpose(S, false, KeyUsage.digitalSignature, KeyPurposeId.id_kp_clientAuth);
        EnginePair p = asServer(id, "purpose-eku-server");
        assertRefused(p, p.client, "peer server certificate has an extendedKeyUsage without serverAuth"
                + " or anyExtendedKeyUsage [1.3.6.1.5.5.7.3.2]");
    }

    @Test
    void serverCertificateIsRefusedAsClientCertificate() throws Exception {
        QspIdentity id = Fixtures.pki().issueWithPurpose(C, false, KeyUsage.digitalSignature, KeyPurposeId.id_kp_serverAuth);
        EnginePair p = asClient(id, "purpose-eku-client");
        assertRefused(p, p.server, "peer client certificate has an extendedKeyUsage without clientAuth"
                + " or anyExtendedKeyUsage [1.3.6.1.5.5.7.3.1]");
    }

    @Test
    void caCertificateAsLeafIsRefused() throws Exception {
        QspIdentity id = Fixtures.pki().issueWithPurpose(S, true, KeyUsage.digitalSignature | KeyUsage.keyCertSign);
        EnginePair p = asServer(id, "purpose-ca");
        assertRefused(p, p.client,
                "peer server certificate is a CA certificate (basicConstraints cA=true), not an end-entity certificate");
    }

    @Test
    void purposeIsCheckedForPinnedPeersToo() throws Exception {
        QspIdentity id = Fixtures.pki().issueWithPurpose(S, false, KeyUsage.digitalSignature, KeyPurposeId.id_kp_clientAuth);
        QspTrust pin = QspTrust.pinned(List.of(QspTrust.spkiSha256(id.leaf())));
        EnginePair p = new EnginePair(Fixtures.client().trust(pin).build(), Fixtures.server().identity(id).build(),
                "purpose-pin").handshake();
        assertRefused(p, p.client, "peer server certificate has an extendedKeyUsage without serverAuth"
                + " or anyExtendedKeyUsage [1.3.6.1.5.5.7.3.2]");
    }

    @Test
    void certificatesIssuedForTheirPurposeAreAccepted() throws Exception {
        TestPki pki = Fixtures.pki();
        assertEstablished(asServer(pki.issueWithPurpose(S, false, KeyUsage.digitalSignature, KeyPurposeId.id_kp_serverAuth), "ok-server"));
        assertEstablished(asServer(pki.issueWithPurpose(S, false, KeyUsage.digitalSignature | KeyUsage.keyEncipherment,
                KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth), "ok-both"));
        assertEstablished(asServer(pki.issueWithPurpose(S, false, -1, KeyPurposeId.anyExtendedKeyUsage), "ok-any"));
        assertEstablished(asServer(pki.issueWithPurpose(S, false, -1), "ok-no-extensions"));
        assertEstablished(asClient(pki.issueWithPurpose(C, false, KeyUsage.digitalSignature, KeyPurposeId.id_kp_clientAuth), "ok-client"));
    }
}
