package dev.qsp.sockets.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qsp.sockets.QspError;
import dev.qsp.sockets.QspHandshakeException;
import dev.qsp.sockets.QspProtocolException;
import org.junit.jupiter.api.Test;

/**
 * The server's rekey triggers and request handling at their exact edges (SPEC.md §4.10): the byte limit for data
 * the server itself sends, limits of 0 meaning none, the request rate limit from a clock that does not start at 0,
 * and a REKEY_REQUEST that crosses the server's own REKEY_INIT.
 */
class RekeyTriggerTest {

    @Test
    void byteTriggerFiresAtTheExactByteTheServerSends() throws Exception {
        EnginePair p = Fixtures.established(Fixtures.client(),
                Fixtures.server().rekeyPolicy(RekeyPolicy.DEFAULT.withByteLimit(100)), "send-bytes");
        byte[] d = new byte[99];
        p.server.writeApplicationData(d, 0, 60, 0);
        p.server.writeApplicationData(d, 0, 39, 0);
        assertFalse(p.server.isRekeyInFlight(), "99 bytes sent, the limit is 100");
        p.server.writeApplicationData(d, 0, 1, 0);
        assertTrue(p.server.isRekeyInFlight(), "the 100th byte the server sends starts the rekey");
        p.pump();
        assertNull(p.clientError);
        assertEquals(1, p.server.rekeyCount());
        assertEquals(1, p.client.rekeyCount());
        assertEquals(100, p.clientReceived.size());
        // The count starts again in the new epoch; REKEY and CLOSE frames are not application bytes.
        p.server.writeApplicationData(d, 0, 99, 0);
        assertFalse(p.server.isRekeyInFlight());
    }

    @Test
    void recordLayerCountsOnlyApplicationBytes() throws Exception {
        RecordLayer r = new RecordLayer();
        r.installSend(AeadSuite.AES_256_GCM, 0, new javax.crypto.spec.SecretKeySpec(new byte[32], "AES"));
        ByteQueue out = new ByteQueue(64);
        byte[] p = new byte[300];
        r.seal(FrameType.APP_DATA, p, 0, 300, out, Long.MAX_VALUE);
        r.seal(FrameType.APP_DATA, p, 0, 7, out, Long.MAX_VALUE);
        r.seal(FrameType.REKEY, p, 0, 11, out, Long.MAX_VALUE);
        assertEquals(307, r.sendBytes());
        assertEquals(3, r.sendSeq());
        r.installSend(AeadSuite.AES_256_GCM, 1, new javax.crypto.spec.SecretKeySpec(new byte[32], "AES"));
        assertEquals(0, r.sendBytes(), "a new epoch counts from 0");
        assertEquals(0, r.sendSeq());
    }

    @Test
    void zeroByteAndTimeLimitsMeanNone() throws Exception {
        EnginePair p = Fixtures.established(Fixtures.client(),
                Fixtures.server().rekeyPolicy(RekeyPolicy.DEFAULT.withByteLimit(0).withTimeLimitNanos(0)), "zero-limits");
        byte[] d = new byte[Frames.MAX_PLAINTEXT];
        p.server.writeApplicationData(d, 0, d.length, 0);
        p.client.writeApplicationData(d, 0, d.length, 0);
        p.pump();
        p.now = Long.MAX_VALUE / 2;
        p.server.tick(p.now);
        assertFalse(p.server.isRekeyInFlight());
        p.pump();
        assertEquals(0, p.server.rekeyCount());
    }

    @Test
    void timeTriggerCountsFromTheEpochStartNotFromZero() throws Exception {
        EnginePair p = new EnginePair(Fixtures.client().build(),
                Fixtures.server().rekeyPolicy(RekeyPolicy.DEFAULT.withTimeLimitNanos(1_000)).build(), "time-t0");
        p.now = 7_000_000_000L;
        p.handshake();
        assertTrue(p.server.isHandshakeComplete());
        p.server.tick(7_000_000_999L);
        assertFalse(p.server.isRekeyInFlight());
        p.server.tick(7_000_001_000L);
        assertTrue(p.server.isRekeyInFlight());
    }

    @Test
    void requestRateLimitFromAClockThatDoesNotStartAtZero() throws Exception {
        // Default minimum interval: 1 s. The first request is honoured whenever it comes, even 0.5 s in.
        EnginePair p = Fixtures.established(Fixtures.client(), Fixtures.server(), "rate-t");
        p.now = 500_000_000L;
        assertTrue(p.client.requestRekey(RekeyKind.RATCHET, p.now));
        p.pump();
        assertNull(p.serverError);
        assertEquals(1, p.server.rekeyCount());
        p.now = 1_499_999_999L; // 1 ns short of 1 s after the first
        assertTrue(p.client.requestRekey(RekeyKind.RATCHET, p.now));
        p.pump();
        assertEquals(QspError.REKEY_REFUSED, p.serverError.error());
    }

