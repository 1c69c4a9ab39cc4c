package dev.qsp.sockets.engine;

import static dev.qsp.kme.KmePair.SAE_A;
import static dev.qsp.kme.KmePair.SAE_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qsp.keysources.KeySource;
import dev.qsp.keysources.qkd.QkdException;
import dev.qsp.keysources.qkd.QkdKeySource;
import dev.qsp.keysources.qkd.QkdPolicy;
import dev.qsp.kme.KmeSettings;
import dev.qsp.sockets.QspError;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A server that requires client authentication can bind the client's QKD SAE ID to its certificate identity
 * ({@code qsp.qkd.peer.sae.bind=identity}, SPEC.md §5.2): a client whose certificate proves another identity than
 * the SAE ID it claims in its QKD offer is refused once its certificate is verified.
 */
class QkdIdentityBindingTest {
    private QkdFixture fx;

    @AfterEach
    void close() {
        if (fx != null) fx.close();
    }

    private QspEngineConfig.Builder boundServer() throws Exception {
        QkdKeySource qkd = fx.source(QkdPolicy.REQUIRE, SAE_B, SAE_A).bindPeerIdentity(true);
        return Fixtures.server().requireClientAuth(true).trust(Fixtures.pki().trust())
                .keySources(List.<KeySource>of(Fixtures.kem("server"), qkd));
    }

    @Test
    void aClientWhoseCertificateIsItsSaeIdIsServed() throws Exception {
        fx = new QkdFixture(KmeSettings.defaults());
        EnginePair p = Fixtures.established(fx.client(QkdPolicy.REQUIRE).identity(Fixtures.pki().issue(SAE_A, "ML-DSA-65")),
                boundServer(), "bound");
        assertEquals(SAE_A, p.server.session().peerIdentity());
        assertEquals(List.of("test-mlkem768", "qkd"), p.server.session().keySources());
    }

    @Test
    void aClientWhoseCertificateNamesAnotherIdentityIsRefused() throws Exception {
        fx = new QkdFixture(KmeSettings.defaults());
        EnginePair p = new EnginePair(fx.client(QkdPolicy.REQUIRE).identity(Fixtures.clientIdentity()).build(),
                boundServer().build(), "unbound").handshake();
        assertEquals(QspError.KEY_SOURCE_FAILED, p.serverError.error(), p.serverError.getMessage());
        Throwable cause = p.serverError;
        while (cause != null && !(cause instanceof QkdException)) cause = cause.getCause();
        QkdException q = assertInstanceOf(QkdException.class, cause, "the cause chain holds the QKD reason");
        assertEquals(QkdException.Reason.SAE_MISMATCH, q.reason());
        assertTrue(q.getMessage().contains("proves identity client.qsp.test, its QKD SAE ID is SAE_A"), q.getMessage());
        // The client had completed its side: the server's unprotected CLOSE is not authenticated (SPEC.md §4.11).
        assertEquals(QspError.UNAUTHENTICATED_CLOSE, p.clientError.error());
        assertFalse(p.clientError.isRemote());
        assertTrue(p.clientError.getMessage().contains("claiming KEY_SOURCE_FAILED"), p.clientError.getMessage());
    }
}
