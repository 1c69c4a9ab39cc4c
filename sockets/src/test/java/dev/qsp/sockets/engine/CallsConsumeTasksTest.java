package dev.qsp.sockets.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qsp.sockets.QspError;
import dev.qsp.sockets.QspProtocolException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every timed call consumes a finished key-source task (SPEC.md §4.15), not only {@link QspEngine#tick}: a server's
 * fresh REKEY_INIT goes out ahead of the data of the next {@link QspEngine#writeApplicationData}, and
 * {@link QspEngine#requestRekey} sends it too (and then reports the rekey already in flight). And a read of zero
 * bytes consumes nothing and reports the engine's failure, even with authenticated data still buffered.
 */
class CallsConsumeTasksTest {

    private static EnginePair delegatedServer(String seed) throws Exception {
        EnginePair p = new EnginePair(Fixtures.client().build(), Fixtures.server().delegatedTasks(true).build(), seed);
        p.server.start(0);
        p.client.start(0);
        for (int i = 0; i < 5 && !p.server.isHandshakeComplete(); i++) {
            p.pump();
            KeySourceTask t = p.server.delegatedTask();
            if (t != null) t.run();
            p.server.tick(0);
        }
        p.pump();
        assertTrue(p.server.isHandshakeComplete() && p.client.isHandshakeComplete());
        assertTrue(p.server.requestRekey(RekeyKind.FRESH, 0));
        assertEquals(0, p.server.pendingOutput(), "the INIT waits for its key sources");
        p.server.delegatedTask().run();
        return p;
    }

    private static List<FrameType> types(byte[] stream) {
        return EnginePair.frames(stream).stream().map(f -> FrameType.fromWire(Frames.type(f, 0))).toList();
    }

    @Test
    void aWriteSendsTheFinishedTasksInitFirst() throws Exception {
        EnginePair p = delegatedServer("consume-write");
        p.server.writeApplicationData(new byte[3], 0, 3, 0);
        assertFalse(p.server.isAwaitingTask());
        assertEquals(List.of(FrameType.REKEY, FrameType.APP_DATA), types(EnginePair.drainAll(p.server)));
    }

    @Test
    void aRekeyRequestSendsTheFinishedTasksInit() throws Exception {
        EnginePair p = delegatedServer("consume-request");
        assertFalse(p.server.requestRekey(RekeyKind.RATCHET, 0), "the fresh rekey is in flight now");
        assertFalse(p.server.isAwaitingTask());
        assertEquals(List.of(FrameType.REKEY), types(EnginePair.drainAll(p.server)));
    }

    @Test
    void aZeroByteReadReportsTheFailureAndConsumesNothing() throws Exception {
        EnginePair p = Fixtures.established(Fixtures.client(), Fixtures.server(), "consume-zero-read");
        p.client.writeApplicationData(new byte[] {1, 2}, 0, 2, 0);
        p.client.insecureSendRekeyPlaintext(new RekeyMessage.Commit(1).encode()); // fatal at the server
        byte[] b = EnginePair.drainAll(p.client);
        assertThrows(QspProtocolException.class, () -> p.server.receive(b, 0, b.length, 0));
        assertEquals(2, p.server.available(), "authenticated before the error: still readable");
        QspProtocolException e = assertThrows(QspProtocolException.class, () -> p.server.readApplicationData(new byte[4], 0, 0));
        assertEquals(QspError.UNEXPECTED_MESSAGE, e.error());
        assertEquals(2, p.server.available());
        assertEquals(2, p.server.readApplicationData(new byte[4], 0, 4));
    }
}
