package dev.qsp.sockets.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qsp.sockets.QspError;
import dev.qsp.sockets.QspProtocolException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rekey states that wait for key-source tasks (SPEC.md §4.10, §4.15): a client request that crosses the
 * server's fresh initiation is answered by it and a second one refused; a server closed while its initiation task
 * ran, or unable to seal its INIT, destroys the initiations; a completion task that finished but whose result the
 * aborted server never consumed has its secrets zeroed; a client may ask once while it is still responding.
 */
class RekeyTaskStatesTest {
    final SpyKeySource serverKem = new SpyKeySource(Fixtures.kem("server"));

    private EnginePair pair(boolean serverDelegated, boolean clientDelegated, String seed) throws Exception {
        EnginePair p = new EnginePair(Fixtures.client().delegatedTasks(clientDelegated).build(),
                Fixtures.server().keySources(List.of(serverKem)).delegatedTasks(serverDelegated).build(), seed);
        p.server.start(0);
        p.client.start(0);
        for (int i = 0; i < 8 && !(p.server.isHandshakeComplete() && p.client.isHandshakeComplete()); i++) {
            p.pump();
            for (QspEngine e : List.of(p.client, p.server)) {
                KeySourceTask t = e.delegatedTask();
                if (t != null) t.run();
                e.tick(0);
            }
        }
        p.pump();
        assertTrue(p.server.isHandshakeComplete() && p.client.isHandshakeComplete());
        return p;
    }

    @Test
    void aRequestCrossingTheFreshInitiationIsAnsweredByItAndASecondRefused() throws Exception {
        EnginePair p = pair(true, false, "states-absorb");
        assertTrue(p.server.requestRekey(RekeyKind.FRESH, 0)); // its initiation task is outstanding
        p.client.insecureSendRekeyPlaintext(new RekeyMessage.Request(RekeyKind.RATCHET).encode());
        p.pump();
        assertNull(p.serverError, "absorbed: the rekey being initiated answers it");
        p.server.delegatedTask().run();
        p.server.tick(0); // the INIT goes out, the absorbed request remembered
        p.client.insecureSendRekeyPlaintext(new RekeyMessage.Request(RekeyKind.RATCHET).encode());
        byte[] second = EnginePair.drainAll(p.client);
        p.deliver(p.server, true, second, 0, second.length);
        assertEquals(QspError.REKEY_REFUSED, p.serverError.error());
        assertEquals("a second rekey request while a rekey is in flight", p.serverError.detail());
    }

    @Test
    void aSecondRequestDuringTheInitiationIsRefused() throws Exception {
        EnginePair p = pair(true, false, "states-absorb-twice");
        assertTrue(p.server.requestRekey(RekeyKind.FRESH, 0));
        p.client.insecureSendRekeyPlaintext(new RekeyMessage.Request(RekeyKind.RATCHET).encode());
        p.client.insecureSendRekeyPlaintext(new RekeyMessage.Request(RekeyKind.RATCHET).encode());
        p.pump();
        assertEquals(QspError.REKEY_REFUSED, p.serverError.error());
    }

    @Test
    void closedWhileTheInitiationRanDestroysTheInitiations() throws Exception {
        EnginePair p = pair(true, false, "states-closed");
        assertTrue(p.server.requestRekey(RekeyKind.FRESH, 0));
        p.server.closeOutbound();
        p.server.delegatedTask().run();
        p.server.tick(0);
        assertEquals(1, serverKem.initiationsDestroyed.size());
        assertTrue(serverKem.initiationsDestroyed.getFirst()[0]);
        assertFalse(p.server.isRekeyInFlight());
    }

    @Test
    void anInitThatCannotBeSealedDestroysTheInitiations() throws Exception {
        EnginePair p = pair(false, false, "states-no-seal");
        p.server.jumpSequencesForTest(-1, 0);
        QspProtocolException e = assertThrows(QspProtocolException.class, () -> p.server.requestRekey(RekeyKind.FRESH, 0));
        assertEquals(QspError.LIMIT_REACHED, e.error());
        assertEquals(1, serverKem.initiationsDestroyed.size());
        assertEquals("", serverKem.undestroyed());
    }

    @Test
    void aFinishedCompletionThatIsNeverConsumedIsErased() throws Exception {
        EnginePair p = pair(true, false, "states-finished-abandoned");
        assertTrue(p.server.requestRekey(RekeyKind.FRESH, 0));
        p.server.delegatedTask().run();
        p.server.tick(0);
        p.pump(); // the ACK: the completion task is outstanding
        KeySourceTask t = p.server.delegatedTask();
        t.run();
        assertTrue(t.isDone());
        assertEquals(1, serverKem.completedSecrets.size());
        p.server.abort(); // its result never consumed
        assertEquals("", serverKem.undestroyed(), "the completed secret is zeroed and the initiation destroyed");
    }

    @Test
    void aClientMayAskOnceWhileItResponds() throws Exception {
        EnginePair p = pair(false, true, "states-responding");
        assertTrue(p.server.requestRekey(RekeyKind.FRESH, 0));
        byte[] init = EnginePair.drainAll(p.server);
        p.client.receive(init, 0, init.length, 0); // its respond task is outstanding
        assertTrue(p.client.isAwaitingTask());
        assertTrue(p.client.requestRekey(RekeyKind.RATCHET, 0));
        assertFalse(p.client.requestRekey(RekeyKind.RATCHET, 0), "one request at a time");
        assertEquals(1, EnginePair.frames(EnginePair.drainAll(p.client)).size(), "the REKEY_REQUEST");
    }
}
