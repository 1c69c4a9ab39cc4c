package dev.qsp.sockets.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The engine's byte queues (frames in and out, plaintext, SPEC.md §4.15): first allocation at the initial
 * capacity, growth by doubling or to what is needed, compaction in place when the live bytes fit before them,
 * and every array they drop zeroed first, as it may have held plaintext (§4.14).
 */
class ByteQueueTest {

    private static byte[] seq(int from, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (from + i);
        return b;
    }

    private static byte[] readAll(ByteQueue q) {
        byte[] b = new byte[q.size()];
        assertEquals(b.length, q.read(b, 0, b.length));
        return b;
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) if (x != 0) return false;
        return true;
    }

    @Test
    void allocatesOnFirstUseAndGrowsByDoublingOrToWhatIsNeeded() {
        ByteQueue q = new ByteQueue(8);
        assertEquals(0, q.capacity());
        q.write(seq(1, 3), 0, 3);
        assertEquals(8, q.capacity());
        q.write(seq(4, 6), 0, 6); // 9 live bytes: double to 16
        assertEquals(16, q.capacity());
        assertEquals(9, q.size());
        q.write(seq(10, 40), 0, 40); // 49 live: more than double, exactly what is needed
        assertEquals(49, q.capacity());
        assertArrayEquals(seq(1, 49), readAll(q));
        assertEquals(0, q.size());
        assertEquals(0, q.start());
    }

    @Test
    void compactsInPlaceWhenTheLiveBytesFitBeforeThem() {
        ByteQueue q = new ByteQueue(16);
        q.write(seq(0, 14), 0, 14);
        byte[] first = new byte[10];
        q.read(first, 0, 10); // 4 live bytes at 10..13
        byte[] array = q.array();
        assertEquals(10, q.start());
        q.write(seq(14, 6), 0, 6); // 2 bytes free at the end, 10 before the live ones: move them to 0
        assertSame(array, q.array());
        assertEquals(0, q.start());
        assertEquals(10, q.size());
        assertArrayEquals(seq(10, 10), readAll(q));
    }

    @Test
    void compactsWhenTheLiveBytesFitExactly() {
        ByteQueue q = new ByteQueue(16);
        q.write(seq(0, 16), 0, 16);
        q.read(new byte[8], 0, 8); // 8 live bytes at 8..15, 8 free before them
        byte[] array = q.array();
        q.write(seq(16, 8), 0, 8); // fills the array exactly after the move
        assertSame(array, q.array());
        assertEquals(16, q.capacity());
        assertArrayEquals(seq(8, 16), readAll(q));
    }

    @Test
    void growsInsteadOfCompactingWhenTheLiveBytesOverlapTheirDestination() {
        ByteQueue q = new ByteQueue(16);
        q.write(seq(0, 16), 0, 16);
        byte[] skip = new byte[6];
        q.read(skip, 0, 6); // 10 live bytes at 6..15: start < live, a move would overlap
        byte[] old = q.array();
        q.write(seq(16, 4), 0, 4);
        assertNotSame(old, q.array());
        assertEquals(32, q.capacity());
        assertEquals(true, allZero(old), "the dropped array is zeroed");
        assertArrayEquals(seq(6, 14), readAll(q));
    }

    @Test
    void reserveAndCommitAppendInPlace() {
        ByteQueue q = new ByteQueue(4);
        int at = q.reserve(3);
        assertEquals(0, at);
        System.arraycopy(seq(7, 3), 0, q.array(), at, 3);
        q.commit(3);
        assertEquals(3, q.reserve(1)); // exactly one byte left: no move, no growth
        assertEquals(4, q.capacity());
        assertEquals(3, q.size());
        assertArrayEquals(seq(7, 3), readAll(q));
    }

    @Test
    void buffersInAndOut() {
        ByteQueue q = new ByteQueue(4);
        q.write(ByteBuffer.wrap(seq(1, 5)));
        ByteBuffer small = ByteBuffer.allocate(3);
        assertEquals(3, q.read(small));
        assertArrayEquals(seq(1, 3), small.array());
        assertEquals(2, q.size());
        ByteBuffer big = ByteBuffer.allocate(10);
        assertEquals(2, q.read(big));
        assertEquals(2, big.position());
        assertEquals(0, q.size());
        byte[] dst = new byte[4];
        assertEquals(0, q.read(dst, 0, 4));
    }

    @Test
    void releaseClearAndHandOver() {
        ByteQueue q = new ByteQueue(8);
        q.write(seq(1, 5), 0, 5);
        byte[] held = q.array();
        q.release(); // not empty: kept
        assertSame(held, q.array());
        q.skip(5);
        q.releaseIfLarger(8); // 8 is not larger than 8: kept
        assertSame(held, q.array());
        q.releaseIfLarger(7);
        assertEquals(0, q.capacity());
        assertEquals(true, allZero(held));

        q.write(seq(1, 5), 0, 5);
        byte[] live = q.array();
        q.clear(); // drops live bytes too, zeroed
        assertEquals(0, q.size());
        assertEquals(0, q.capacity());
        assertEquals(true, allZero(live));

        q.write(seq(1, 3), 0, 3);
        q.skip(1);
        byte[] spare = new byte[20];
        byte[] given = q.handOver(spare);
        assertArrayEquals(seq(1, 3), Arrays.copyOf(given, 3), "the caller gets the array with its bytes");
        assertSame(spare, q.array());
        assertEquals(0, q.size());
        assertEquals(0, q.start());
        q.write(seq(9, 2), 0, 2);
        assertSame(spare, q.array());
        q.skip(2);
        assertSame(spare, q.handOver(null));
        assertEquals(0, q.capacity());
    }
}
