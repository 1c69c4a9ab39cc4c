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
}
