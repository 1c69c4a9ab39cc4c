package dev.qsp.sockets.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** An idle connection holds no frame buffers once the handshake's last flight has left (SPEC.md §4.15). */
class IdleBufferTest {

    @Test
    void handshakeBuffersAreDroppedOnceTheLastFlightLeaves() throws Exception {
        EnginePair p = Fixtures.established(Fixtures.client(), Fixtures.server(), "idle-buffers");
        assertTrue(p.client.isHandshakeComplete() && p.server.isHandshakeComplete());
        assertEquals(0, p.client.bufferedCapacity(), "client buffers after the handshake");
        assertEquals(0, p.server.bufferedCapacity(), "server buffers after the handshake");
    }

    @Test
    void buffersComeBackOnDemandAndDataStillFlows() throws Exception {
        EnginePair p = Fixtures.established(Fixtures.client(), Fixtures.server(), "idle-buffers-2");
        byte[] d = new byte[70_000];
        new SeededRandom("d").nextBytes(d);
        p.client.writeApplicationData(d, 0, d.length, 0);
        assertTrue(p.client.bufferedCapacity() >= d.length, "the sealed frames are buffered until drained");
        p.pump();
        assertArrayEquals(d, p.serverReceived.toByteArray());
        p.server.requestRekey(RekeyKind.RATCHET, 0);
        p.pump();
        assertEquals(1, p.client.rekeyCount());
        assertEquals(1, p.server.rekeyCount());
        assertNull(p.clientError);
        assertNull(p.serverError);
    }
}
