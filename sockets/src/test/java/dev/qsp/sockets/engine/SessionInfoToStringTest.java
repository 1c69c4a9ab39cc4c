package dev.qsp.sockets.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** SessionInfo.toString() summarizes (suite, peer, subject, issuer, key sources) and never dumps the chain (issue 12). */
class SessionInfoToStringTest {
    @Test
    void summaryWithoutTheChain() throws Exception {
        EnginePair p = Fixtures.established(Fixtures.client().identity(Fixtures.clientIdentity()),
                Fixtures.server().requireClientAuth(true).trust(Fixtures.pki().trust()),
                "session-info-tostring");
        assertEquals("AES-256-GCM, test-mlkem768, ML-DSA-65", p.client.session().suite());
        String client = p.client.session().toString();
        assertEquals("SessionInfo[" + p.client.session().suite() + ", peer=server.qsp.test (subject CN=server.qsp.test, "
                + "issuer CN=QSP Test CA), keySources=" + p.client.session().keySourceInfo() + "]", client);
        assertTrue(client.length() < 400, client);
        String server = p.server.session().toString();
        assertTrue(server.startsWith("SessionInfo[" + p.server.session().suite() + ", peer=client.qsp.test (subject "
                + "CN=client.qsp.test, issuer CN=QSP Test CA)"), server);
        assertTrue(!server.contains("BEGIN") && !server.contains("Signature"), server);
    }

    @Test
    void anonymousPeer() throws Exception {
        EnginePair p = Fixtures.established(Fixtures.client(), Fixtures.server(), "session-info-anon");
        assertTrue(p.server.session().toString().startsWith("SessionInfo[" + p.server.session().suite()
                + ", peer=anonymous, keySources=["), p.server.session().toString());
    }
}
