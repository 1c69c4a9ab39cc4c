package dev.qsp.sockets.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qsp.sockets.QspError;
import dev.qsp.sockets.QspProtocolException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The engine's public calls at their edges (SPEC.md §4.1, §4.11, §4.15): every way of draining output and of
 * reading plaintext gives the same bytes and lets the handshake's buffers go, a failed engine repeats its failure
 * on every receive, end of stream names a partial frame, a server started implicitly by its first bytes, a finished
 * key-source task consumed by the next receive, the state queries and toString at each stage, and the buffers
 * trimmed after large and split traffic.
 */
class EngineApiEdgesTest {

    /** How a test moves one engine's output to its peer. */
    enum Drain { ARRAY, HEAP_BUFFER, DIRECT_BUFFER, SINK, CHUNK }

    private static byte[] drain(QspEngine e, Drain how) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pending = e.pendingOutput();
        int moved = 0;
        switch (how) {
            case ARRAY -> {
                byte[] b = new byte[977]; // odd size: several calls per flight
                int n;
                while ((n = e.drainOutput(b, 0, b.length)) > 0) {
                    out.write(b, 0, n);
                    moved += n;
                }
            }
            case HEAP_BUFFER, DIRECT_BUFFER -> {
                ByteBuffer b = how == Drain.HEAP_BUFFER ? ByteBuffer.allocate(977) : ByteBuffer.allocateDirect(977);
                int n;
                while ((n = e.drainOutput(b.clear())) > 0) {
                    assertEquals(n, b.position());
                    byte[] c = new byte[n];
                    b.flip().get(c);
                    out.write(c);
                    moved += n;
                }
            }
            case SINK -> {
                int n = e.drainOutput((b, off, len) -> out.write(b, off, len));
                moved = n;
                assertEquals(0, e.drainOutput((b, off, len) -> out.write(b, off, len)), "nothing left");
            }
            case CHUNK -> {
                QspEngine.OutputChunk c = e.takeOutputChunk(null);
                if (c != null) {
                    out.write(c.array(), c.offset(), c.length());
                    moved = c.length();
                    assertEquals("OutputChunk[" + c.length() + " bytes]", c.toString());
                }
                assertNull(e.takeOutputChunk(null));
            }
        }
        assertEquals(pending, moved);
        assertEquals(0, e.pendingOutput());
        return out.toByteArray();
    }

    /** A handshake, one message each way and a clean close, moving output the given way; returns the c2s bytes. */
    private static byte[] connection(Drain how) throws Exception {
        QspEngine c = QspEngine.client(Fixtures.client().build(), new SeededRandom("client:drain"));
        QspEngine s = QspEngine.server(Fixtures.server().build(), new SeededRandom("server:drain"));
        ByteArrayOutputStream c2s = new ByteArrayOutputStream();
        s.start(0);
        c.start(0);
        for (int i = 0; i < 4 && !(c.isHandshakeComplete() && s.isHandshakeComplete() && c.pendingOutput() == 0); i++) {
            boolean lastFlight = c.isHandshakeComplete();
            byte[] b = drain(c, how);
            if (lastFlight) assertEquals(0, c.bufferedCapacity(), "dropped by the drain that sent the client's Finished");
            c2s.write(b);
            s.receive(b, 0, b.length, 0);
            b = drain(s, how);
            int split = Math.min(100, b.length); // a partial frame first: the client's frame buffer is used too
            c.receive(b, 0, split, 0);
            c.receive(b, split, b.length - split, 0);
        }
        assertTrue(c.isHandshakeComplete() && s.isHandshakeComplete());
        assertEquals(0, c.bufferedCapacity(), "the handshake's buffers are dropped once its last flight has left");
        assertEquals(0, s.bufferedCapacity());
        c.writeApplicationData(new byte[] {1, 2, 3}, 0, 3, 0);
        byte[] b = drain(c, how);
        c2s.write(b);
        s.receive(b, 0, b.length, 0);
        ByteBuffer in = ByteBuffer.allocate(10);
        assertEquals(3, s.readApplicationData(in));
        assertArrayEquals(new byte[] {1, 2, 3}, Arrays.copyOf(in.array(), in.position()));
        assertEquals(0, s.readApplicationData(in), "nothing more yet");
        c.closeOutbound();
        b = drain(c, how);
        c2s.write(b);
        s.receive(b, 0, b.length, 0);
        assertEquals(-1, s.readApplicationData(ByteBuffer.allocate(1)));
        assertTrue(s.isInboundDone());
        return c2s.toByteArray();
    }

    @Test
    void everyDrainGivesTheSameBytesAndReleasesTheHandshakeBuffers() throws Exception {
        byte[] reference = connection(Drain.ARRAY);
        for (Drain how : List.of(Drain.HEAP_BUFFER, Drain.DIRECT_BUFFER, Drain.SINK, Drain.CHUNK)) {
            assertArrayEquals(reference, connection(how), how.name());
        }
    }

    @Test
    void readingIntoABufferWithoutRoomReadsNothing() throws Exception {
        EnginePair p = Fixtures.established(Fixtures.client(), Fixtures.server(), "edges-read");
        p.recordReceived = false;
        p.client.writeApplicationData(new byte[] {5, 6}, 0, 2, 0);
        byte[] b = EnginePair.drainAll(p.client);
        p.server.receive(b, 0, b.length, 0);
        assertEquals(0, p.server.readApplicationData(ByteBuffer.allocate(0)));
        assertEquals(0, p.server.readApplicationData(new byte[4], 0, 0));
        assertEquals(2, p.server.available(), "a read of nothing consumes nothing");
        ByteBuffer direct = ByteBuffer.allocateDirect(4);
        assertEquals(2, p.server.readApplicationData(direct));
        assertEquals(0, p.server.available());
    }

    @Test
    void aFailedEngineRepeatsItsFailureOnEveryCall() throws Exception {
        EnginePair p = Fixtures.established(Fixtures.client(), Fixtures.server(), "edges-failed");
        p.client.insecureSendRekeyPlaintext(new RekeyMessage.Commit(1).encode());
        p.pump();
        assertEquals(QspError.UNEXPECTED_MESSAGE, p.serverError.error());
        assertEquals("Commit sent to the server", p.serverError.detail());
        byte[] one = {0};
        QspProtocolException again = assertThrows(QspProtocolException.class, () -> p.server.receive(one, 0, 1, 0));
        assertEquals(QspError.UNEXPECTED_MESSAGE, again.error());
        again = assertThrows(QspProtocolException.class, () -> p.server.receive(ByteBuffer.wrap(one), 0));
        assertEquals(QspError.UNEXPECTED_MESSAGE, again.error());
        assertThrows(QspProtocolException.class, () -> p.server.readApplicationData(new byte[1], 0, 0));
        assertThrows(QspProtocolException.class, p.server::receiveEndOfStream);
        assertTrue(p.server.isInboundClosed());
        assertTrue(p.server.isInboundDone());
        assertEquals("QspEngine[SERVER, epoch 0, failed UNEXPECTED_MESSAGE]", p.server.toString());
        assertEquals(QspError.UNEXPECTED_MESSAGE, p.clientError.error());
        assertEquals("QspEngine[CLIENT, epoch 0, failed UNEXPECTED_MESSAGE]", p.client.toString());
    }

    @Test
    void aRepeatedFailureKeepsItsKind() throws Exception {
        QspEngine s = QspEngine.server(Fixtures.server().build(), new SeededRandom("server:repeat"));
        s.start(0);
        byte[] bogus = new byte[Frames.HEADER_LENGTH];
        bogus[0] = 9;
        assertThrows(dev.qsp.sockets.QspHandshakeException.class, () -> s.receive(bogus, 0, bogus.length, 0));
        QspProtocolException again = assertThrows(QspProtocolException.class, () -> s.tick(1));
        assertTrue(again instanceof dev.qsp.sockets.QspHandshakeException, "still a handshake failure: " + again);
        assertEquals(QspError.UNKNOWN_FRAME_TYPE, again.error());
        assertEquals(s.failure().get(), again.getCause(), "a fresh copy whose cause is the original");

        EnginePair p = Fixtures.established(Fixtures.client(), Fixtures.server(), "edges-repeat");
        p.client.insecureSendRekeyPlaintext(new RekeyMessage.Commit(1).encode());
        p.pump();
        again = assertThrows(QspProtocolException.class, () -> p.server.tick(1));
        assertFalse(again instanceof dev.qsp.sockets.QspHandshakeException, "a failure after the handshake: " + again);
        assertEquals(QspError.UNEXPECTED_MESSAGE, again.error());
    }

    @Test
    void aMisdirectedRekeyMessageNamesItsSide() throws Exception {
        EnginePair p = Fixtures.established(Fixtures.client(), Fixtures.server(), "edges-misdirected");
        p.server.insecureSendRekeyPlaintext(new RekeyMessage.Request(RekeyKind.RATCHET).encode());
        p.pump();
        assertEquals(QspError.UNEXPECTED_MESSAGE, p.clientError.error());
        assertEquals("Request sent to the client", p.clientError.detail());
    }

    @Test
    void endOfStreamSaysWhetherItCutAFrame() throws Exception {
        EnginePair p = Fixtures.established(Fixtures.client(), Fixtures.server(), "edges-eos");
        QspProtocolException e = assertThrows(QspProtocolException.class, p.server::receiveEndOfStream);
        assertEquals(QspError.TRUNCATED, e.error());
        assertEquals("the peer's stream ended without an authenticated CLOSE", e.detail());

        EnginePair q = Fixtures.established(Fixtures.client(), Fixtures.server(), "edges-eos-partial");
        q.client.writeApplicationData(new byte[3], 0, 3, 0);
        byte[] b = EnginePair.drainAll(q.client);
        q.server.receive(b, 0, 1, 0); // one byte of a header
        e = assertThrows(QspProtocolException.class, q.server::receiveEndOfStream);
        assertEquals("the peer's stream ended without an authenticated CLOSE (inside a frame)", e.detail());
    }

    @Test
    void stateQueriesAndToStringAtEachStage() throws Exception {
        QspEngine c = QspEngine.client(Fixtures.client().build(), new SeededRandom("client:states"));
        QspEngine s = QspEngine.server(Fixtures.server().build(), new SeededRandom("server:states"));
        assertEquals("QspEngine[CLIENT, handshaking]", c.toString());
        assertEquals("QspEngine[SERVER, handshaking]", s.toString());
        assertEquals(QspEngine.Role.CLIENT, c.role());
        assertEquals(QspEngine.Role.SERVER, s.role());
        EnginePair p = Fixtures.established(Fixtures.client(), Fixtures.server(), "states");
        for (QspEngine e : List.of(p.client, p.server)) {
            assertFalse(e.isInboundClosed());
            assertFalse(e.isInboundDone());
            assertFalse(e.isOutboundDone());
            assertFalse(e.isClosed());
            assertFalse(e.isInboundPaused());
            assertFalse(e.isAwaitingTask());
            assertEquals(0, e.epoch());
            assertNull(e.lastRekeyKind());
            assertEquals(-1, e.lastFreshRekeyEpoch());
        }
        assertEquals("QspEngine[SERVER, epoch 0]", p.server.toString());
        p.client.jumpEpochForTest(0xFFFFFFFE);
        p.server.jumpEpochForTest(0xFFFFFFFE);
        p.server.requestRekey(RekeyKind.RATCHET, 0);
        p.pump();
        assertEquals("QspEngine[CLIENT, epoch 4294967295]", p.client.toString());
        p.client.closeOutbound();
        assertTrue(p.client.isOutboundDone());
        assertFalse(p.client.isClosed());
        p.pump();
        assertTrue(p.server.isInboundClosed());
        assertTrue(p.server.isInboundDone());
        assertFalse(p.server.isClosed());
        p.server.closeOutbound();
        p.pump();
        assertTrue(p.server.isClosed());
        assertTrue(p.client.isClosed());
        assertEquals("QspEngine[SERVER, epoch 4294967295]", p.server.toString());
    }

    @Test
    void aServerIsStartedByItsFirstBytes() throws Exception {
        QspEngineConfig sc = Fixtures.server().helloTimeoutNanos(1_000).handshakeTimeoutNanos(5_000).build();
        QspEngine c = QspEngine.client(Fixtures.client().build(), new SeededRandom("client:implicit"));
        QspEngine s = QspEngine.server(sc, new SeededRandom("server:implicit"));
        c.start(0);
        byte[] hello = EnginePair.drainAll(c);
        s.receive(hello, 0, hello.length, 700); // never started: the first bytes start it at their time
        assertTrue(s.pendingOutput() > 0, "the server answered the ClientHello");
        assertEquals(700 + 5_000, s.handshakeDeadlineNanos());
        assertThrows(IllegalStateException.class, () -> s.start(800));
        QspProtocolException late = assertThrows(QspProtocolException.class, () -> s.tick(5_700));
        assertEquals(QspError.HANDSHAKE_TIMEOUT, late.error());
    }

    @Test
    void aFinishedTaskIsConsumedByTheNextReceive() throws Exception {
        QspEngine c = QspEngine.client(Fixtures.client().delegatedTasks(true).build(), new SeededRandom("client:task"));
        c.start(0);
        assertEquals(0, c.pendingOutput());
        assertTrue(c.isAwaitingTask());
        KeySourceTask t = c.delegatedTask();
        assertNotNull(t);
        t.run();
        c.receive(new byte[0], 0, 0, 1); // no bytes: still consumes the task's result
        assertFalse(c.isAwaitingTask());
        assertTrue(c.pendingOutput() > 0, "the ClientHello is queued");
        byte[] hello = EnginePair.drainAll(c);

        QspEngine s = QspEngine.server(Fixtures.server().delegatedTasks(true).build(), new SeededRandom("server:task"));
        s.start(0);
        s.receive(hello, 0, hello.length, 1);
        assertTrue(s.isInboundPaused(), "the server waits for its key sources before handling more");
        assertTrue(s.isAwaitingTask());
        s.delegatedTask().run();
        s.receive(ByteBuffer.allocateDirect(0), 2);
        assertFalse(s.isInboundPaused());
        assertTrue(s.pendingOutput() > 0, "the server's flight is queued");
    }

    @Test
    void abortBeforeTheServerHelloDestroysTheClientsInitiations() throws Exception {
        SpyKeySource spy = new SpyKeySource(Fixtures.kem("client"));
        QspEngine c = QspEngine.client(Fixtures.client().keySources(List.of(spy)).build(), new SeededRandom("client:abort"));
        c.start(0);
        assertEquals(1, spy.initiationsDestroyed.size());
        assertFalse(spy.initiationsDestroyed.getFirst()[0]);
        c.abort();
        assertTrue(spy.initiationsDestroyed.getFirst()[0], "the waiting state's initiation is destroyed");
    }

    @Test
    void trimmingDropsTheBuffersOfSplitFramesAndLargeWrites() throws Exception {
        EnginePair p = Fixtures.established(Fixtures.client(), Fixtures.server(), "edges-trim");
        p.recordReceived = false;
        byte[] big = new byte[Frames.MAX_PLAINTEXT];
        p.client.writeApplicationData(big, 0, big.length, 0);
        byte[] frame = EnginePair.drainAll(p.client);
        p.server.receive(frame, 0, 100, 0); // a partial frame: buffered
        p.server.receive(frame, 100, frame.length - 100, 0);
        byte[] read = new byte[big.length];
        assertEquals(big.length, p.server.readApplicationData(read, 0, read.length));
        p.server.writeApplicationData(big, 0, big.length, 0);
        int out = p.server.pendingOutput();
        assertEquals(Frames.HEADER_LENGTH + Frames.MAX_PROTECTED_PAYLOAD, out);
        EnginePair.drainAll(p.server);
        assertTrue(p.server.bufferedCapacity() > 3 * 4096, "holds " + p.server.bufferedCapacity());
        p.server.trimBuffers();
        assertEquals(0, p.server.bufferedCapacity());

        // each queue at its first array: outbound 4096, inbound (a frame split in two) 512, plaintext 4096
        p.server.writeApplicationData(new byte[10], 0, 10, 0);
        p.client.writeApplicationData(new byte[10], 0, 10, 0);
        byte[] f = EnginePair.drainAll(p.client);
        p.server.receive(f, 0, 5, 0);
        p.server.receive(f, 5, f.length - 5, 0);
        assertEquals(10, p.server.available());
        assertEquals(4096 + 512 + 4096, p.server.bufferedCapacity());
        p.server.trimBuffers();
        assertEquals(4096 + 512 + 4096, p.server.bufferedCapacity(), "arrays of at most 4 KiB are kept");
    }
}
