package dev.qsp.sockets.engine;

import static dev.qsp.kme.KmePair.SAE_A;
import static dev.qsp.kme.KmePair.SAE_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qsp.keysources.KeySource;
import dev.qsp.keysources.qkd.QkdException;
import dev.qsp.keysources.qkd.QkdPolicy;
import dev.qsp.kme.KmeSettings;
import dev.qsp.sockets.QspError;
import dev.qsp.sockets.QspHandshakeException;
import dev.qsp.sockets.QspProtocolException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * QKD in the handshake and in fresh rekeys, end to end: two engines, each with a test KEM and a QKD source that
 * talks HTTPS with mutual TLS to the embedded simulated KME pair (SPEC.md §5). The client is SAE_A (master in a
 * handshake), the server SAE_B (master in a fresh rekey).
 */
class QkdHandshakeTest {
    private static final String KEM = "test-mlkem768";
    private static final Pattern KEY_ID = Pattern.compile(
            "key_ID=([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}) \\(256 bits, (\\S+) -> (\\S+)\\)");

    private QkdFixture fx;

    private QkdFixture kme(KmeSettings settings) throws Exception {
        fx = new QkdFixture(settings);
        return fx;
    }

    private QkdFixture kme() throws Exception {
        return kme(KmeSettings.defaults());
    }

    @AfterEach
    void close() {
        if (fx != null) fx.close();
    }

    private static KeySourceInfo qkdInfo(List<KeySourceInfo> infos) {
        for (KeySourceInfo i : infos) if (i.id().equals("qkd")) return i;
        throw new AssertionError("no qkd entry in " + infos);
    }

    /** The key ID a contributing QKD exchange names, checking master and slave. */
    private static String keyId(KeySourceInfo info, String master, String slave) {
        assertTrue(info.contributed(), info.toString());
        assertEquals(KeySource.Slot.QKD, info.slot());
        Matcher m = KEY_ID.matcher(info.detail());
        assertTrue(m.matches(), info.detail());
        assertEquals(master, m.group(2));
        assertEquals(slave, m.group(3));
        return m.group(1);
    }

    private static void assertFailed(QspProtocolException e, QspError error, boolean remote) {
        assertInstanceOf(QspHandshakeException.class, e);
        assertEquals(error, e.error(), e.getMessage());
        assertEquals(remote, e.isRemote(), e.getMessage());
    }

    private static QkdException.Reason qkdReason(QspProtocolException e) {
        Throwable t = e;
        while (t != null && !(t instanceof QkdException)) t = t.getCause();
        if (t == null) throw new AssertionError("no QkdException under " + e, e);
        return ((QkdException) t).reason();
    }

    /** One message each way; both ends decrypt what the other sealed, so they hold the same traffic keys. */
    private static void exchange(EnginePair p) throws Exception {
        p.clientReceived.reset();
        p.serverReceived.reset();
        HandshakeTest.exchange(p);
    }

    private static void freshRekey(EnginePair p) throws Exception {
        assertTrue(p.server.requestRekey(RekeyKind.FRESH, p.now));
        p.pump();
        assertNull(p.clientError);
        assertNull(p.serverError);
    }

    @Test
    void handshakeMixesTheKemAndAQkdKeyAndBothSidesShowTheKeyId() throws Exception {
        kme();
        EnginePair p = Fixtures.established(fx.client(QkdPolicy.REQUIRE), fx.server(QkdPolicy.REQUIRE), "qkd");
        assertEquals(List.of(KEM, "qkd"), p.client.session().keySources());
        assertEquals(List.of(KEM, "qkd"), p.server.session().keySources());
        String id = keyId(qkdInfo(p.client.session().keySourceInfo()), SAE_A, SAE_B);
        assertEquals(p.client.session().keySourceInfo(), p.server.session().keySourceInfo());
        assertEquals(1, fx.kme.kmeA().requestCount("enc_keys"));
        assertEquals(1, fx.kme.kmeB().requestCount("dec_keys"));
        assertEquals(36, id.length());
        exchange(p); // both derived the same traffic keys
        assertEquals(List.of(), p.client.lastFreshRekeySources());
    }

