package dev.qsp.sockets.engine;

import static dev.qsp.kme.KmePair.SAE_A;
import static dev.qsp.kme.KmePair.SAE_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qsp.keysources.KeySource;
import dev.qsp.keysources.qkd.KmeDrawBudget;
import dev.qsp.keysources.qkd.QkdKeySource;
import dev.qsp.keysources.qkd.QkdPolicy;
import dev.qsp.kme.KmeSettings;
import dev.qsp.sockets.QspError;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The rekey kind is the server's decision, and QKD keys go only to sessions that earn them (SPEC.md §4.10,
 * §4.13, §5.4): client-requested fresh rekeys are rate limited per connection, a QKD exchange that fell back in
 * the handshake is not retried by rekeys, the KME is called last for a ClientHello and within a draw budget.
 * Draws are counted on the embedded simulated KME pair; time is the engines' injected clock.
 */
class ServerDecidesRekeyTest {
    private static final long SECOND = 1_000_000_000L;
    private static final String KEM = "test-mlkem768";
    private QkdFixture fx;

    @AfterEach
    void close() {
        if (fx != null) fx.close();
    }

    /** KME calls that hand out key material: enc_keys and dec_keys at both KMEs. */
    private int draws() {
        return fx.kme.kmeA().requestCount("enc_keys") + fx.kme.kmeA().requestCount("dec_keys")
                + fx.kme.kmeB().requestCount("enc_keys") + fx.kme.kmeB().requestCount("dec_keys");
    }

    /** The client asks for a fresh rekey at {@code p.now}; returns the kind the server chose. */
    private static RekeyKind clientAsksFresh(EnginePair p) throws Exception {
        long before = p.client.rekeyCount();
        assertTrue(p.client.requestRekey(RekeyKind.FRESH, p.now));
        p.pump();
        assertNull(p.serverError);
        assertNull(p.clientError);
        assertEquals(before + 1, p.client.rekeyCount(), "the request was answered with a rekey");
        HandshakeTest.exchange(reset(p));
        return p.client.lastRekeyKind();
    }

    private static EnginePair reset(EnginePair p) {
        p.clientReceived.reset();
        p.serverReceived.reset();
        return p;
    }

    @Test
    void aClientsFreshRequestIsHonouredOncePerIntervalAndOtherwiseAnsweredWithARatchet() throws Exception {
        RekeyPolicy policy = RekeyPolicy.DEFAULT.withMinClientFreshIntervalNanos(60 * SECOND);
        EnginePair p = Fixtures.established(Fixtures.client(), Fixtures.server().rekeyPolicy(policy), "fresh-rate");
        p.now = SECOND;
        assertEquals(RekeyKind.FRESH, clientAsksFresh(p));
        for (int i = 2; i <= 5; i++) {
            p.now = i * SECOND; // 1 s apart: the basic request interval allows each request
            assertEquals(RekeyKind.RATCHET, clientAsksFresh(p), "request " + i);
        }
        p.now = 61 * SECOND; // 60 s after the last honoured one
        assertEquals(RekeyKind.FRESH, clientAsksFresh(p));
        assertEquals(6, p.server.rekeyCount());
    }

    @Test
    void aServerThatDoesNotAllowClientFreshRekeysRatchetsButStillFreshensOnItsOwn() throws Exception {
        RekeyPolicy policy = RekeyPolicy.DEFAULT.withClientFreshAllowed(false);
        EnginePair p = Fixtures.established(Fixtures.client(), Fixtures.server().rekeyPolicy(policy), "no-client-fresh");
        p.now = 100 * SECOND;
        assertEquals(RekeyKind.RATCHET, clientAsksFresh(p));
        assertTrue(p.server.requestRekey(RekeyKind.FRESH, p.now)); // the server's own decision
        p.pump();
        assertEquals(RekeyKind.FRESH, p.client.lastRekeyKind());
    }

    @Test
    void theAnonymousDrainSequenceDrawsNoKmeKey() throws Exception {
        // The attacker has no KME access: its own pool is empty, so its PREFER source offers UNAVAILABLE.
        fx = new QkdFixture(KmeSettings.defaults().withPool(6, false));
        fx.kme.drain(SAE_A, SAE_B);
        EnginePair p = Fixtures.established(fx.client(QkdPolicy.PREFER),
                fx.server(QkdPolicy.PREFER).rekeyPolicy(RekeyPolicy.DEFAULT.withMinClientFreshIntervalNanos(0)), "drain");
        assertEquals(List.of(KEM), p.server.session().keySources());
        int afterHandshake = draws();
        assertEquals(0, fx.kme.kmeB().requestCount("dec_keys"), "an UNAVAILABLE offer is not looked up");
        for (int i = 1; i <= 10; i++) {
            p.now = i * SECOND;
            // every request is honoured as fresh here (no fresh interval): still no QKD in it
            assertEquals(RekeyKind.FRESH, clientAsksFresh(p));
            assertEquals(List.of(KEM), p.server.lastFreshRekeySources().stream().map(KeySourceInfo::id).toList());
        }
        assertEquals(afterHandshake, draws(), "no KME key drawn for the anonymous client's fresh rekeys");
        assertEquals(0, fx.kme.kmeB().requestCount("enc_keys"));
    }

