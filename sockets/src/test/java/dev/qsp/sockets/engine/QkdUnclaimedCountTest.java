package dev.qsp.sockets.engine;

import static dev.qsp.kme.KmePair.SAE_A;
import static dev.qsp.kme.KmePair.SAE_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qsp.keysources.qkd.QkdClient;
import dev.qsp.keysources.qkd.QkdPolicy;
import dev.qsp.keysources.qkd.QkdSettings;
import dev.qsp.kme.KmeSettings;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Against a KME whose status counts only delivered, unclaimed keys — as a third-party ETSI GS QKD 014 simulator
 * does, so {@code stored_key_count} is 0 while the pool holds a thousand — a REQUIRE handshake and fresh rekeys
 * still draw QKD keys: the count is advisory (SPEC.md §5.2).
 */
class QkdUnclaimedCountTest {

    /**
     * stored_key_count at {@code master}'s KME for master -> slave, through a client with generous timeouts: the
     * first HTTPS call of a cold JVM on a loaded machine can outlast the fixture's 500 ms connect timeout.
     */
    private static int storedKeys(QkdFixture fx, String master, String slave) throws Exception {
        QkdSettings s = QkdSettings.of(fx.kme.kmeOf(master).baseUri(), master, slave)
                .withTimeouts(Duration.ofSeconds(20), Duration.ofSeconds(30)).withRetries(1, Duration.ZERO);
        try (QkdClient c = s.newClient(fx.kme.clientContext(master))) {
            return c.status(slave).storedKeyCount();
        }
    }

    @Test
    void requireHandshakeAndFreshRekeysSucceedAlthoughStatusCountsZero() throws Exception {
        try (QkdFixture fx = new QkdFixture(KmeSettings.defaults().withCountOnlyUnclaimedKeys(true))) {
            assertEquals(0, storedKeys(fx, SAE_A, SAE_B), "the KME reports no stored key for SAE_A -> SAE_B");
            assertEquals(0, storedKeys(fx, SAE_B, SAE_A));
            EnginePair p = Fixtures.established(fx.client(QkdPolicy.REQUIRE), fx.server(QkdPolicy.REQUIRE), "unclaimed");
            assertEquals(List.of("test-mlkem768", "qkd"), p.client.session().keySources());
            assertEquals(1, fx.kme.kmeA().requestCount("enc_keys"));
            assertEquals(1, fx.kme.kmeB().requestCount("dec_keys"));
            for (int r = 1; r <= 2; r++) {
                assertTrue(p.server.requestRekey(RekeyKind.FRESH, p.now));
                p.pump();
                assertNull(p.clientError);
                assertNull(p.serverError);
                assertEquals(r, p.server.lastFreshRekeyEpoch());
                assertEquals(List.of("test-mlkem768", "qkd"),
                        p.server.lastFreshRekeySources().stream().filter(KeySourceInfo::contributed).map(KeySourceInfo::id).toList());
                p.clientReceived.reset();
                p.serverReceived.reset();
                HandshakeTest.exchange(p); // both ends derived the same traffic keys
            }
            assertEquals(2, fx.kme.kmeB().requestCount("enc_keys"), "the server is master in fresh rekeys");
            assertEquals(2, fx.kme.kmeA().requestCount("dec_keys"));
            assertEquals(0, storedKeys(fx, SAE_A, SAE_B), "every delivered key was claimed");
            assertEquals(0, storedKeys(fx, SAE_B, SAE_A));
        }
    }
}