    @Test
    void eachFreshRekeyPullsANewKeyAndTheSharedPoolShrinks() throws Exception {
        kme(KmeSettings.defaults().withPool(10, false));
        assertEquals(10, fx.storedKeys());
        EnginePair p = Fixtures.established(fx.client(QkdPolicy.REQUIRE), fx.server(QkdPolicy.REQUIRE), "fresh");
        Set<String> ids = new HashSet<>();
        ids.add(keyId(qkdInfo(p.server.session().keySourceInfo()), SAE_A, SAE_B));
        assertEquals(9, fx.storedKeys());
        for (int r = 1; r <= 2; r++) {
            freshRekey(p);
            assertEquals(p.server.lastFreshRekeySources(), p.client.lastFreshRekeySources());
            assertEquals(List.of(KEM, "qkd"), p.server.lastFreshRekeySources().stream().map(KeySourceInfo::id).toList());
            // In a fresh rekey the server initiates: it is the master SAE (enc_keys at KME_B).
            assertTrue(ids.add(keyId(qkdInfo(p.server.lastFreshRekeySources()), SAE_B, SAE_A)), "key ID reused");
            assertEquals(r, p.client.rekeyCount());
            assertEquals(r, p.client.lastFreshRekeyEpoch());
            assertEquals(r, p.server.lastFreshRekeyEpoch());
            exchange(p);
        }
        assertEquals(3, ids.size());
        assertEquals(9, fx.storedKeys(), "SAE_A -> SAE_B pool: only the handshake drew from it");
        assertEquals(8, fx.client(SAE_B, SAE_A).status(SAE_A).storedKeyCount(), "SAE_B -> SAE_A: one key per fresh rekey");
        assertEquals(2, fx.kme.kmeB().requestCount("enc_keys"));
        assertEquals(2, fx.kme.kmeA().requestCount("dec_keys"));
    }

    @Test
    void aRatchetRekeyCallsNoKme() throws Exception {
        kme();
        EnginePair p = Fixtures.established(fx.client(QkdPolicy.REQUIRE), fx.server(QkdPolicy.REQUIRE), "ratchet");
        int before = fx.requests();
        assertTrue(p.server.requestRekey(RekeyKind.RATCHET, 0));
        p.pump();
        assertNull(p.clientError);
        assertEquals(1, p.client.rekeyCount());
        assertEquals(1, p.server.epoch());
        assertEquals(before, fx.requests());
        assertEquals(List.of(), p.server.lastFreshRekeySources());
        assertEquals(-1, p.client.lastFreshRekeyEpoch());
        exchange(p);
    }

    @Test
    void requireWithTheInitiatorsKmeDownFailsClosedOnBothSides() throws Exception {
        kme();
        fx.kme.kmeA().close();
        EnginePair p = new EnginePair(fx.client(QkdPolicy.REQUIRE).build(), fx.server(QkdPolicy.REQUIRE).build(),
                "a-down").handshake();
        assertFailed(p.clientError, QspError.QKD_UNAVAILABLE, false);
        assertEquals(QkdException.Reason.KME_UNREACHABLE, qkdReason(p.clientError));
        assertFailed(p.serverError, QspError.QKD_UNAVAILABLE, true);
        assertFalse(p.client.isHandshakeComplete());
        assertEquals(0, fx.kme.kmeB().requestCount("dec_keys"));
    }

    @Test
    void requireWithTheRespondersKmeDownFailsClosedOnBothSides() throws Exception {
        kme();
        fx.kme.kmeB().close();
        EnginePair p = new EnginePair(fx.client(QkdPolicy.REQUIRE).build(), fx.server(QkdPolicy.REQUIRE).build(),
                "b-down").handshake();
        assertFailed(p.serverError, QspError.QKD_UNAVAILABLE, false);
        assertEquals(QkdException.Reason.KME_UNREACHABLE, qkdReason(p.serverError));
        assertFailed(p.clientError, QspError.QKD_UNAVAILABLE, true);
    }

    @Test
    void requireWhenTheRespondersKmeDoesNotHaveTheKeyYet() throws Exception {
        kme();
        fx.kme.holdRelay(true);
        EnginePair p = new EnginePair(fx.client(QkdPolicy.REQUIRE).build(), fx.server(QkdPolicy.REQUIRE).build(),
                "relay").handshake();
        assertFailed(p.serverError, QspError.QKD_UNAVAILABLE, false);
        assertEquals(QkdException.Reason.KEY_NOT_FOUND, qkdReason(p.serverError));
        assertFailed(p.clientError, QspError.QKD_UNAVAILABLE, true);
    }

