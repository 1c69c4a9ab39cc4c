package dev.qsp.sockets.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.qsp.keysources.KeySource;
import dev.qsp.sockets.QspError;
import dev.qsp.sockets.QspHandshakeException;
import dev.qsp.sockets.QspProtocolException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A handshake whose second key source fails (SPEC.md §4.14, §5): in the client's initiate, the server's respond
 * or the client's complete. The handshake fails with {@code KEY_SOURCE_FAILED} naming the source and the call, and
 * what the first source produced before (initiation, response secret, completed secret) is destroyed or zeroed.
 */
class HandshakeSourceFailureTest {
    final SpyKeySource clientKem = new SpyKeySource(Fixtures.kem("client"));
    final SpyKeySource serverKem = new SpyKeySource(Fixtures.kem("server"));
    final FaultyKeySource clientQkd = new FaultyKeySource(new MlKemTestSource("inner", new SeededRandom("qkd:client")), KeySource.Slot.QKD);
    final FaultyKeySource serverQkd = new FaultyKeySource(new MlKemTestSource("inner", new SeededRandom("qkd:server")), KeySource.Slot.QKD);

    private EnginePair pair(String seed) throws Exception {
        return new EnginePair(Fixtures.client().keySources(List.of(clientKem, clientQkd)).build(),
                Fixtures.server().keySources(List.of(serverKem, serverQkd)).build(), seed);
    }

    @Test
    void theClientsSecondInitiateFails() throws Exception {
        clientQkd.failInitiate = 1;
        EnginePair p = pair("hs-initiate");
        QspProtocolException e = assertThrows(QspHandshakeException.class, () -> p.client.start(0));
        assertEquals(QspError.KEY_SOURCE_FAILED, e.error());
        assertEquals("key source 'faulty-qkd': initiate 1 fails", e.detail());
        assertEquals(1, clientKem.initiationsDestroyed.size());
        assertEquals("", clientKem.undestroyed());
        assertEquals(Frames.HEADER_LENGTH + 2, p.client.pendingOutput(), "no ClientHello, only the unprotected CLOSE");
    }

    @Test
    void theServersSecondRespondFails() throws Exception {
        serverQkd.failRespond = 1;
        EnginePair p = pair("hs-respond").handshake();
        QspProtocolException e = assertInstanceOf(QspHandshakeException.class, p.serverError);
        assertEquals(QspError.KEY_SOURCE_FAILED, e.error());
        assertEquals("key source 'faulty-qkd': respond 1 fails", e.detail());
        assertEquals(1, serverKem.responseSecrets.size(), "the KEM answered before the QKD source failed");
        assertEquals("", serverKem.undestroyed());
        assertEquals(QspError.KEY_SOURCE_FAILED, p.clientError.error(), "the client is told");
        assertEquals("", clientKem.undestroyed());
    }

    @Test
    void theClientsSecondCompleteFails() throws Exception {
        clientQkd.failComplete = 1;
        EnginePair p = pair("hs-complete").handshake();
        QspProtocolException e = assertInstanceOf(QspHandshakeException.class, p.clientError);
        assertEquals(QspError.KEY_SOURCE_FAILED, e.error());
        assertEquals("key source 'faulty-qkd': complete 1 fails", e.detail());
        assertEquals(1, clientKem.completedSecrets.size(), "the KEM completed before the QKD source failed");
        assertEquals("", clientKem.undestroyed());
        assertEquals("", serverKem.undestroyed());
    }

    @Test
    void anImplicitStartThatFailsFailsTheReceiveOnce() throws Exception {
        clientQkd.failInitiate = 1;
        EnginePair p = pair("hs-implicit");
        // never started: the receive starts it, the start fails, and the receive reports that one failure
        QspProtocolException e = assertThrows(QspHandshakeException.class, () -> p.client.receive(new byte[0], 0, 0, 0));
        assertEquals(QspError.KEY_SOURCE_FAILED, e.error());
        assertEquals(QspError.KEY_SOURCE_FAILED, p.client.failure().get().error());
        assertEquals("", clientKem.undestroyed());
    }
}
