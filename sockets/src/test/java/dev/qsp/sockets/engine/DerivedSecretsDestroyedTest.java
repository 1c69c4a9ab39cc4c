package dev.qsp.sockets.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qsp.sockets.QspError;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every key the key schedule derives for an engine — handshake secret, Finished keys, E_0, traffic keys, each next
 * epoch's secret and keys — is destroyed, and every key-source secret it was given is zeroed, once the engine is
 * done (SPEC.md §4.14): after a clean close with rekeys of both kinds, after abort in the middle of the handshake,
 * after a fatal error between the peer's Finished and the end of the handshake, when the server's outbound side
 * closed before its COMMIT, when the COMMIT cannot be sealed, and when the client ends while it awaits the COMMIT.
 * Seen through {@link KeySchedule#spyForTest}.
 */
class DerivedSecretsDestroyedTest {
    final List<SecretKey> keys = new ArrayList<>();
    final List<byte[]> inputs = new ArrayList<>();

    @BeforeEach
    void spy() {
        KeySchedule.spyForTest = new KeySchedule.Spy() {
            @Override
            public synchronized void derived(SecretKey key) { keys.add(key); }

            @Override
            public synchronized void secretInput(byte[] secret) { inputs.add(secret); }
        };
    }

    @AfterEach
    void unspy() { KeySchedule.spyForTest = null; }

    private void assertAllDestroyed(String when) {
        assertTrue(keys.size() > 0, when);
        for (int i = 0; i < keys.size(); i++) {
            assertTrue(keys.get(i).isDestroyed(), when + ": derived key " + i + " of " + keys.size() + " ("
                    + keys.get(i).getAlgorithm() + ") not destroyed");
        }
        for (int i = 0; i < inputs.size(); i++) {
            byte[] b = inputs.get(i);
            assertTrue(Arrays.equals(b, new byte[b.length]), when + ": key-source secret " + i + " not zeroed");
        }
    }

    @Test
    void aCleanCloseAfterRekeysOfBothKindsLeavesNothing() throws Exception {
        EnginePair p = Fixtures.established(Fixtures.client(), Fixtures.server(), "derived-close");
        p.server.requestRekey(RekeyKind.RATCHET, 0);
        p.pump();
        p.server.requestRekey(RekeyKind.FRESH, 0);
        p.pump();
        assertEquals(2, p.client.epoch());
        p.client.closeOutbound();
        p.pump();
        p.server.closeOutbound();
        p.pump();
        assertTrue(p.client.isClosed() && p.server.isClosed());
        assertEquals(4, inputs.size(), "KEM secrets of the handshake and of the fresh rekey, on each side");
        assertAllDestroyed("closed");
    }

    @Test
    void abortInTheMiddleOfTheHandshake() throws Exception {
        EnginePair p = new EnginePair(Fixtures.client().build(), Fixtures.server().build(), "derived-abort");
        p.server.start(0);
        p.client.start(0);
        byte[] hello = EnginePair.drainAll(p.client);
        p.server.receive(hello, 0, hello.length, 0); // the server holds its handshake secret now
        p.server.abort();
        p.client.abort();
        assertAllDestroyed("aborted");
    }

    @Test
    void aFatalErrorAfterThePeersFinished() throws Exception {
        EnginePair p = new EnginePair(Fixtures.client().build(), Fixtures.server().build(), "derived-after-finished");
        p.server.start(0);
        p.client.start(0);
        byte[] hello = EnginePair.drainAll(p.client);
        p.server.receive(hello, 0, hello.length, 0);
        byte[] flight = EnginePair.drainAll(p.server);
        List<byte[]> frames = EnginePair.frames(flight);
        byte[] last = frames.getLast();
        // the same last frame with 4 more bytes after the server's Finished: an empty-bodied message
        byte[] longer = Arrays.copyOf(last, last.length + 4);
        longer[longer.length - 4] = HandshakeMessage.FINISHED;
        Frames.writeHeader(longer, 0, FrameType.HANDSHAKE, 0, frames.size() - 1, longer.length - Frames.HEADER_LENGTH);
        for (int i = 0; i < frames.size() - 1; i++) p.deliver(p.client, false, frames.get(i), 0, frames.get(i).length);
        p.deliver(p.client, false, longer, 0, longer.length);
        assertNotNull(p.clientError);
        assertEquals(QspError.UNEXPECTED_MESSAGE, p.clientError.error());
        assertEquals("handshake data after Finished", p.clientError.detail());
        p.server.abort();
        assertAllDestroyed("failed after Finished");
    }

    @Test
    void theServersOutboundClosedBeforeItsCommit() throws Exception {
        EnginePair p = Fixtures.established(Fixtures.client(), Fixtures.server(), "derived-no-commit");
        p.server.requestRekey(RekeyKind.RATCHET, 0);
        p.server.closeOutbound(); // after the INIT: the ACK still comes, no COMMIT can follow
        p.pump();
        assertEquals(1, p.server.receiveEpoch());
        assertEquals(0, p.server.sendEpoch());
        p.client.closeOutbound();
        p.pump();
        assertTrue(p.server.isClosed());
        p.client.abort();
        assertAllDestroyed("outbound closed before the COMMIT");
    }

    @Test
    void aCommitThatCannotBeSealed() throws Exception {
        EnginePair p = Fixtures.established(Fixtures.client(), Fixtures.server(), "derived-seq-end");
        p.server.jumpSequencesForTest(-2, 0);
        p.client.jumpSequencesForTest(0, -2);
        p.server.requestRekey(RekeyKind.RATCHET, 0); // the INIT takes the last but one sequence number
        p.pump();
        assertNotNull(p.serverError);
        assertEquals(QspError.LIMIT_REACHED, p.serverError.error());
        p.client.abort();
        assertAllDestroyed("COMMIT not sealed");
    }

    @Test
    void theClientEndsWhileItAwaitsTheCommit() throws Exception {
        EnginePair p = Fixtures.established(Fixtures.client(), Fixtures.server(), "derived-await-commit");
        p.server.requestRekey(RekeyKind.FRESH, 0);
        byte[] init = EnginePair.drainAll(p.server);
        p.client.receive(init, 0, init.length, 0);
        assertTrue(p.client.isRekeyInFlight(), "ACK sent, the next receiving key held");
        p.client.abort();
        p.server.abort();
        assertAllDestroyed("client awaiting the COMMIT");
    }
}
