package dev.qsp.kme;

import static dev.qsp.kme.KmePair.SAE_A;
import static dev.qsp.kme.KmePair.SAE_B;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qsp.keysources.qkd.QkdException;
import dev.qsp.keysources.qkd.QkdKeySource;
import dev.qsp.keysources.qkd.QkdOffer;
import dev.qsp.keysources.qkd.QkdPolicy;
import dev.qsp.keysources.qkd.QkdReply;
import dev.qsp.keysources.KeySource;
import dev.qsp.keysources.qkd.QkdException.Reason;
import dev.qsp.keysources.qkd.QkdOffer.Kind;
import dev.qsp.kme.KmeSettings;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** QKD source exchanges through the embedded KME pair over real mutual-TLS HTTPS (SPEC.md §5.2-5.4). */
class QkdKeySourceTest {
    private QkdFixture fx;

    @BeforeEach
    void start() throws Exception {
        fx = new QkdFixture();
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    @Test
    void initiatorAndResponderDeriveTheSameKeyThroughTwoKmes() throws Exception {
        QkdKeySource a = fx.sourceA(QkdPolicy.REQUIRE);
        QkdKeySource b = fx.sourceB(QkdPolicy.REQUIRE);
        assertEquals("qkd", a.id());
        assertEquals(KeySource.Slot.QKD, a.slot());

        KeySource.Initiation init = a.initiate();
        QkdOffer offer = QkdOffer.parse(init.offer());
        assertEquals(Kind.KEY, offer.kind());
        assertEquals(SAE_A, offer.masterSaeId());
        assertEquals(256, offer.keySizeBits());

        KeySource.Response resp = b.respond(init.offer());
        QkdReply reply = QkdReply.parse(resp.reply());
        assertEquals(new QkdReply(Kind.KEY, SAE_B, offer.keyId(), null), reply);
        byte[] secretA = init.complete(resp.reply());

        // The KME pool draws the key, then the key ID, from the seeded generator.
        byte[] expectedKey = new byte[32];
        java.security.SecureRandom r = QkdFixture.seeded(QkdFixture.KEY_SEED);
        r.nextBytes(expectedKey);
        byte[] idBytes = new byte[16];
        r.nextBytes(idBytes);
        assertArrayEquals(expectedKey, secretA);
        assertArrayEquals(expectedKey, resp.secret());
        assertTrue(resp.contributed());
        String hex = HexFormat.of().formatHex(idBytes);
        assertEquals(hex.substring(0, 8), offer.keyId().substring(0, 8));
        assertEquals(1, fx.pair.kmeA().requestCount("status"));
        assertEquals(1, fx.pair.kmeA().requestCount("enc_keys"));
        assertEquals(1, fx.pair.kmeB().requestCount("dec_keys"));
        assertEquals(0, fx.pair.kmeB().requestCount("enc_keys"));
    }

    @Test
    void eitherSideCanBeMasterSoTheServerCanInitiateAFreshRekey() throws Exception {
        QkdKeySource a = fx.sourceA(QkdPolicy.REQUIRE);
        QkdKeySource b = fx.sourceB(QkdPolicy.REQUIRE);
        KeySource.Initiation init = b.initiate();
        assertEquals(SAE_B, QkdOffer.parse(init.offer()).masterSaeId());
        KeySource.Response resp = a.respond(init.offer());
        assertArrayEquals(resp.secret(), init.complete(resp.reply()));
        assertEquals(32, resp.secret().length);
        assertEquals(1, fx.pair.kmeB().requestCount("enc_keys"));
        assertEquals(1, fx.pair.kmeA().requestCount("dec_keys"));
    }

    @Test
    void eachExchangeGetsAFreshKey() throws Exception {
        QkdKeySource a = fx.sourceA(QkdPolicy.REQUIRE);
        QkdKeySource b = fx.sourceB(QkdPolicy.REQUIRE);
        KeySource.Initiation i1 = a.initiate();
        byte[] s1 = b.respond(i1.offer()).secret();
        KeySource.Initiation i2 = a.initiate();
        byte[] s2 = b.respond(i2.offer()).secret();
        assertFalse(java.util.Arrays.equals(s1, s2));
        assertFalse(QkdOffer.parse(i1.offer()).keyId().equals(QkdOffer.parse(i2.offer()).keyId()));
    }

    @Test
    void aReplayedOfferIsRefusedWithoutASecondDecKeys() throws Exception {
        QkdKeySource a = fx.sourceA(QkdPolicy.REQUIRE);
        QkdKeySource b = fx.sourceB(QkdPolicy.PREFER);
        byte[] offer = a.initiate().offer();
        b.respond(offer);
        QkdException e = assertThrows(QkdException.class, () -> b.respond(offer));
        assertEquals(Reason.KEY_ID_REPLAYED, e.reason()); // even under PREFER: a replay is not an outage
        assertEquals(1, fx.pair.kmeB().requestCount("dec_keys"));
    }

    @Test
    void aKeyIsDeliveredOnceEvenToAnotherClientOfTheSameSae() throws Exception {
        byte[] offer = fx.sourceA(QkdPolicy.REQUIRE).initiate().offer();
        fx.sourceB(QkdPolicy.REQUIRE).respond(offer);
        QkdException e = assertThrows(QkdException.class, () -> fx.sourceB(QkdPolicy.REQUIRE).respond(offer));
        assertEquals(Reason.KEY_NOT_FOUND, e.reason());
        assertTrue(e.getMessage().contains("HTTP 400"), e.getMessage());
        assertTrue(e.getMessage().contains("already delivered"), e.getMessage());
    }

    @Test
    void anUnknownKeyIdIsKeyNotFound() throws Exception {
        byte[] offer = QkdOffer.key(SAE_A, 256, "0b5e1b7e-3a4f-4c1d-9e2a-5d6c7b8a9f00").encode();
        QkdException e = assertThrows(QkdException.class, () -> fx.sourceB(QkdPolicy.REQUIRE).respond(offer));
        assertEquals(Reason.KEY_NOT_FOUND, e.reason());
        assertTrue(e.getMessage().contains("0b5e1b7e-3a4f-4c1d-9e2a-5d6c7b8a9f00"), e.getMessage());
    }

    @Test
    void requireFailsClosedOnAnEmptyPool() throws Exception {
        fx.pair.settings(KmeSettings.defaults().withPool(4, false));
        fx.pair.drain(SAE_A, SAE_B);
        QkdException e = assertThrows(QkdException.class, () -> fx.sourceA(QkdPolicy.REQUIRE).initiate());
        assertEquals(Reason.POOL_EMPTY, e.reason());
        assertEquals(3, fx.pair.kmeA().requestCount("enc_keys"), "the count is advisory: enc_keys is asked (503 retried)");
    }

    @Test
    void preferFallsBackVisiblyOnAnEmptyPool() throws Exception {
        fx.pair.settings(KmeSettings.defaults().withPool(4, false));
        fx.pair.drain(SAE_A, SAE_B);
        KeySource.Initiation init = fx.sourceA(QkdPolicy.PREFER).initiate();
        QkdOffer offer = QkdOffer.parse(init.offer());
        assertEquals(QkdOffer.unavailable(SAE_A, Reason.POOL_EMPTY), offer);
        assertArrayEquals(HexFormat.of().parseHex("0102" + "05" + HexFormat.of().formatHex(SAE_A.getBytes()) + "06"),
                init.offer());

        KeySource.Response resp = fx.sourceB(QkdPolicy.PREFER).respond(init.offer());
        assertEquals(QkdReply.unavailable(SAE_B, Reason.PEER_UNAVAILABLE), QkdReply.parse(resp.reply()));
        assertFalse(resp.contributed());
        assertEquals(0, init.complete(resp.reply()).length);
        assertEquals(0, fx.pair.kmeB().requestCount("dec_keys"));

        QkdException e = assertThrows(QkdException.class, () -> fx.sourceB(QkdPolicy.REQUIRE).respond(init.offer()));
        assertEquals(Reason.PEER_UNAVAILABLE, e.reason());
        assertTrue(e.getMessage().contains("POOL_EMPTY"), e.getMessage());
    }

    @Test
    void peerKmeNotHavingTheKeyYet() throws Exception {
        fx.pair.holdRelay(true);
        KeySource.Initiation strict = fx.sourceA(QkdPolicy.REQUIRE).initiate();
        QkdException e = assertThrows(QkdException.class, () -> fx.sourceB(QkdPolicy.REQUIRE).respond(strict.offer()));
        assertEquals(Reason.KEY_NOT_FOUND, e.reason());
        assertTrue(e.getMessage().contains("not yet relayed"), e.getMessage());

        // PREFER responder: the failure is signalled, and the REQUIRE initiator then fails closed.
        KeySource.Initiation init = fx.sourceA(QkdPolicy.REQUIRE).initiate();
        KeySource.Response resp = fx.sourceB(QkdPolicy.PREFER).respond(init.offer());
        assertEquals(QkdReply.unavailable(SAE_B, Reason.KEY_NOT_FOUND), QkdReply.parse(resp.reply()));
        QkdException e2 = assertThrows(QkdException.class, () -> init.complete(resp.reply()));
        assertEquals(Reason.PEER_UNAVAILABLE, e2.reason());
        assertTrue(e2.getMessage().contains("KEY_NOT_FOUND"), e2.getMessage());

        // PREFER on both sides: KEM-only, signalled.
        KeySource.Initiation soft = fx.sourceA(QkdPolicy.PREFER).initiate();
        KeySource.Response resp2 = fx.sourceB(QkdPolicy.PREFER).respond(soft.offer());
        assertEquals(0, soft.complete(resp2.reply()).length);
        // Once relayed, a later exchange works again (no key ID was asked twice).
        fx.pair.holdRelay(false);
        KeySource.Initiation ok = fx.sourceA(QkdPolicy.REQUIRE).initiate();
        assertEquals(32, fx.sourceB(QkdPolicy.REQUIRE).respond(ok.offer()).secret().length);
    }

    @Test
    void secondEncKeysDiscardingUnconsumedKeys() throws Exception {
        fx.pair.settings(KmeSettings.defaults().withDiscardUnconsumedOnEncKeys(true));
        QkdKeySource a = fx.sourceA(QkdPolicy.REQUIRE);
        QkdKeySource b = fx.sourceB(QkdPolicy.REQUIRE);
        KeySource.Initiation first = a.initiate();
        KeySource.Initiation second = a.initiate(); // this KME drops the first, unclaimed key
        QkdException e = assertThrows(QkdException.class, () -> b.respond(first.offer()));
        assertEquals(Reason.KEY_NOT_FOUND, e.reason());
        KeySource.Response resp = b.respond(second.offer());
        assertArrayEquals(resp.secret(), second.complete(resp.reply()));
        first.destroy();
    }

    @Test
    void offerFromAnUnexpectedSaeIsRefusedBeforeAnyKmeCall() throws Exception {
        byte[] offer = fx.sourceA(QkdPolicy.REQUIRE).initiate().offer();
        QkdKeySource expectsC = fx.source(QkdPolicy.PREFER, SAE_B, "SAE_C");
        QkdException e = assertThrows(QkdException.class, () -> expectsC.respond(offer));
        assertEquals(Reason.SAE_MISMATCH, e.reason());
        assertTrue(e.getMessage().contains("SAE_A") && e.getMessage().contains("SAE_C"), e.getMessage());
        assertEquals(0, fx.pair.kmeB().requestCount("dec_keys"));
    }

    @Test
    void replyFromAnUnexpectedSaeIsRefused() throws Exception {
        KeySource.Initiation init = fx.sourceA(QkdPolicy.REQUIRE).initiate();
        String id = QkdOffer.parse(init.offer()).keyId();
        QkdException e = assertThrows(QkdException.class, () -> init.complete(QkdReply.ack("SAE_C", id).encode()));
        assertEquals(Reason.SAE_MISMATCH, e.reason());
    }

    @Test
    void replyAcknowledgingAnotherKeyIsRefused() throws Exception {
        KeySource.Initiation init = fx.sourceA(QkdPolicy.REQUIRE).initiate();
        QkdException e = assertThrows(QkdException.class,
                () -> init.complete(QkdReply.ack(SAE_B, "0b5e1b7e-3a4f-4c1d-9e2a-5d6c7b8a9f00").encode()));
        assertEquals(Reason.MALFORMED_REPLY, e.reason());
        assertThrows(IllegalStateException.class, () -> init.complete(new byte[0])); // one completion only
    }

    @Test
    void offeredKeySizeMustMatchTheResponderConfiguration() throws Exception {
        byte[] offer = fx.sourceA(QkdPolicy.REQUIRE).initiate().offer();
        QkdKeySource b512 = new QkdKeySource(QkdPolicy.PREFER, fx.client(SAE_B, SAE_A), SAE_A, 512);
        QkdException e = assertThrows(QkdException.class, () -> b512.respond(offer));
        assertEquals(Reason.BAD_KEY_SIZE, e.reason());
        assertEquals(0, fx.pair.kmeB().requestCount("dec_keys"));
    }

    @Test
    void keySizeOutsideTheKmeLimitsIsRefusedBeforeEncKeys() throws Exception {
        fx.pair.settings(new KmeSettings(128, 64, 128, 100, 1, true, 503, false));
        QkdException e = assertThrows(QkdException.class, () -> fx.sourceA(QkdPolicy.REQUIRE).initiate());
        assertEquals(Reason.BAD_KEY_SIZE, e.reason());
        assertTrue(e.getMessage().contains("64..128"), e.getMessage());
        assertEquals(0, fx.pair.kmeA().requestCount("enc_keys"));
    }

    @Test
    void disabledPolicy() throws Exception {
        assertFalse(fx.sourceA(QkdPolicy.DISABLED).initiates());
        KeySource.Initiation off = fx.sourceA(QkdPolicy.DISABLED).initiate(); // fresh rekey after a DISABLED answer
        assertEquals(QkdOffer.unavailable(SAE_A, Reason.POLICY_DISABLED), QkdOffer.parse(off.offer()));
        assertEquals(0, fx.pair.kmeA().requestCount("status") + fx.pair.kmeA().requestCount("enc_keys"));
        KeySource.Initiation init = fx.sourceA(QkdPolicy.PREFER).initiate();
        KeySource.Response resp = fx.sourceB(QkdPolicy.DISABLED).respond(init.offer());
        assertEquals(QkdReply.unavailable(SAE_B, Reason.POLICY_DISABLED), QkdReply.parse(resp.reply()));
        assertEquals(0, resp.secret().length);
        assertEquals(0, init.complete(resp.reply()).length);
        assertEquals(0, fx.pair.kmeB().requestCount("dec_keys"));

        KeySource.Initiation strict = fx.sourceA(QkdPolicy.REQUIRE).initiate();
        byte[] reply = fx.sourceB(QkdPolicy.DISABLED).respond(strict.offer()).reply();
        assertEquals(Reason.PEER_UNAVAILABLE, assertThrows(QkdException.class, () -> strict.complete(reply)).reason());
    }

    @Test
    void unavailableOfferMustGetAnUnavailableReply() throws Exception {
        byte[] offer = QkdOffer.unavailable(SAE_A, Reason.TIMEOUT).encode();
        KeySource.Response resp = fx.sourceB(QkdPolicy.PREFER).respond(offer);
        assertEquals(QkdReply.unavailable(SAE_B, Reason.PEER_UNAVAILABLE), QkdReply.parse(resp.reply()));
    }

    @Test
    void toStringsShowNoKeyBytes() throws Exception {
        KeySource.Initiation init = fx.sourceA(QkdPolicy.REQUIRE).initiate();
        KeySource.Response resp = fx.sourceB(QkdPolicy.REQUIRE).respond(init.offer());
        String hex = HexFormat.of().formatHex(resp.secret());
        String b64 = java.util.Base64.getEncoder().encodeToString(resp.secret());
        for (String s : new String[] {init.toString(), resp.toString(), fx.sourceA(QkdPolicy.REQUIRE).toString()}) {
            assertFalse(s.contains(hex) || s.contains(b64), s);
        }
    }

    @Test
    void peerAbsenceFollowsThePolicy() throws Exception {
        QkdException e = assertThrows(QkdException.class, () -> fx.sourceA(QkdPolicy.REQUIRE).peerAbsent());
        assertEquals(Reason.PEER_UNAVAILABLE, e.reason());
        assertTrue(e.unavailable());
        fx.sourceA(QkdPolicy.PREFER).peerAbsent();
        fx.sourceA(QkdPolicy.DISABLED).peerAbsent();
    }

    @Test
    void outagesAreUnavailableMismatchesAreNot() {
        assertTrue(new QkdException(Reason.KME_UNREACHABLE, "x").unavailable());
        assertTrue(new QkdException(Reason.KEY_NOT_FOUND, "x").unavailable());
        assertFalse(new QkdException(Reason.SAE_MISMATCH, "x").unavailable());
        assertFalse(new QkdException(Reason.MALFORMED_OFFER, "x").unavailable());
        assertFalse(new QkdException(Reason.KEY_ID_REPLAYED, "x").unavailable());
    }

    @Test
    void describeNamesTheKeyIdOrTheFallbackTheSameAtBothEnds() throws Exception {
        QkdKeySource a = fx.sourceA(QkdPolicy.PREFER);
        QkdKeySource b = fx.sourceB(QkdPolicy.PREFER);
        KeySource.Initiation init = a.initiate();
        byte[] offer = init.offer();
        KeySource.Response r = b.respond(offer);
        String keyId = QkdOffer.parse(offer).keyId();
        assertEquals("key_ID=" + keyId + " (256 bits, SAE_A -> SAE_B)", a.describe(offer, r.reply()));
        assertEquals(a.describe(offer, r.reply()), b.describe(offer, r.reply()));
        init.destroy();
        r.destroy();
        byte[] down = QkdOffer.unavailable(SAE_A, Reason.TIMEOUT).encode();
        byte[] reply = QkdReply.unavailable(SAE_B, Reason.PEER_UNAVAILABLE).encode();
        assertEquals("fallback: initiator SAE_A UNAVAILABLE TIMEOUT", a.describe(down, reply));
        assertEquals("unparsable QKD exchange", a.describe(new byte[] {1}, reply));
    }
}