    @Test
    void requireAtTheResponderWhenTheInitiatorSignalsItsFallback() throws Exception {
        kme();
        fx.kme.kmeA().close();
        EnginePair p = new EnginePair(fx.client(QkdPolicy.PREFER).build(), fx.server(QkdPolicy.REQUIRE).build(),
                "prefer-require").handshake();
        assertFailed(p.serverError, QspError.QKD_UNAVAILABLE, false);
        assertEquals(QkdException.Reason.PEER_UNAVAILABLE, qkdReason(p.serverError));
        assertFailed(p.clientError, QspError.QKD_UNAVAILABLE, true);
    }

    @Test
    void preferWithTheInitiatorsKmeDownFallsBackInBandAndTrafficWorks() throws Exception {
        kme();
        fx.kme.kmeA().close();
        EnginePair p = Fixtures.established(fx.client(QkdPolicy.PREFER), fx.server(QkdPolicy.PREFER), "prefer");
        assertEquals(List.of(KEM), p.client.session().keySources());
        assertEquals(List.of(KEM), p.server.session().keySources());
        KeySourceInfo qkd = qkdInfo(p.client.session().keySourceInfo());
        assertEquals(new KeySourceInfo("qkd", KeySource.Slot.QKD, false,
                "fallback: initiator SAE_A UNAVAILABLE KME_UNREACHABLE"), qkd);
        assertEquals(p.client.session().keySourceInfo(), p.server.session().keySourceInfo());
        exchange(p);
        // A QKD exchange that fell back in the handshake is not tried again by this connection's fresh rekeys
        // (SPEC.md §4.10): they mix a new KEM exchange only, and no side calls its KME.
        int before = fx.requests();
        freshRekey(p);
        assertEquals(List.of(KEM), p.client.lastFreshRekeySources().stream().map(KeySourceInfo::id).toList());
        assertEquals(p.client.lastFreshRekeySources(), p.server.lastFreshRekeySources());
        assertEquals(before, fx.requests());
        exchange(p);
    }

    @Test
    void preferWithTheRespondersKmeDownFallsBackInBand() throws Exception {
        kme();
        fx.kme.kmeB().close();
        EnginePair p = Fixtures.established(fx.client(QkdPolicy.PREFER), fx.server(QkdPolicy.PREFER), "prefer-b");
        assertEquals(List.of(KEM), p.server.session().keySources());
        KeySourceInfo qkd = qkdInfo(p.server.session().keySourceInfo());
        assertFalse(qkd.contributed());
        assertTrue(qkd.detail().startsWith("fallback: responder SAE_B UNAVAILABLE KME_UNREACHABLE for key_ID="),
                qkd.detail());
        assertEquals(p.client.session().keySourceInfo(), p.server.session().keySourceInfo());
        exchange(p);
    }

    @Test
    void disabledOnBothSidesCallsNoKme() throws Exception {
        kme();
        EnginePair p = Fixtures.established(fx.client(QkdPolicy.DISABLED), fx.server(QkdPolicy.DISABLED), "off");
        assertEquals(List.of(KEM), p.client.session().keySources());
        assertEquals(List.of(KEM), p.client.session().keySourceInfo().stream().map(KeySourceInfo::id).toList());
        assertEquals(p.client.session().keySourceInfo(), p.server.session().keySourceInfo());
        freshRekey(p);
        assertEquals(List.of(KEM), p.server.lastFreshRekeySources().stream().map(KeySourceInfo::id).toList());
        assertEquals(0, fx.requests());
        exchange(p);
    }

    @Test
    void aDisabledServerAnswersUnavailableAndFreshRekeysLeaveQkdOut() throws Exception {
        kme();
        EnginePair p = Fixtures.established(fx.client(QkdPolicy.PREFER), fx.server(QkdPolicy.DISABLED), "srv-off");
        KeySourceInfo qkd = qkdInfo(p.client.session().keySourceInfo());
        assertFalse(qkd.contributed());
        assertTrue(qkd.detail().startsWith("fallback: responder SAE_B UNAVAILABLE POLICY_DISABLED"), qkd.detail());
        assertEquals(0, fx.kme.kmeB().requestCount("dec_keys"));
        int before = fx.requests();
        freshRekey(p);
        // QKD fell back in the handshake: fresh rekeys leave it out (SPEC.md §4.10)
        assertEquals(List.of(KEM), p.client.lastFreshRekeySources().stream().map(KeySourceInfo::id).toList());
        assertEquals(before, fx.requests(), "no KME call from the disabled server nor for its unavailable offer");
        exchange(p);
    }

