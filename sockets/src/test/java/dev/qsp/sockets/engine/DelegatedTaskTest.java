package dev.qsp.sockets.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Key-source work as delegated tasks (SPEC.md §4.15): with a key source whose calls block until the test
 * releases them, the handshake goes on only after its own task ran, and while a fresh rekey waits for its key
 * material application data keeps flowing in the current epoch.
 */
class DelegatedTaskTest {
    private final GatedKeySource clientKem = new GatedKeySource(Fixtures.kem("client"));
    private final GatedKeySource serverKem = new GatedKeySource(Fixtures.kem("server"));

    private EnginePair pair(String seed) throws Exception {
        return new EnginePair(Fixtures.client().keySources(List.of(clientKem)).delegatedTasks(true).build(),
                Fixtures.server().keySources(List.of(serverKem)).delegatedTasks(true).build(), seed);
    }

    /** Runs {@code task} on its own thread, as a shell does; returns the thread. */
    private static Thread runAside(KeySourceTask task) {
        assertNotNull(task, "a task was handed out");
        return Thread.ofVirtual().name("test-key-source").start(task);
    }

    @Test
    void theHandshakeWaitsOnlyForItsOwnTasks() throws Exception {
        EnginePair p = pair("hs-tasks");
        clientKem.close();
        serverKem.close();
        p.server.start(p.now);
        assertNull(p.server.delegatedTask(), "a server has nothing to do before the ClientHello");
        p.client.start(p.now);
        assertEquals(0, p.client.pendingOutput(), "the ClientHello waits for the key source's offer");
        KeySourceTask ct = p.client.delegatedTask();
        assertEquals(KeySourceTask.Kind.HANDSHAKE, ct.kind());
        assertNull(p.client.delegatedTask(), "handed out once");
        Thread t = runAside(ct);
        assertEquals("initiate", clientKem.awaitEntered());
        p.client.tick(p.now);
        assertTrue(p.client.isAwaitingTask());
        assertEquals(0, p.client.pendingOutput(), "still blocked in the key source: nothing to send");
        clientKem.open();
        t.join();
        assertTrue(ct.isDone());
        p.client.tick(p.now); // consumes the offers: the ClientHello is queued
        assertFalse(p.client.isAwaitingTask());
        assertTrue(p.client.pendingOutput() > 0);

        p.pump(); // the ClientHello reaches the server, which now waits for respond()
        KeySourceTask st = p.server.delegatedTask();
        assertEquals(KeySourceTask.Kind.HANDSHAKE, st.kind());
        assertEquals(0, p.server.pendingOutput(), "no ServerHello before respond() returned");
        t = runAside(st);
        assertEquals("respond", serverKem.awaitEntered());
        p.server.tick(p.now);
        assertEquals(0, p.server.pendingOutput());
        serverKem.open();
        t.join();
        p.server.tick(p.now);
        assertTrue(p.server.pendingOutput() > 0, "the server's flight");

        clientKem.close();
        p.pump(); // the whole server flight arrives; the client stops at ServerHello for complete()
        KeySourceTask ct2 = p.client.delegatedTask();
        t = runAside(ct2);
        assertEquals("complete", clientKem.awaitEntered());
        p.client.tick(p.now);
        assertFalse(p.client.isHandshakeComplete(), "Certificate, CertificateVerify and Finished wait, buffered");
        assertEquals(0, p.client.pendingOutput());
        clientKem.open();
        t.join();
        p.client.tick(p.now); // ServerHello done, then the buffered messages: the client's Finished goes out
        assertTrue(p.client.isHandshakeComplete());
        p.pump();
        assertTrue(p.server.isHandshakeComplete());
        assertNull(p.clientError);
        assertNull(p.serverError);
        HandshakeTest.exchange(p);
    }

