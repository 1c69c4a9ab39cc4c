package dev.qsp.sockets.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qsp.sockets.QspError;
import dev.qsp.sockets.QspProtocolException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Every bad-input class on the record layer gets its specific error, the receiving engine ends closed, the
 * sender learns the reason from the CLOSE, and no unauthenticated byte reaches the application: the receiver
 * delivers exactly the frames before the bad one.
 */
class TamperTest {
    private static final byte[][] MESSAGES = {"first".getBytes(), "second".getBytes(), "third".getBytes()};

    /**
     * Sends three APP_DATA frames client→server; {@code tamper} rewrites the list of the three sealed frames.
     * Returns the pair after pumping.
     */
    private static EnginePair run(String seed, Function<List<byte[]>, List<byte[]>> tamper) throws Exception {
        EnginePair p = Fixtures.established(Fixtures.client(), Fixtures.server(), seed);
        for (byte[] m : MESSAGES) p.client.writeApplicationData(m, 0, m.length, 0);
        List<byte[]> frames = EnginePair.frames(EnginePair.drainAll(p.client));
        assertEquals(3, frames.size());
        for (byte[] f : tamper.apply(frames)) p.deliver(p.server, true, f, 0, f.length);
        p.pump();
        return p;
    }

    private static void assertFails(EnginePair p, QspError error, int framesDelivered) {
        assertNotNull(p.serverError, "server must fail");
        assertEquals(error, p.serverError.error());
        assertTrue(p.server.isClosed());
        assertThrows(QspProtocolException.class, () -> p.server.readApplicationData(new byte[10], 0, 10));
        byte[] expected = new byte[0];
        for (int i = 0; i < framesDelivered; i++) {
            byte[] e = new byte[expected.length + MESSAGES[i].length];
            System.arraycopy(expected, 0, e, 0, expected.length);
            System.arraycopy(MESSAGES[i], 0, e, expected.length, MESSAGES[i].length);
            expected = e;
        }
        assertArrayEquals(expected, p.serverReceived.toByteArray(), "exactly the authenticated frames before the bad one");
        if (error != QspError.TRUNCATED) {
            assertNotNull(p.clientError, "the client learns the reason from the server's CLOSE");
            assertEquals(error, p.clientError.error());
            assertTrue(p.clientError.isRemote());
        }
    }

    private static List<byte[]> flip(List<byte[]> frames, int frame, int offset, int bit) {
        List<byte[]> out = new ArrayList<>(frames);
        byte[] f = out.get(frame).clone();
        f[offset] ^= (byte) (1 << bit);
        out.set(frame, f);
        return out;
    }

    @Test
    void flippedTypeBitToAnotherKnownTypeFailsAuthentication() throws Exception {
        assertFails(run("type", f -> flip(f, 1, 0, 0)), QspError.BAD_RECORD_MAC, 1); // APP_DATA(2) -> REKEY(3)
    }

    @Test
    void flippedTypeBitToUnknownType() throws Exception {
        assertFails(run("type2", f -> flip(f, 1, 0, 3)), QspError.UNKNOWN_FRAME_TYPE, 1); // 2 -> 10
    }

    @Test
    void flippedEpochBit() throws Exception {
        assertFails(run("epoch", f -> flip(f, 1, 4, 0)), QspError.UNEXPECTED_EPOCH, 1);
    }

    @Test
    void flippedSequenceBit() throws Exception {
        assertFails(run("seq", f -> flip(f, 1, 12, 1)), QspError.UNEXPECTED_SEQUENCE, 1);
    }

    @Test
    void flippedLengthBitMakesAShorterFrameThatFailsAuthentication() throws Exception {
        assertFails(run("length", f -> flip(f, 0, 14, 0)), QspError.BAD_RECORD_MAC, 0);
    }

    @Test
    void flippedCiphertextBit() throws Exception {
        assertFails(run("ct", f -> flip(f, 2, Frames.HEADER_LENGTH + 1, 5)), QspError.BAD_RECORD_MAC, 2);
    }

    @Test
    void flippedTagBit() throws Exception {
        assertFails(run("tag", f -> flip(f, 1, f.get(1).length - 1, 7)), QspError.BAD_RECORD_MAC, 1);
    }

    @Test
    void replayedFrame() throws Exception {
        assertFails(run("replay", f -> List.of(f.get(0), f.get(1), f.get(1), f.get(2))), QspError.UNEXPECTED_SEQUENCE, 2);
    }