    @Test
    void requestExactlyOneIntervalLaterIsHonoured() throws Exception {
        EnginePair p = Fixtures.established(Fixtures.client(), Fixtures.server(), "rate-edge");
        p.now = 3_000_000_000L;
        assertTrue(p.client.requestRekey(RekeyKind.RATCHET, p.now));
        p.pump();
        p.now = 4_000_000_000L;
        assertTrue(p.client.requestRekey(RekeyKind.RATCHET, p.now));
        p.pump();
        assertNull(p.serverError);
        assertEquals(2, p.server.rekeyCount());
        assertEquals(2, p.client.rekeyCount());
    }

    @Test
    void requestCrossingTheServersInitIsAnsweredByThatRekey() throws Exception {
        EnginePair p = Fixtures.established(Fixtures.client(), Fixtures.server(), "cross");
        assertTrue(p.server.requestRekey(RekeyKind.RATCHET, 0));
        assertTrue(p.client.requestRekey(RekeyKind.FRESH, 0), "the client has not seen the INIT yet");
        p.pump();
        assertNull(p.serverError);
        assertNull(p.clientError);
        assertEquals(1, p.server.rekeyCount(), "the request was absorbed by the rekey in flight");
        assertEquals(1, p.client.rekeyCount());
        assertEquals(RekeyKind.RATCHET, p.client.lastRekeyKind());
        assertFalse(p.server.isRekeyInFlight());
        // Absorbing it did not count as honouring one: a new request 0 s later is still answered (t = 0 twice).
        assertTrue(p.client.requestRekey(RekeyKind.RATCHET, 0));
        p.pump();
        assertNull(p.serverError);
        assertEquals(2, p.server.rekeyCount());
    }

    @Test
    void handshakeDeadlineOnTheReceivePath() throws Exception {
        QspEngine c = QspEngine.client(Fixtures.client().build(), new SeededRandom("deadline:c"));
        QspEngine s = QspEngine.server(Fixtures.server().handshakeTimeoutNanos(1_000_000_000L).build(), new SeededRandom("deadline:s"));
        s.start(0);
        c.start(0);
        byte[] hello = EnginePair.drainAll(c);
        s.receive(hello, 0, hello.length, 10);
        byte[] flight = EnginePair.drainAll(s);
        c.receive(flight, 0, flight.length, 10);
        byte[] fin = EnginePair.drainAll(c);
        QspHandshakeException e = assertThrows(QspHandshakeException.class, () -> s.receive(fin, 0, fin.length, 1_000_000_000L));
        assertEquals(QspError.HANDSHAKE_TIMEOUT, e.error());
        assertFalse(s.isHandshakeComplete());
        assertTrue(s.isClosed());
    }

    @Test
    void handshakeOneNanosecondBeforeTheDeadlineCompletes() throws Exception {
        QspEngine c = QspEngine.client(Fixtures.client().build(), new SeededRandom("deadline2:c"));
        QspEngine s = QspEngine.server(Fixtures.server().handshakeTimeoutNanos(1_000_000_000L).build(), new SeededRandom("deadline2:s"));
        s.start(0);
        c.start(0);
        byte[] hello = EnginePair.drainAll(c);
        s.receive(hello, 0, hello.length, 10);
        byte[] flight = EnginePair.drainAll(s);
        c.receive(flight, 0, flight.length, 10);
        byte[] fin = EnginePair.drainAll(c);
        s.receive(fin, 0, fin.length, 999_999_999L);
        assertTrue(s.isHandshakeComplete());
    }

    @Test
    void startAfterAbortIsRefused() {
        QspEngine s = QspEngine.server(serverConfig(), new SeededRandom("abort-start"));
        s.abort();
        assertThrows(IllegalStateException.class, () -> s.start(0));
    }

    private static QspEngineConfig serverConfig() {
        try {
            return Fixtures.server().build();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void rekeyRefusedAfterClose() throws Exception {
        EnginePair p = Fixtures.established(Fixtures.client(), Fixtures.server(), "closed-rekey");
        p.server.closeOutbound();
        assertThrows(IllegalStateException.class, () -> p.server.requestRekey(RekeyKind.RATCHET, 0));
        QspProtocolException none = p.server.failure().orElse(null);
        assertNull(none);
    }
}
