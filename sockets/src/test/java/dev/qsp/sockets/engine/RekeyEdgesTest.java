package dev.qsp.sockets.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qsp.keysources.KeySource;
import dev.qsp.sockets.QspError;
import dev.qsp.sockets.QspProtocolException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Rekey edges (SPEC.md §4.10, §4.13, §4.14, §4.15): the record room a server keeps for its own REKEY_INIT, the
 * request rate limit and the client-fresh interval at their exact boundaries, the fresh sources reported for each
 * kind, and what a fresh rekey erases when the second of two key sources fails in initiate, respond or complete,
 * or when the engine is aborted while the server's completion task waits.
 */
class RekeyEdgesTest {

    @Test
    void aServerKeepsOneRecordForItsOwnInitUntilItIsSealed() throws Exception {
        EnginePair p = Fixtures.established(Fixtures.client().rekeyPolicy(RekeyPolicy.DEFAULT.withHardRecordLimit(10)),
                Fixtures.server().rekeyPolicy(RekeyPolicy.DEFAULT.withHardRecordLimit(10)), "edges-room");
        assertEquals(9, p.server.recordsBeforeHardLimit());
        assertEquals(10, p.client.recordsBeforeHardLimit());
        assertTrue(p.server.requestRekey(RekeyKind.RATCHET, 0));
        assertEquals(1, p.server.sendSequence());
        assertEquals(9, p.server.recordsBeforeHardLimit(), "the INIT is sealed: no record kept back any more");
        p.pump();
        assertEquals(9, p.server.recordsBeforeHardLimit(), "epoch 1: room again minus one for the next INIT");
        p.client.closeOutbound();
        assertEquals(0, p.client.recordsBeforeHardLimit());
    }

    @Test
    void requestsExactlyTheMinimumIntervalApartAreHonoured() throws Exception {
        RekeyPolicy policy = RekeyPolicy.DEFAULT.withMinRequestIntervalNanos(1_000);
        EnginePair p = Fixtures.established(Fixtures.client(), Fixtures.server().rekeyPolicy(policy), "edges-rate");
        p.now = 5_000;
        assertTrue(p.client.requestRekey(RekeyKind.RATCHET, p.now));
        p.pump();
        assertEquals(1, p.server.rekeyCount());
        p.now = 6_000;
        assertTrue(p.client.requestRekey(RekeyKind.RATCHET, p.now));
        p.pump();
        assertNull(p.serverError);
        assertEquals(2, p.server.rekeyCount());
        p.now = 6_999;
        assertTrue(p.client.requestRekey(RekeyKind.RATCHET, p.now));
        p.pump();
        assertEquals(QspError.REKEY_REFUSED, p.serverError.error());
        assertEquals("rekey requests closer together than 1000 ns", p.serverError.detail());
    }

    @Test
    void aClientsFreshRequestsAreFreshOnlyTheirIntervalApart() throws Exception {
        RekeyPolicy policy = RekeyPolicy.DEFAULT.withMinRequestIntervalNanos(0).withMinClientFreshIntervalNanos(1_000);
        EnginePair p = Fixtures.established(Fixtures.client(), Fixtures.server().rekeyPolicy(policy), "edges-fresh");
        long[] times = {800, 900, 1_799, 1_800};
        RekeyKind[] granted = {RekeyKind.FRESH, RekeyKind.RATCHET, RekeyKind.RATCHET, RekeyKind.FRESH};
        for (int i = 0; i < times.length; i++) {
            p.now = times[i];
            assertTrue(p.client.requestRekey(RekeyKind.FRESH, p.now));
            p.pump();
            assertNull(p.serverError);
            assertEquals(granted[i], p.server.lastRekeyKind(), "at t=" + times[i]);
            assertEquals(granted[i], p.client.lastRekeyKind(), "at t=" + times[i]);
        }
        assertEquals(4, p.client.lastFreshRekeyEpoch());
    }

    @Test
    void onlyAFreshRekeyReportsItsSources() throws Exception {
        EngineObserverTest.Recorder c = new EngineObserverTest.Recorder(false, false);
        EngineObserverTest.Recorder s = new EngineObserverTest.Recorder(false, false);
        EnginePair p = Fixtures.established(Fixtures.client().observer(c), Fixtures.server().observer(s), "edges-kinds");
        p.server.requestRekey(RekeyKind.FRESH, 0);
        p.pump();
        p.server.requestRekey(RekeyKind.RATCHET, 0);
        p.pump();
        assertEquals(List.of("rekey CLIENT FRESH 1 0 1", "rekey CLIENT RATCHET 2 0 0"), c.lifecycle.subList(3, 5));
        assertEquals(List.of("rekey SERVER FRESH 1 0 1", "rekey SERVER RATCHET 2 0 0"), s.lifecycle.subList(3, 5));
        assertEquals(1, p.client.lastFreshRekeyEpoch());
        assertEquals(1, p.server.lastFreshRekeySources().size());
    }

    // ---- two sources, the second failing ----------------------------------------------------------------

