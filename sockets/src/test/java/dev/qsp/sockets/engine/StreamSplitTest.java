package dev.qsp.sockets.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The engine accepts any split of the byte stream: single bytes, random cuts, heap and direct buffers. */
class StreamSplitTest {

    /** Moves everything pending from one engine to the other in pieces of 1..maxPiece bytes. */
    private static void shuttle(QspEngine from, QspEngine to, Random rnd, int maxPiece, boolean direct) throws Exception {
        byte[] all = EnginePair.drainAll(from);
        int p = 0;
        while (p < all.length) {
            int n = Math.min(all.length - p, 1 + rnd.nextInt(maxPiece));
            if (direct) {
                ByteBuffer bb = ByteBuffer.allocateDirect(n);
                bb.put(all, p, n).flip();
                to.receive(bb, 0);
                assertEquals(0, bb.remaining());
            } else if (rnd.nextBoolean()) {
                to.receive(all, p, n, 0);
            } else {
                ByteBuffer bb = ByteBuffer.wrap(all, p, n);
                to.receive(bb, 0);
                assertEquals(0, bb.remaining());
            }
            p += n;
        }
    }

    private static void run(int maxPiece, boolean direct) throws Exception {
        Random rnd = new Random(maxPiece * 31L + (direct ? 1 : 0));
        EnginePair p = new EnginePair(Fixtures.client().build(), Fixtures.server().build(), "split" + maxPiece);
        p.server.start(0);
        p.client.start(0);
        for (int i = 0; i < 3; i++) {
            shuttle(p.client, p.server, rnd, maxPiece, direct);
            shuttle(p.server, p.client, rnd, maxPiece, direct);
        }
        assertEquals(true, p.client.isHandshakeComplete());
        assertEquals(true, p.server.isHandshakeComplete());
        byte[] data = new byte[70_000];
        rnd.nextBytes(data);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[5000];
        p.client.writeApplicationData(data, 0, 40_000, 0);
        p.server.requestRekey(RekeyKind.FRESH, 0);
        shuttle(p.server, p.client, rnd, maxPiece, direct);
        p.client.writeApplicationData(data, 40_000, 30_000, 0);
        shuttle(p.client, p.server, rnd, maxPiece, direct);
        shuttle(p.server, p.client, rnd, maxPiece, direct);
        int n;
        while ((n = p.server.readApplicationData(buf, 0, buf.length)) > 0) got.write(buf, 0, n);
        assertArrayEquals(data, got.toByteArray());
        assertEquals(1, p.server.rekeyCount());
        assertEquals(1, p.client.rekeyCount());
    }

    @Test
    void oneByteAtATime() throws Exception { run(1, false); }

    @Test
    void randomSmallPieces() throws Exception { run(20, false); }

    @Test
    void randomLargePieces() throws Exception { run(40_000, false); }

    @Test
    void directBuffers() throws Exception { run(3000, true); }
}
