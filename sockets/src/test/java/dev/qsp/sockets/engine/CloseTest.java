package dev.qsp.sockets.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Authenticated CLOSE, half-close, clean end of stream (SPEC.md §4.11). */
class CloseTest {

    @Test
    void halfCloseKeepsTheOtherDirectionOpen() throws Exception {
        EnginePair p = Fixtures.established(Fixtures.client(), Fixtures.server(), "half");
        byte[] last = "last words".getBytes();
        p.client.writeApplicationData(last, 0, last.length, 0);
        p.client.closeOutbound();
        assertTrue(p.client.isOutboundDone());
        assertThrows(IllegalStateException.class, () -> p.client.writeApplicationData(last, 0, 1, 0));
        p.pump();
        byte[] buf = new byte[64];
        assertArrayEquals(last, p.serverReceived.toByteArray());
        assertEquals(-1, p.server.readApplicationData(buf, 0, buf.length), "clean end after the CLOSE");
        assertTrue(p.server.isInboundDone());
        assertFalse(p.server.isOutboundDone());
        byte[] answer = "answer".getBytes();
        p.server.writeApplicationData(answer, 0, answer.length, 0);
        p.server.closeOutbound();
        p.pump();
        assertArrayEquals(answer, p.clientReceived.toByteArray());
        assertEquals(-1, p.client.readApplicationData(buf, 0, buf.length));
        assertTrue(p.client.isClosed());
        assertTrue(p.server.isClosed());
        assertNull(p.clientError);
        assertNull(p.serverError);
        p.endOfStream(p.server);
        assertNull(p.serverError, "end of stream after the CLOSE is clean");
    }

    @Test
    void closeDuringRekeyStillDeliversEverything() throws Exception {
        EnginePair p = Fixtures.established(Fixtures.client(), Fixtures.server(), "close-rekey");
        byte[] d = new byte[50_000];
        new SeededRandom("d").nextBytes(d);
        p.server.requestRekey(RekeyKind.FRESH, 0);
        p.server.writeApplicationData(d, 0, d.length, 0);
        p.server.closeOutbound();
        p.pump();
        assertArrayEquals(d, p.clientReceived.toByteArray());
        assertEquals(-1, p.client.readApplicationData(new byte[1], 0, 1));
        assertNull(p.clientError);
        assertNull(p.serverError);
    }

    @Test
    void frameAfterCloseIsUnexpected() throws Exception {
        EnginePair p = Fixtures.established(Fixtures.client(), Fixtures.server(), "after-close");
        p.client.closeOutbound();
        byte[] close = EnginePair.drainAll(p.client);
        p.deliver(p.server, true, close, 0, close.length);
        p.deliver(p.server, true, close, 0, close.length);
        assertEquals(dev.qsp.sockets.QspError.UNEXPECTED_MESSAGE, p.serverError.error());
    }

    @Test
    void closeBeforeHandshakeCompletesAborts() throws Exception {
        EnginePair p = new EnginePair(Fixtures.client().build(), Fixtures.server().build(), "abort");
        p.server.start(0);
        p.client.start(0);
        p.client.closeOutbound();
        p.pump();
        assertTrue(p.client.isClosed());
        assertTrue(p.server.isClosed());
        assertTrue(p.serverError.isRemote());
    }

    /**
     * Regression (found by the state-machine fuzzer and by Jazzer): an unprotected CLOSE_NOTIFY that arrives after
     * the client completed its handshake but before its first protected frame was taken as a clean end (and then
     * escaped as a NullPointerException). Nothing authenticates it, so it is never a clean end: it is the client's
     * own failure UNAUTHENTICATED_CLOSE (SPEC §4.3, §4.11).
     */
    @Test
    void unprotectedCloseNotifyAfterClientFinishedIsNotACleanEnd() throws Exception {
        EnginePair p = new EnginePair(Fixtures.client().build(), Fixtures.server().build(), "forged-close");
        int[] serverFrames = countServerFrames(p);
        p.handshake();
        assertTrue(p.client.isHandshakeComplete());
        byte[] forged = forgedClose(serverFrames[0], dev.qsp.sockets.QspError.CLOSE_NOTIFY);
        p.deliver(p.client, false, forged, 0, forged.length);
        assertUnauthenticatedClose(p, "CLOSE_NOTIFY");
        org.junit.jupiter.api.Assertions.assertThrows(dev.qsp.sockets.QspProtocolException.class,
                () -> p.client.readApplicationData(new byte[16], 0, 16));
    }

    /**
     * Issue 10: once the client has sent its Finished and application data, an injected unprotected
     * CLOSE(QKD_UNAVAILABLE) in a session that never used QKD must not surface as the peer's handshake failure
     * (applications retry those as "nothing was sent"): it is a local UNAUTHENTICATED_CLOSE, not remote, not a
     * QspHandshakeException, and the claimed code is only named in the message.
     */
    @Test
    void forgedUnprotectedCloseAfterFinishedAndDataIsALocalFailureWithItsOwnCode() throws Exception {
        EnginePair p = new EnginePair(Fixtures.client().build(), Fixtures.server().build(), "forged-qkd-close");
        int[] serverFrames = countServerFrames(p);
        p.server.start(p.now);
        p.client.start(p.now);
        p.pump();
        assertTrue(p.client.isHandshakeComplete());
        byte[] data = "acted upon".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        p.client.writeApplicationData(data, 0, data.length, p.now);
        p.pump(); // Finished and data reach the server, which acts on them
        org.junit.jupiter.api.Assertions.assertArrayEquals(data, p.serverReceived.toByteArray());
        // The attacker's CLOSE continues the server's unprotected sequence, before any protected server frame.
        byte[] forged = forgedClose(serverFrames[0], dev.qsp.sockets.QspError.QKD_UNAVAILABLE);
        p.deliver(p.client, false, forged, 0, forged.length);
        assertUnauthenticatedClose(p, "QKD_UNAVAILABLE");
    }

    private static int[] countServerFrames(EnginePair p) {
        int[] serverFrames = {0};
        p.interceptor = (fromClient, index, frame) -> {
            if (!fromClient) serverFrames[0]++;
            return java.util.List.of(frame);
        };
        return serverFrames;
    }

    /** CLOSE, epoch 0, sequence {@code seq} (the next unprotected server frame), length 2, {@code reason}. */
    private static byte[] forgedClose(long seq, dev.qsp.sockets.QspError reason) {
        byte[] forged = new byte[Frames.HEADER_LENGTH + 2];
        forged[0] = 4;
        for (int i = 0; i < 8; i++) forged[5 + i] = (byte) (seq >>> (56 - 8 * i));
        forged[14] = 2;
        forged[Frames.HEADER_LENGTH] = (byte) (reason.wireValue() >>> 8);
        forged[Frames.HEADER_LENGTH + 1] = (byte) reason.wireValue();
        return forged;
    }

    private static void assertUnauthenticatedClose(EnginePair p, String claimed) {
        var e = p.clientError;
        assertNotNull(e);
        assertFalse(e instanceof dev.qsp.sockets.QspHandshakeException, String.valueOf(e));
        assertEquals(dev.qsp.sockets.QspError.UNAUTHENTICATED_CLOSE, e.error());
        assertFalse(e.isRemote(), "a local failure: nothing says the peer sent it");
        assertTrue(e.getMessage().contains("claiming " + claimed), e.getMessage());
        assertTrue(p.client.isClosed());
    }
}