    final SpyKeySource clientKem = new SpyKeySource(Fixtures.kem("client"));
    final SpyKeySource serverKem = new SpyKeySource(Fixtures.kem("server"));
    final FaultyKeySource clientQkd = new FaultyKeySource(new MlKemTestSource("inner", new SeededRandom("qkd:client")), KeySource.Slot.QKD);
    final FaultyKeySource serverQkd = new FaultyKeySource(new MlKemTestSource("inner", new SeededRandom("qkd:server")), KeySource.Slot.QKD);

    private EnginePair twoSources(String seed) {
        try {
            EnginePair p = Fixtures.established(Fixtures.client().keySources(List.of(clientKem, clientQkd)),
                    Fixtures.server().keySources(List.of(serverKem, serverQkd)), seed);
            assertEquals(List.of("test-mlkem768", "faulty-qkd"), p.client.session().keySources());
            return p;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aFailedInitiateDestroysTheInitiationsMadeBeforeIt() {
        serverQkd.failInitiate = 1;
        EnginePair p = twoSources("edges-initiate");
        QspProtocolException e = assertThrows(QspProtocolException.class, () -> p.server.requestRekey(RekeyKind.FRESH, 0));
        assertEquals(QspError.KEY_SOURCE_FAILED, e.error());
        assertEquals("fresh rekey: key source 'faulty-qkd': initiate 1 fails", e.detail());
        assertEquals(1, serverKem.initiationsDestroyed.size());
        assertEquals("", serverKem.undestroyed());
    }

    @Test
    void aFailedCompleteErasesTheSecretsCompletedBeforeIt() {
        serverQkd.failComplete = 1;
        EnginePair p = twoSources("edges-complete");
        assertTrue(assertDoesNotFail(() -> p.server.requestRekey(RekeyKind.FRESH, 0)));
        p.pump();
        assertEquals(QspError.KEY_SOURCE_FAILED, p.serverError.error());
        assertEquals("fresh rekey: key source 'faulty-qkd': complete 1 fails", p.serverError.detail());
        assertEquals(1, serverKem.completedSecrets.size(), "the KEM completed before the QKD source failed");
        assertEquals("", serverKem.undestroyed());
    }

    @Test
    void aFailedRespondDestroysTheResponsesMadeBeforeIt() {
        clientQkd.failRespond = 1;
        EnginePair p = twoSources("edges-respond");
        assertTrue(assertDoesNotFail(() -> p.server.requestRekey(RekeyKind.FRESH, 0)));
        p.pump();
        assertEquals(QspError.KEY_SOURCE_FAILED, p.clientError.error());
        assertEquals("fresh rekey: key source 'faulty-qkd': respond 1 fails", p.clientError.detail());
        assertEquals(1, clientKem.responseSecrets.size(), "the KEM responded before the QKD source failed");
        assertEquals("", clientKem.undestroyed());
    }

    interface Call {
        boolean run() throws QspProtocolException;
    }

    private static boolean assertDoesNotFail(Call c) {
        try {
            return c.run();
        } catch (QspProtocolException e) {
            throw new AssertionError(e);
        }
    }

    /** Pumps and runs every delegated task until nothing moves. */
    private static void settle(EnginePair p) throws QspProtocolException {
        for (int i = 0; i < 20; i++) {
            p.pump();
            boolean ran = false;
            for (QspEngine e : List.of(p.client, p.server)) {
                KeySourceTask t = e.delegatedTask();
                if (t != null) {
                    t.run();
                    ran = true;
                }
                e.tick(p.now);
            }
            if (!ran && p.client.pendingOutput() == 0 && p.server.pendingOutput() == 0) return;
        }
        throw new AssertionError("not settled");
    }

    @Test
    void abortWhileTheServersCompletionTaskWaitsDestroysItsInitiations() throws Exception {
        EnginePair p = new EnginePair(Fixtures.client().keySources(List.of(clientKem)).build(),
                Fixtures.server().keySources(List.of(serverKem)).delegatedTasks(true).build(), "edges-abandon");
        p.server.start(0);
        p.client.start(0);
        settle(p);
        assertTrue(p.server.isHandshakeComplete() && p.client.isHandshakeComplete());
        assertTrue(p.server.requestRekey(RekeyKind.FRESH, 0));
        p.server.delegatedTask().run(); // the initiations
        p.server.tick(0); // REKEY_INIT sealed
        p.pump(); // the client's ACK in: the completion task is outstanding, not run
        assertTrue(p.server.isAwaitingTask());
        assertTrue(p.server.isInboundPaused());
        assertEquals(1, serverKem.initiationsDestroyed.size());
        assertFalse(serverKem.initiationsDestroyed.getFirst()[0]);
        KeySourceTask t = p.server.delegatedTask();
        assertNotNull(t);
        p.server.abort(); // the task never ran: its erase gets no result and destroys the initiations
        assertTrue(serverKem.initiationsDestroyed.getFirst()[0]);
        t.run(); // too late: does nothing
        assertEquals(0, serverKem.completedSecrets.size());
    }
}
