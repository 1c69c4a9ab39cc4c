package dev.qsp.sockets.engine;

import static dev.qsp.kme.KmePair.SAE_A;
import static dev.qsp.kme.KmePair.SAE_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qsp.keysources.KeySource;
import dev.qsp.keysources.qkd.QkdPolicy;
import dev.qsp.kme.KmeSettings;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The order of key-source lists (SPEC.md §4.5, §4.10): the ServerHello answers in the ClientHello's offer order
 * (not the server's configuration order), a fresh REKEY_INIT offers in that same order and the REKEY_ACK replies
 * in the INIT's order. Each end records its sources in the order of the list it received, so both ends' records
 * show the wire order.
 */
class FreshRekeyListOrderTest {
    private QkdFixture fx;

    @AfterEach
    void close() {
        if (fx != null) fx.close();
    }

    private static List<String> ids(List<KeySourceInfo> infos) { return infos.stream().map(KeySourceInfo::id).toList(); }

    private void runWithClientOrder(boolean qkdFirst) throws Exception {
        KeySource kem = Fixtures.kem("client");
        KeySource qkd = fx.source(QkdPolicy.REQUIRE, SAE_A, SAE_B);
        QspEngineConfig.Builder client = Fixtures.client().keySources(qkdFirst ? List.of(qkd, kem) : List.of(kem, qkd));
        // The server's own configuration order is always KEM first.
        EnginePair p = Fixtures.established(client, fx.server(QkdPolicy.REQUIRE), "list-order-" + qkdFirst);
        List<String> expected = qkdFirst ? List.of("qkd", "test-mlkem768") : List.of("test-mlkem768", "qkd");
        assertEquals(expected, ids(p.server.session().keySourceInfo()), "server: ClientHello offer order");
        assertEquals(expected, ids(p.client.session().keySourceInfo()), "client: ServerHello reply order");
        assertTrue(p.server.requestRekey(RekeyKind.FRESH, p.now));
        p.pump();
        assertNull(p.clientError);
        assertNull(p.serverError);
        assertEquals(1, p.client.rekeyCount());
        assertEquals(expected, ids(p.client.lastFreshRekeySources()), "client: REKEY_INIT offer order");
        assertEquals(expected, ids(p.server.lastFreshRekeySources()), "server: REKEY_ACK reply order");
        assertTrue(p.client.lastFreshRekeySources().stream().allMatch(KeySourceInfo::contributed));
    }

    @Test
    void listsFollowTheClientHelloOrder() throws Exception {
        fx = new QkdFixture(KmeSettings.defaults());
        runWithClientOrder(false);
        runWithClientOrder(true);
    }
}