    @Test
    void theAnonymousDrainSequenceWithDefaultPolicyDrawsNothingEither() throws Exception {
        fx = new QkdFixture(KmeSettings.defaults().withPool(6, false));
        fx.kme.drain(SAE_A, SAE_B);
        EnginePair p = Fixtures.established(fx.client(QkdPolicy.PREFER), fx.server(QkdPolicy.PREFER), "drain-default");
        int before = draws();
        for (int i = 1; i <= 10; i++) {
            p.now = i * SECOND;
            RekeyKind k = clientAsksFresh(p);
            assertEquals(i == 1 ? RekeyKind.FRESH : RekeyKind.RATCHET, k, "request " + i);
        }
        assertEquals(before, draws());
    }

    @Test
    void aQkdSessionGetsOneFreshQkdKeyPerIntervalForItsRequests() throws Exception {
        fx = new QkdFixture(KmeSettings.defaults());
        EnginePair p = Fixtures.established(fx.client(QkdPolicy.PREFER), fx.server(QkdPolicy.PREFER), "qkd-rate");
        assertEquals(List.of(KEM, "qkd"), p.server.session().keySources());
        int before = fx.kme.kmeB().requestCount("enc_keys");
        for (int i = 1; i <= 5; i++) {
            p.now = i * SECOND;
            clientAsksFresh(p);
        }
        assertEquals(before + 1, fx.kme.kmeB().requestCount("enc_keys"), "one server-side draw for five requests");
    }

    @Test
    void noDecKeysForAClientHelloWhoseOtherOffersFail() throws Exception {
        fx = new QkdFixture(KmeSettings.defaults());
        // No common AEAD: the client's QKD offer (a real key ID) must not make the server call dec_keys.
        EnginePair p = new EnginePair(fx.client(QkdPolicy.PREFER).aeadSuites(List.of(AeadSuite.CHACHA20_POLY1305)).build(),
                fx.server(QkdPolicy.PREFER).aeadSuites(List.of(AeadSuite.AES_256_GCM)).build(), "no-aead").handshake();
        assertEquals(QspError.NO_COMMON_SUITE, p.serverError.error());
        assertEquals(1, fx.kme.kmeA().requestCount("enc_keys"), "the client did draw its key");
        assertEquals(0, fx.kme.kmeB().requestCount("dec_keys"));
        // No common KEM: the QKD offer comes first in the ClientHello, still no dec_keys.
        KeySource qkd = fx.source(QkdPolicy.PREFER, SAE_A, SAE_B);
        EnginePair q = new EnginePair(Fixtures.client().keySources(List.of(qkd, new MlKemTestSource("other-kem", new SeededRandom("k")))).build(),
                fx.server(QkdPolicy.PREFER).build(), "no-kem").handshake();
        assertEquals(QspError.NO_COMMON_SUITE, q.serverError.error());
        assertEquals("no common KEM", q.serverError.detail());
        assertEquals(0, fx.kme.kmeB().requestCount("dec_keys"));
    }

    @Test
    void theKmeDrawBudgetMakesPreferFallBackAndRequireFailOnlyThatHandshake() throws Exception {
        fx = new QkdFixture(KmeSettings.defaults());
        AtomicLong clock = new AtomicLong();
        QkdKeySource prefer = new QkdKeySource(QkdPolicy.PREFER, fx.client(SAE_B, SAE_A), SAE_A, 256,
                new KmeDrawBudget(1, clock::get));
        QspEngineConfig.Builder server = Fixtures.server().keySources(List.of(Fixtures.kem("server"), prefer));
        EnginePair first = Fixtures.established(fx.client(QkdPolicy.PREFER), server, "budget-1");
        assertEquals(List.of(KEM, "qkd"), first.server.session().keySources());
        EnginePair second = Fixtures.established(fx.client(QkdPolicy.PREFER), server, "budget-2");
        assertEquals(List.of(KEM), second.server.session().keySources(), "budget spent: PREFER falls back");
        KeySourceInfo info = second.server.session().keySourceInfo().get(1);
        assertFalse(info.contributed());
        assertTrue(info.detail().startsWith("fallback: responder SAE_B UNAVAILABLE RATE_LIMITED"), info.detail());
        assertEquals(1, fx.kme.kmeB().requestCount("dec_keys"), "the second key ID was not looked up");
        assertEquals(1, prefer.budget().refused());
        clock.set(SECOND); // refilled
        EnginePair third = Fixtures.established(fx.client(QkdPolicy.PREFER), server, "budget-3");
        assertEquals(List.of(KEM, "qkd"), third.server.session().keySources());

        QkdKeySource require = new QkdKeySource(QkdPolicy.REQUIRE, fx.client(SAE_B, SAE_A), SAE_A, 256,
                new KmeDrawBudget(1, clock::get));
        QspEngineConfig.Builder strict = Fixtures.server().keySources(List.of(Fixtures.kem("server"), require));
        Fixtures.established(fx.client(QkdPolicy.REQUIRE), strict, "budget-4");
        EnginePair failed = new EnginePair(fx.client(QkdPolicy.REQUIRE).build(), strict.build(), "budget-5").handshake();
        assertEquals(QspError.QKD_UNAVAILABLE, failed.serverError.error());
        assertTrue(failed.serverError.getMessage().contains("RATE_LIMITED"), failed.serverError.getMessage());
    }
}
