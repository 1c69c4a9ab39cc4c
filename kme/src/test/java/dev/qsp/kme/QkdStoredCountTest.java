package dev.qsp.kme;

import static dev.qsp.kme.KmePair.SAE_A;
import static dev.qsp.kme.KmePair.SAE_B;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.qsp.keysources.qkd.QkdClient;
import dev.qsp.keysources.qkd.QkdException;
import dev.qsp.keysources.qkd.QkdKeySource;
import dev.qsp.keysources.qkd.QkdPolicy;
import dev.qsp.keysources.KeySource;
import dev.qsp.keysources.qkd.QkdException.Reason;
import dev.qsp.kme.KmeFault;
import dev.qsp.kme.KmeSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code stored_key_count} is advisory (ETSI GS QKD 014 §6.1, SPEC.md §5.2): the initiator asks enc_keys whatever
 * the status counts, and only an enc_keys that then finds no key (400 or 503) is POOL_EMPTY.
 */
class QkdStoredCountTest {
    private QkdFixture fx;

    @AfterEach
    void stop() {
        if (fx != null) fx.close();
    }

    @Test
    void aKmeCountingOnlyUnclaimedKeysReportsZeroYetDeliversKeys() throws Exception {
        fx = new QkdFixture(KmeSettings.defaults().withCountOnlyUnclaimedKeys(true));
        QkdClient a = fx.client(SAE_A, SAE_B);
        assertEquals(0, a.status(SAE_B).storedKeyCount(), "hundreds in the pool, none delivered yet");
        KeySource.Initiation init = fx.sourceA(QkdPolicy.REQUIRE).initiate();
        assertEquals(1, a.status(SAE_B).storedKeyCount(), "one delivered to SAE_A, not yet claimed by SAE_B");
        KeySource.Response resp = fx.sourceB(QkdPolicy.REQUIRE).respond(init.offer());
        assertEquals(0, a.status(SAE_B).storedKeyCount());
        byte[] secret = resp.secret();
        assertEquals(32, secret.length);
        assertArrayEquals(secret, init.complete(resp.reply()));
    }

    @Test
    void anEmptyPoolAnswered503IsPoolEmptyAfterAskingEncKeys() throws Exception {
        fx = new QkdFixture(KmeSettings.defaults().withPool(4, false).withEmptyPoolStatus(503));
        fx.pair.drain(SAE_A, SAE_B);
        QkdException e = assertThrows(QkdException.class, () -> fx.sourceA(QkdPolicy.REQUIRE).initiate());
        assertEquals(Reason.POOL_EMPTY, e.reason());
        assertEquals(3, fx.pair.kmeA().requestCount("enc_keys"), "asked, and 503 is retried");
        assertEquals(Reason.SERVICE_UNAVAILABLE, ((QkdException) e.getCause()).reason());
        assertEquals("QKD POOL_EMPTY: KME KME_A has no key for SAE_A -> SAE_B (status stored_key_count 0, then"
                + " QKD SERVICE_UNAVAILABLE: HTTP 503 from enc_keys at 127.0.0.1:" + fx.pair.kmeA().port()
                + ", KME says: \"insufficient keys: 1 requested, 0 stored for SAE_A -> SAE_B\" (after 3 attempt(s)))",
                e.getMessage());
    }

    @Test
    void anEmptyPoolAnswered400IsPoolEmptyToo() throws Exception {
        fx = new QkdFixture(KmeSettings.defaults().withPool(4, false).withEmptyPoolStatus(400));
        fx.pair.drain(SAE_A, SAE_B);
        QkdException e = assertThrows(QkdException.class, () -> fx.sourceA(QkdPolicy.REQUIRE).initiate());
        assertEquals(Reason.POOL_EMPTY, e.reason());
        assertEquals(Reason.BAD_REQUEST, ((QkdException) e.getCause()).reason());
        assertEquals(1, fx.pair.kmeA().requestCount("enc_keys"));
    }

    @Test
    void aBadRequestWhileKeysAreCountedStaysABadRequest() throws Exception {
        fx = new QkdFixture();
        QkdKeySource a = fx.sourceA(QkdPolicy.REQUIRE);
        fx.pair.kmeA().inject(new KmeFault.Stall(new java.util.concurrent.CountDownLatch(0))); // status: answered normally
        fx.pair.kmeA().inject(KmeFault.Respond.json(400, "{\"message\":\"size not supported\"}"));
        QkdException e = assertThrows(QkdException.class, a::initiate);
        assertEquals(Reason.BAD_REQUEST, e.reason(), e.getMessage());
    }
}