    @Test
    void reorderedFrames() throws Exception {
        assertFails(run("reorder", f -> List.of(f.get(0), f.get(2), f.get(1))), QspError.UNEXPECTED_SEQUENCE, 1);
    }

    @Test
    void droppedFrame() throws Exception {
        assertFails(run("drop", f -> List.of(f.get(0), f.get(2))), QspError.UNEXPECTED_SEQUENCE, 1);
    }

    @Test
    void oversizedLength() throws Exception {
        assertFails(run("oversize", f -> {
            byte[] g = f.get(1).clone();
            g[13] = (byte) 0x40; // 16,384 + 16 + more
            g[14] = (byte) 0x11;
            return List.of(f.get(0), g);
        }), QspError.RECORD_OVERFLOW, 1);
    }

    @Test
    void truncatedFrameThenEndOfStream() throws Exception {
        EnginePair p = run("truncated", f -> List.of(f.get(0), java.util.Arrays.copyOf(f.get(1), 20)));
        assertTrue(p.serverReceived.size() == MESSAGES[0].length);
        p.endOfStream(p.server);
        assertFails(p, QspError.TRUNCATED, 1);
    }

    @Test
    void endOfStreamWithoutCloseIsTruncationNotAnEnd() throws Exception {
        EnginePair p = run("eos", f -> f);
        p.endOfStream(p.server);
        assertFails(p, QspError.TRUNCATED, 3);
    }

    @Test
    void injectedFrameWithValidHeaderFailsAuthentication() throws Exception {
        assertFails(run("inject", f -> {
            byte[] fake = f.get(1).clone();
            for (int i = Frames.HEADER_LENGTH; i < fake.length; i++) fake[i] = (byte) i;
            return List.of(f.get(0), fake, f.get(1));
        }), QspError.BAD_RECORD_MAC, 1);
    }

    @Test
    void applicationDataBeforeTheHandshakeEnds() throws Exception {
        EnginePair p = new EnginePair(Fixtures.client().build(), Fixtures.server().build(), "early");
        p.server.start(0);
        byte[] frame = new byte[Frames.HEADER_LENGTH + 4];
        Frames.writeHeader(frame, 0, FrameType.APP_DATA, 0, 0, 4);
        p.deliver(p.server, true, frame, 0, frame.length);
        assertEquals(QspError.UNEXPECTED_MESSAGE, p.serverError.error());
        assertTrue(p.serverError instanceof dev.qsp.sockets.QspHandshakeException);
        assertTrue(p.server.isClosed());
        assertEquals(0, p.serverReceived.size());
    }

    @Test
    void unknownTypeDuringHandshake() throws Exception {
        EnginePair p = new EnginePair(Fixtures.client().build(), Fixtures.server().build(), "unknown");
        p.server.start(0);
        byte[] frame = new byte[Frames.HEADER_LENGTH];
        frame[0] = 9;
        p.deliver(p.server, true, frame, 0, frame.length);
        assertEquals(QspError.UNKNOWN_FRAME_TYPE, p.serverError.error());
    }

    @Test
    void oversizedHandshakeFrame() throws Exception {
        EnginePair p = new EnginePair(Fixtures.client().build(), Fixtures.server().build(), "hs-oversize");
        p.server.start(0);
        byte[] header = new byte[Frames.HEADER_LENGTH];
        Frames.writeHeader(header, 0, FrameType.HANDSHAKE, 0, 0, Frames.MAX_PLAIN_PAYLOAD + 1);
        p.deliver(p.server, true, header, 0, header.length);
        assertEquals(QspError.RECORD_OVERFLOW, p.serverError.error());
    }

    @Test
    void everyLaterCallReportsTheSameError() throws Exception {
        EnginePair p = run("later", f -> flip(f, 0, 20, 0));
        for (var call : List.<org.junit.jupiter.api.function.Executable>of(
                () -> p.server.receive(new byte[1], 0, 1, 0),
                () -> p.server.readApplicationData(new byte[1], 0, 1),
                () -> p.server.writeApplicationData(new byte[1], 0, 1, 0),
                () -> p.server.tick(0),
                () -> p.server.requestRekey(RekeyKind.RATCHET, 0),
                () -> p.server.receiveEndOfStream())) {
            assertEquals(QspError.BAD_RECORD_MAC, assertThrows(QspProtocolException.class, call).error());
        }
    }
}
