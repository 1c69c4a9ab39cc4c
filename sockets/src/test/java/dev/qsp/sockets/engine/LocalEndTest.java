package dev.qsp.sockets.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qsp.sockets.QspError;
import dev.qsp.sockets.QspProtocolException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Ending an engine locally ({@code abort}, {@code destroy}), the hard-limit query the socket shell sends by, and
 * data authenticated before a fatal error (SPEC.md §4.11, §4.13, §4.15).
 */
class LocalEndTest {

    /** The client sends {@code d}; the server takes it in and leaves it unread. Returns the frame. */
    private static byte[] sendUnread(EnginePair p, byte[] d) throws QspProtocolException {
        p.client.writeApplicationData(d, 0, d.length, 0);
        byte[] wire = EnginePair.drainAll(p.client);
        p.server.receive(wire, 0, wire.length, 0);
        assertEquals(d.length, p.server.available());
        return wire;
    }

    @Test
    void destroyErasesEverythingAndSendsNothing() throws Exception {
        EnginePair p = Fixtures.established(Fixtures.client(), Fixtures.server(), "destroy");
        byte[] d = "unread".getBytes();
        byte[] wire = sendUnread(p, d);
        p.server.writeApplicationData(d, 0, d.length, 0); // queued output is dropped too

        p.server.destroy();

        assertTrue(p.server.isClosed());
        assertTrue(p.server.failure().isEmpty(), "a local end is not a protocol error");
        assertEquals(0, p.server.available(), "unread plaintext erased");
        assertEquals(0, p.server.pendingOutput(), "no CLOSE, no truncation report, nothing queued");
        assertEquals(0, p.server.recordsBeforeHardLimit());
        var read = assertThrows(IllegalStateException.class, () -> p.server.readApplicationData(new byte[8], 0, 8));
        assertEquals("the engine was destroyed", read.getMessage());
        assertThrows(IllegalStateException.class, () -> p.server.receive(wire, 0, wire.length, 0));
        assertThrows(IllegalStateException.class, () -> p.server.writeApplicationData(d, 0, 1, 0));
        assertThrows(IllegalStateException.class, p.server::receiveEndOfStream);
        p.server.destroy(); // idempotent
    }

    @Test
    void abortKeepsAuthenticatedPlaintextReadable() throws Exception {
        EnginePair p = Fixtures.established(Fixtures.client(), Fixtures.server(), "abort");
        byte[] d = "arrived before the transport failed".getBytes();
        sendUnread(p, d);

        p.server.abort();

        assertTrue(p.server.isClosed());
        assertEquals(0, p.server.pendingOutput());
        byte[] buf = new byte[100];
        assertEquals(d.length, p.server.readApplicationData(buf, 0, buf.length));
        assertArrayEquals(d, Arrays.copyOf(buf, d.length));
        var after = assertThrows(IllegalStateException.class, () -> p.server.readApplicationData(buf, 0, buf.length));
        assertEquals("the engine was aborted", after.getMessage());
    }

    @Test
    void plaintextAuthenticatedBeforeAFaultIsDeliveredThenTheError() throws Exception {
        EnginePair p = Fixtures.established(Fixtures.client(), Fixtures.server(), "before-fault");
        byte[] good = "authenticated first".getBytes();
        byte[] bad = "tampered with".getBytes();
        p.client.writeApplicationData(good, 0, good.length, 0);
        p.client.writeApplicationData(bad, 0, bad.length, 0);
        byte[] wire = EnginePair.drainAll(p.client);
        wire[wire.length - 1] ^= 1; // the second frame's tag

        var e = assertThrows(QspProtocolException.class, () -> p.server.receive(wire, 0, wire.length, 0));
        assertEquals(QspError.BAD_RECORD_MAC, e.error());
        assertTrue(p.server.isClosed());
        assertTrue(p.server.pendingOutput() > 0, "the CLOSE(BAD_RECORD_MAC) is queued");

        assertEquals(good.length, p.server.available());
        byte[] buf = new byte[100];
        assertEquals(5, p.server.readApplicationData(buf, 0, 5), "partial reads work as before");
        assertEquals(good.length - 5, p.server.readApplicationData(buf, 5, buf.length - 5));
        assertArrayEquals(good, Arrays.copyOf(buf, good.length), "only the authenticated frame, nothing of the bad one");
        var next = assertThrows(QspProtocolException.class, () -> p.server.readApplicationData(buf, 0, buf.length));
        assertEquals(QspError.BAD_RECORD_MAC, next.error());
        assertThrows(QspProtocolException.class, () -> p.server.readApplicationData(buf, 0, buf.length),
                "every later call reports the error again");
        p.server.destroy();
        assertThrows(QspProtocolException.class, () -> p.server.readApplicationData(buf, 0, buf.length),
                "a failed engine keeps its failure after destroy");
    }

    @Test
    void recordsBeforeHardLimitCountsDownToZeroOnTheClient() throws Exception {
        EnginePair p = Fixtures.established(Fixtures.client().rekeyPolicy(RekeyPolicy.DEFAULT.withHardRecordLimit(5)),
                Fixtures.server(), "room-client");
        byte[] one = {1};
        for (int left = 5; left > 0; left--) {
            assertEquals(left, p.client.recordsBeforeHardLimit());
            p.client.writeApplicationData(one, 0, 1, 0);
        }
        assertEquals(0, p.client.recordsBeforeHardLimit());
        var e = assertThrows(QspProtocolException.class, () -> p.client.writeApplicationData(one, 0, 1, 0));
        assertEquals(QspError.LIMIT_REACHED, e.error(), "the query said so");
    }

    @Test
    void recordsBeforeHardLimitKeepsRoomForTheServersOwnRekeyInit() throws Exception {
        EnginePair p = Fixtures.established(Fixtures.client(),
                Fixtures.server().rekeyPolicy(RekeyPolicy.DEFAULT.withHardRecordLimit(5).withRecordLimit(2)), "room-server");
        assertEquals(4, p.server.recordsBeforeHardLimit(), "one of five kept for a REKEY_INIT");
        long room = p.server.recordsBeforeHardLimit();
        byte[] d = new byte[(int) room * Frames.MAX_PLAINTEXT];
        p.server.writeApplicationData(d, 0, d.length, 0); // the record trigger seals REKEY_INIT after frame 2
        assertTrue(p.server.isRekeyInFlight());
        assertEquals(5, p.server.sendSequence(), "4 APP_DATA frames and the INIT");
        assertEquals(0, p.server.recordsBeforeHardLimit());
        p.pump();
        assertEquals(1, p.server.rekeyCount());
        assertEquals(4, p.server.recordsBeforeHardLimit(), "a completed rekey makes room again");
        assertEquals(d.length, p.clientReceived.size());
    }
}
