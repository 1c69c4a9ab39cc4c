package dev.qsp.sockets.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
     * escaped as a NullPointerException). Nothing authenticates it, so it must be a handshake failure (SPEC §4.3).
     */
    @Test
    void unprotectedCloseNotifyAfterClientFinishedIsNotACleanEnd() throws Exception {
        EnginePair p = new EnginePair(Fixtures.client().build(), Fixtures.server().build(), "forged-close");
        int[] serverFrames = {0};
        p.interceptor = (fromClient, index, frame) -> {
            if (!fromClient) serverFrames[0]++;
            return java.util.List.of(frame);
        };
        p.handshake();
        assertTrue(p.client.isHandshakeComplete());
        byte[] forged = new byte[Frames.HEADER_LENGTH + 2];
        forged[0] = 4; // CLOSE, epoch 0, next unprotected server seq, length 2, reason CLOSE_NOTIFY (0x0000)
        long seq = serverFrames[0];
        for (int i = 0; i < 8; i++) forged[5 + i] = (byte) (seq >>> (56 - 8 * i));
        forged[14] = 2;
        p.deliver(p.client, false, forged, 0, forged.length);
        assertTrue(p.clientError instanceof dev.qsp.sockets.QspHandshakeException, String.valueOf(p.clientError));
        assertEquals(dev.qsp.sockets.QspError.CLOSE_NOTIFY, p.clientError.error());
        assertTrue(p.clientError.isRemote());
        assertTrue(p.client.isClosed());
        org.junit.jupiter.api.Assertions.assertThrows(dev.qsp.sockets.QspProtocolException.class,
                () -> p.client.readApplicationData(new byte[16], 0, 16));
    }
}