    @Test
    void dataFlowsInTheCurrentEpochWhileAFreshRekeyWaitsForItsKeyMaterial() throws Exception {
        EnginePair p = pair("rekey-tasks");
        p.handshake();
        runTasks(p); // handshake tasks with open gates
        assertTrue(p.client.isHandshakeComplete() && p.server.isHandshakeComplete());

        // Server: initiate() blocks; REKEY_INIT waits for it, data flows in epoch 0.
        serverKem.close();
        assertTrue(p.server.requestRekey(RekeyKind.FRESH, p.now));
        assertTrue(p.server.isRekeyInFlight());
        assertFalse(p.server.requestRekey(RekeyKind.FRESH, p.now), "one rekey at a time, also while its task runs");
        Thread t = runAside(p.server.delegatedTask());
        assertEquals("initiate", serverKem.awaitEntered());
        assertBothWaysInEpoch(p, 0, "during initiate");
        serverKem.open();
        t.join();
        p.server.tick(p.now); // REKEY_INIT
        clientKem.close();
        p.pump();

        // Client: respond() blocks; REKEY_ACK waits for it, data flows in epoch 0.
        t = runAside(p.client.delegatedTask());
        assertEquals("respond", clientKem.awaitEntered());
        assertBothWaysInEpoch(p, 0, "during respond");
        assertEquals(0, p.client.rekeyCount());
        clientKem.open();
        t.join();
        serverKem.close();
        p.client.tick(p.now); // REKEY_ACK, the client sends under epoch 1 from now on
        assertEquals(1, p.client.sendEpoch());
        p.pump();

        // Server: complete() blocks; its inbound waits (the client is in epoch 1), its own data goes on in epoch 0.
        t = runAside(p.server.delegatedTask());
        assertEquals("complete", serverKem.awaitEntered());
        byte[] up = "client data under epoch 1".getBytes(StandardCharsets.US_ASCII);
        p.serverReceived.reset();
        p.client.writeApplicationData(up, 0, up.length, p.now);
        p.pump();
        assertEquals(0, p.serverReceived.size(), "frames under epoch 1 wait for the server's complete()");
        byte[] down = "server data under epoch 0".getBytes(StandardCharsets.US_ASCII);
        p.clientReceived.reset();
        p.server.writeApplicationData(down, 0, down.length, p.now);
        assertEquals(0, p.server.sendEpoch());
        p.pump();
        assertArrayEquals(down, p.clientReceived.toByteArray());
        serverKem.open();
        t.join();
        p.server.tick(p.now); // COMMIT, then the buffered epoch-1 frames
        p.drainApp(p.server);
        assertArrayEquals(up, p.serverReceived.toByteArray());
        p.pump();
        assertEquals(1, p.server.rekeyCount());
        assertEquals(1, p.client.rekeyCount());
        assertEquals(RekeyKind.FRESH, p.client.lastRekeyKind());
        assertEquals(1, p.client.receiveEpoch());
        assertNull(p.clientError);
        assertNull(p.serverError);
        p.clientReceived.reset();
        p.serverReceived.reset();
        HandshakeTest.exchange(p);
    }

    @Test
    void aTaskThatOutlivesItsEngineErasesWhatItProduced() throws Exception {
        EnginePair p = pair("abandoned");
        clientKem.close();
        p.client.start(p.now);
        KeySourceTask t = p.client.delegatedTask();
        Thread th = runAside(t);
        assertEquals("initiate", clientKem.awaitEntered());
        p.client.abort();
        clientKem.open();
        th.join();
        assertTrue(t.isDone());
        assertFalse(p.client.isAwaitingTask());
        assertEquals(0, p.client.pendingOutput(), "an aborted engine sends nothing");
    }

    private static void assertBothWaysInEpoch(EnginePair p, int epoch, String when) throws Exception {
        byte[] a = ("c2s " + when).getBytes(StandardCharsets.US_ASCII);
        byte[] b = ("s2c " + when).getBytes(StandardCharsets.US_ASCII);
        p.clientReceived.reset();
        p.serverReceived.reset();
        p.client.writeApplicationData(a, 0, a.length, p.now);
        p.server.writeApplicationData(b, 0, b.length, p.now);
        p.pump();
        assertArrayEquals(a, p.serverReceived.toByteArray(), when);
        assertArrayEquals(b, p.clientReceived.toByteArray(), when);
        assertEquals(epoch, p.client.sendEpoch(), when);
        assertEquals(epoch, p.server.sendEpoch(), when);
    }

    /** Runs every handed-out task at once on this thread (open gates) and resumes, until none is left. */
    private static void runTasks(EnginePair p) throws Exception {
        boolean any = true;
        while (any) {
            any = false;
            for (QspEngine e : List.of(p.client, p.server)) {
                KeySourceTask t = e.delegatedTask();
                if (t == null) continue;
                t.run();
                e.tick(p.now);
                any = true;
            }
            p.pump();
        }
    }
}
