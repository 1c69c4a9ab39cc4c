package dev.qsp.sockets.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/** {@link QspEngine#takeOutputChunk}: frames handed over without a copy, two arrays alternating (SPEC.md §4.15). */
class OutputChunkTest {

    @Test
    void chunksCarryTheFramesInOrderAndTheArraysAlternate() throws Exception {
        EnginePair p = Fixtures.established(Fixtures.client(), Fixtures.server(), "chunks");
        byte[] d = new byte[100_000];
        new SeededRandom("d").nextBytes(d);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();

        assertNull(p.client.takeOutputChunk(null), "nothing pending");
        p.client.writeApplicationData(d, 0, 40_000, 0);
        int pending = p.client.pendingOutput();
        QspEngine.OutputChunk first = p.client.takeOutputChunk(null);
        assertEquals(pending, first.length());
        assertEquals(0, p.client.pendingOutput());
        wire.write(first.array(), first.offset(), first.length());

        p.client.writeApplicationData(d, 40_000, 30_000, 0);
        QspEngine.OutputChunk second = p.client.takeOutputChunk(first.array());
        assertNotSame(first.array(), second.array(), "the engine sealed into a new array while the first was out");
        wire.write(second.array(), second.offset(), second.length());

        p.client.writeApplicationData(d, 70_000, 30_000, 0);
        QspEngine.OutputChunk third = p.client.takeOutputChunk(second.array());
        assertSame(first.array(), third.array(), "the spare given back is the array the engine sealed into next");
        wire.write(third.array(), third.offset(), third.length());

        byte[] frames = wire.toByteArray();
        p.server.receive(frames, 0, frames.length, 0);
        byte[] got = new byte[d.length];
        int n = 0;
        while (n < got.length) {
            int r = p.server.readApplicationData(got, n, got.length - n);
            if (r <= 0) break;
            n += r;
        }
        assertEquals(d.length, n);
        assertArrayEquals(d, got);
    }
}
