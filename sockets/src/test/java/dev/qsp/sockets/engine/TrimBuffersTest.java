package dev.qsp.sockets.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A reader about to wait on an idle connection holds no frame-sized array it is not using (SPEC.md §6.1, issue 11):
 * {@link QspEngine#trimBuffers()} drops the empty large buffers and keeps small ones, and traffic goes on.
 */
class TrimBuffersTest {

    @Test
    void emptyFrameSizedBuffersAreDroppedAndSmallOnesKept() throws Exception {
        EnginePair p = Fixtures.established(Fixtures.client(), Fixtures.server(), "trim");
        byte[] big = new byte[50_000];
        new SeededRandom("big").nextBytes(big);
        p.client.writeApplicationData(big, 0, big.length, 0);
        p.pump(); // the server's plaintext buffer grew to a frame or more; the pair has read it all
        assertArrayEquals(big, p.serverReceived.toByteArray());
        assertTrue(p.server.bufferedCapacity() > 16_384, "holds " + p.server.bufferedCapacity());
        p.server.trimBuffers();
        assertEquals(0, p.server.bufferedCapacity());

        byte[] small = "a small message".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        p.serverReceived.reset();
        p.client.writeApplicationData(small, 0, small.length, 0);
        p.pump();
        assertArrayEquals(small, p.serverReceived.toByteArray());
        int kept = p.server.bufferedCapacity();
        assertTrue(kept > 0 && kept <= 4096, "holds " + kept);
        p.server.trimBuffers();
        assertEquals(kept, p.server.bufferedCapacity(), "buffers of at most 4 KiB are kept: no churn for small messages");
    }

    @Test
    void unreadPlaintextIsNeverDropped() throws Exception {
        EnginePair p = Fixtures.established(Fixtures.client(), Fixtures.server(), "trim-unread");
        p.recordReceived = false;
        byte[] big = new byte[30_000];
        p.client.writeApplicationData(big, 0, big.length, 0);
        p.pump();
        assertEquals(0, p.server.available(), "the pair's sink read it");
        // write again without the pair reading: the data must survive a trim
        p.client.writeApplicationData(big, 0, big.length, 0);
        byte[] buf = new byte[1 << 17];
        int n = p.client.drainOutput(buf, 0, buf.length);
        p.server.receive(buf, 0, n, 0);
        assertEquals(big.length, p.server.available());
        p.server.trimBuffers();
        assertEquals(big.length, p.server.available());
        byte[] out = new byte[big.length];
        assertEquals(big.length, p.server.readApplicationData(out, 0, out.length));
    }
}