    @Test
    void requireAgainstADisabledOrQkdLessPeerFailsClosed() throws Exception {
        kme();
        EnginePair p = new EnginePair(fx.client(QkdPolicy.REQUIRE).build(), fx.server(QkdPolicy.DISABLED).build(),
                "req-off").handshake();
        assertFailed(p.clientError, QspError.QKD_UNAVAILABLE, false);
        assertFailed(p.serverError, QspError.QKD_UNAVAILABLE, true);

        p = new EnginePair(fx.client(QkdPolicy.REQUIRE).build(), Fixtures.server().build(), "req-none").handshake();
        assertFailed(p.clientError, QspError.QKD_UNAVAILABLE, false);
        assertEquals(QkdException.Reason.PEER_UNAVAILABLE, qkdReason(p.clientError));

        p = new EnginePair(fx.client(QkdPolicy.DISABLED).build(), fx.server(QkdPolicy.REQUIRE).build(),
                "off-req").handshake();
        assertFailed(p.serverError, QspError.QKD_UNAVAILABLE, false);
        assertFailed(p.clientError, QspError.QKD_UNAVAILABLE, true);
    }

    @Test
    void aMismatchedSaeIdIsReportedAsSuchBeforeAnyDecKeys() throws Exception {
        kme();
        QspEngineConfig server = Fixtures.server().keySources(List.of(Fixtures.kem("server"),
                fx.source(QkdPolicy.PREFER, SAE_B, "SAE_C"))).build();
        EnginePair p = new EnginePair(fx.client(QkdPolicy.PREFER).build(), server, "sae").handshake();
        assertFailed(p.serverError, QspError.KEY_SOURCE_FAILED, false);
        assertEquals(QkdException.Reason.SAE_MISMATCH, qkdReason(p.serverError));
        assertTrue(p.serverError.getMessage().contains("offer is from SAE SAE_A, expected SAE_C"), p.serverError.getMessage());
        assertFailed(p.clientError, QspError.KEY_SOURCE_FAILED, true);
        assertEquals(0, fx.kme.kmeB().requestCount("dec_keys"));
    }

    /** Flips {@code mask} in the byte {@code delta} bytes after the first occurrence of {@code marker}. */
    private static byte[] flipAfter(byte[] frame, byte[] marker, int delta, int mask) {
        for (int i = 0; i + marker.length <= frame.length; i++) {
            if (java.util.Arrays.equals(frame, i, i + marker.length, marker, 0, marker.length)) {
                byte[] f = frame.clone();
                f[i + marker.length + delta] ^= (byte) mask;
                return f;
            }
        }
        throw new AssertionError("marker not found");
    }

    @Test
    void anAlteredQkdOfferFailsTheHandshake() throws Exception {
        kme();
        EnginePair p = new EnginePair(fx.client(QkdPolicy.PREFER).build(), fx.server(QkdPolicy.PREFER).build(), "alter-offer");
        // offer = 01 01 lp8("SAE_A") u16(256) key_ID: turn the UUID's version digit '4' into '5', still a valid ID.
        byte[] marker = {1, 1, 5, 'S', 'A', 'E', '_', 'A', 1, 0};
        p.interceptor = (fromClient, index, frame) ->
                EnginePair.pass(fromClient && index == 0 ? flipAfter(frame, marker, 14, 1) : frame);
        p.handshake();
        // The server asked its KME for a key that does not exist and, under PREFER, replied UNAVAILABLE; the
        // client sees that the server answered another ClientHello than it sent.
        assertFailed(p.clientError, QspError.DOWNGRADE, false);
        assertFailed(p.serverError, QspError.DOWNGRADE, true);
    }

    @Test
    void anAlteredQkdReplyFailsTheHandshake() throws Exception {
        kme();
        fx.kme.holdRelay(true); // the server's KME lacks the key: its reply is UNAVAILABLE(KEY_NOT_FOUND = 5)
        EnginePair p = new EnginePair(fx.client(QkdPolicy.PREFER).build(), fx.server(QkdPolicy.PREFER).build(), "alter-reply");
        byte[] marker = {1, 2, 5, 'S', 'A', 'E', '_', 'B'};
        p.interceptor = (fromClient, index, frame) ->
                EnginePair.pass(!fromClient && index == 0 ? flipAfter(frame, marker, 0, 2) : frame); // 5 -> 7
        p.handshake();
        assertFailed(p.clientError, QspError.BAD_SIGNATURE, false);
        assertFailed(p.serverError, QspError.BAD_SIGNATURE, true);
    }
}
