package dev.qsp.sockets.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qsp.sockets.QspError;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.Test;

/**
 * Secrets provably erased (SPEC.md §4.14): every traffic key an engine installed (seen through its
 * {@link TrafficKeyLog}, which gets the engine's own key objects) is destroyed once its epoch is superseded and when
 * the engine ends by close, abort or a fatal error; every key-source initiation is destroyed and every key-source
 * secret zeroed once the handshake or fresh rekey that used it is done.
 */
class SecretErasureTest {

    /** The keys one engine installed, in order, with their epoch and direction. */
    record Installed(int epoch, boolean c2s, SecretKey key) {}

    static final class Keys implements TrafficKeyLog {
        final List<Installed> all = new ArrayList<>();

        @Override
        public void trafficKey(byte[] clientRandom, int epoch, boolean c2s, AeadSuite suite, SecretKey key) {
            assertFalse(key.isDestroyed(), "a key is installed live");
            all.add(new Installed(epoch, c2s, key));
        }

        /** Keys not yet destroyed. */
        List<Installed> live() { return all.stream().filter(k -> !k.key.isDestroyed()).toList(); }

        void assertOnlyEpochLive(int epoch) {
            for (Installed k : all) {
                assertEquals(k.epoch != epoch, k.key.isDestroyed(), "epoch " + k.epoch + (k.c2s ? " c2s" : " s2c"));
            }
        }
    }

    final Keys clientKeys = new Keys();
    final Keys serverKeys = new Keys();
    final SpyKeySource clientSource = new SpyKeySource(Fixtures.kem("client"));
    final SpyKeySource serverSource = new SpyKeySource(Fixtures.kem("server"));

    private EnginePair pair(String seed) throws Exception {
        return Fixtures.established(Fixtures.client().keyLog(clientKeys).keySources(List.of(clientSource)),
                Fixtures.server().keyLog(serverKeys).keySources(List.of(serverSource)), seed);
    }

    @Test
    void handshakeErasesKeySourceSecretsAndKeepsOnlyEpochZero() throws Exception {
        EnginePair p = pair("erase-hs");
        assertEquals(1, clientSource.initiationsDestroyed.size());
        assertEquals(1, serverSource.responseSecrets.size());
        assertEquals("", clientSource.undestroyed());
        assertEquals("", serverSource.undestroyed());
        assertEquals(2, clientKeys.all.size());
        assertEquals(2, serverKeys.all.size());
        clientKeys.assertOnlyEpochLive(0);
        serverKeys.assertOnlyEpochLive(0);
        assertNotNull(p.client.session());
    }

    @Test
    void eachRekeyDestroysThePreviousEpochsKeys() throws Exception {
        EnginePair p = pair("erase-rekey");
        RekeyKind[] kinds = {RekeyKind.RATCHET, RekeyKind.FRESH, RekeyKind.FRESH, RekeyKind.RATCHET};
        for (int e = 1; e <= kinds.length; e++) {
            assertTrue(p.server.requestRekey(kinds[e - 1], 0));
            p.pump();
            assertEquals(e, p.client.rekeyCount());
            clientKeys.assertOnlyEpochLive(e);
            serverKeys.assertOnlyEpochLive(e);
            assertEquals(2 * (e + 1), serverKeys.all.size());
            assertEquals("", clientSource.undestroyed(), "after rekey " + e);
            assertEquals("", serverSource.undestroyed(), "after rekey " + e);
        }
        // The client initiates in the handshake, the server in each fresh rekey; each side responded to the other's.
        assertEquals(2, serverSource.initiationsDestroyed.size());
        assertEquals(2, serverSource.completedSecrets.size());
        assertEquals(1, serverSource.responseSecrets.size());
        assertEquals(1, clientSource.initiationsDestroyed.size());
        assertEquals(2, clientSource.responseSecrets.size());
    }

    @Test
    void closeDestroysEveryKey() throws Exception {
        EnginePair p = pair("erase-close");
        p.client.closeOutbound();
        p.pump();
        p.server.closeOutbound();
        p.pump();
        assertTrue(p.client.isClosed());
        assertTrue(p.server.isClosed());
        assertEquals(List.of(), clientKeys.live());
        assertEquals(List.of(), serverKeys.live());
    }

    @Test
    void abortDestroysEveryKeyAndAnInitiationInFlight() throws Exception {
        EnginePair p = pair("erase-abort");
        assertTrue(p.server.requestRekey(RekeyKind.FRESH, 0)); // INIT sent, its initiation held until the ACK
        assertFalse(serverSource.initiationsDestroyed.getLast()[0]);
        p.server.abort();
        p.client.abort();
        assertEquals(List.of(), clientKeys.live());
        assertEquals(List.of(), serverKeys.live());
        assertEquals("", serverSource.undestroyed());
    }

    @Test
    void fatalErrorDestroysEveryKey() throws Exception {
        EnginePair p = pair("erase-fatal");
        p.interceptor = (fromClient, index, frame) -> {
            if (fromClient) frame[frame.length - 1] ^= 1; // the tag of the client's first APP_DATA
            return List.of(frame);
        };
        byte[] d = {1, 2, 3};
        p.client.writeApplicationData(d, 0, d.length, 0);
        p.pump();
        assertEquals(QspError.BAD_RECORD_MAC, p.serverError.error());
        assertEquals(List.of(), serverKeys.live(), "the failed side");
        assertEquals(QspError.BAD_RECORD_MAC, p.clientError.error(), "the client saw the server's CLOSE");
        assertEquals(List.of(), clientKeys.live(), "the peer, closed by the failure's CLOSE");
    }

    @Test
    void fatalErrorDuringAFreshRekeyErasesItsInitiation() throws Exception {
        EnginePair p = pair("erase-fatal-rekey");
        assertTrue(p.server.requestRekey(RekeyKind.FRESH, 0));
        p.interceptor = (fromClient, index, frame) -> {
            if (fromClient) frame[frame.length - 1] ^= 1; // the REKEY_ACK's tag
            return List.of(frame);
        };
        p.pump();
        assertEquals(QspError.BAD_RECORD_MAC, p.serverError.error());
        assertEquals("", serverSource.undestroyed());
        assertEquals("", clientSource.undestroyed());
        assertEquals(List.of(), serverKeys.live());
    }
}
