package dev.qsp.sockets.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qsp.sockets.QspError;
import dev.qsp.sockets.QspProtocolException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Input that arrives in pieces (SPEC.md §4.3, §4.13, §4.15): a server refuses a wrong first message from its first
 * byte and checks only the bytes that arrived of a partial frame; the reassembler hands out a message with an empty
 * body; a client paused for its key sources keeps every byte that arrives meanwhile, also of a split frame; the
 * unauthenticated bytes of a partial frame are dropped on abort and on a fatal error; the reader names what was
 * short and by how much.
 */
class PartialInputTest {

    private static byte[] handshakeFrame(int seq, byte[] body) {
        byte[] f = new byte[Frames.HEADER_LENGTH + body.length];
        Frames.writeHeader(f, 0, FrameType.HANDSHAKE, 0, seq, body.length);
        System.arraycopy(body, 0, f, Frames.HEADER_LENGTH, body.length);
        return f;
    }

    private static QspEngine server(String seed) throws Exception {
        QspEngine s = QspEngine.server(Fixtures.server().build(), new SeededRandom(seed));
        s.start(0);
        return s;
    }

    @Test
    void aServerRefusesAWrongFirstMessageFromItsTypeByteAlone() throws Exception {
        QspEngine s = server("partial-type");
        byte[] f = handshakeFrame(0, new byte[] {HandshakeMessage.SERVER_HELLO});
        QspProtocolException e = assertThrows(QspProtocolException.class, () -> s.receive(f, 0, f.length, 0));
        assertEquals(QspError.UNEXPECTED_MESSAGE, e.error());
        assertEquals("handshake message type 2 while waiting for ClientHello", e.detail());
    }

    @Test
    void aPartialFrameIsCheckedOnlyAsFarAsItArrived() throws Exception {
        QspEngine s = server("partial-extent");
        byte[] b = new byte[60];
        Arrays.fill(b, (byte) 0xFF); // beyond what was received: must not be read as an announced length
        Frames.writeHeader(b, 5, FrameType.HANDSHAKE, 0, 0, 40);
        b[5 + Frames.HEADER_LENGTH] = HandshakeMessage.CLIENT_HELLO;
        s.receive(b, 5, Frames.HEADER_LENGTH + 1, 0); // the header and the type byte only
        assertTrue(s.failure().isEmpty());
        assertEquals(512, s.bufferedCapacity(), "only the inbound frame buffer holds an array, at its first size");
        s.abort();
        assertEquals(0, s.bufferedCapacity(), "the unauthenticated partial frame is dropped");

        QspEngine t = server("partial-extent-2");
        byte[] c = new byte[60];
        Arrays.fill(c, (byte) 0xFF);
        Frames.writeHeader(c, 5, FrameType.HANDSHAKE, 0, 0, 40);
        c[5 + Frames.HEADER_LENGTH] = HandshakeMessage.CLIENT_HELLO;
        c[6 + Frames.HEADER_LENGTH] = 0x00;
        c[7 + Frames.HEADER_LENGTH] = 0x40;
        c[8 + Frames.HEADER_LENGTH] = 0x01; // 16385 announced: one more than a ClientHello may have
        QspProtocolException e = assertThrows(QspProtocolException.class, () -> t.receive(c, 5, Frames.HEADER_LENGTH + 4, 0));
        assertEquals("ClientHello of 16385 bytes announced, at most 16384", e.detail());
        assertTrue(t.pendingOutput() > 0, "the CLOSE");
        assertEquals(4096, t.bufferedCapacity(), "the CLOSE's output array only: the partial frame is dropped");
    }

    @Test
    void theReassemblerHandsOutAnEmptyBodyMessage() throws Exception {
        HandshakeReassembler r = new HandshakeReassembler();
        assertEquals(0, r.capacity());
        r.add(new byte[] {HandshakeMessage.FINISHED, 0, 0}, 0, 3);
        assertNull(r.next());
        assertEquals(512, r.capacity());
        r.add(new byte[] {0, HandshakeMessage.FINISHED, 0, 0, 1}, 0, 5);
        assertArrayEquals(new byte[] {HandshakeMessage.FINISHED, 0, 0, 0}, r.next());
        assertNull(r.next(), "the second message lacks its body byte");
        r.add(new byte[] {9}, 0, 1);
        assertArrayEquals(new byte[] {HandshakeMessage.FINISHED, 0, 0, 1, 9}, r.next());
        assertTrue(r.isEmpty());
        r.add(new byte[] {HandshakeMessage.FINISHED, 0, 0, 0}, 0, 4); // exactly a header: a whole empty message
        assertArrayEquals(new byte[] {HandshakeMessage.FINISHED, 0, 0, 0}, r.next());
    }

    @Test
    void aPausedServerKeepsEveryByteThatArrivesMeanwhile() throws Exception {
        QspEngine c = QspEngine.client(Fixtures.client().build(), new SeededRandom("client:paused"));
        QspEngine s = QspEngine.server(Fixtures.server().delegatedTasks(true).build(), new SeededRandom("server:paused"));
        s.start(0);
        c.start(0);
        byte[] hello = EnginePair.drainAll(c);
        // after the ClientHello's frame, a second frame: a (wrong) client Finished, 48 zero bytes of verify data
        byte[] finished = new byte[4 + 48];
        finished[0] = HandshakeMessage.FINISHED;
        finished[3] = 48;
        byte[] second = handshakeFrame(EnginePair.frames(hello).size(), finished);
        byte[] all = Arrays.copyOf(hello, hello.length + second.length);
        System.arraycopy(second, 0, all, hello.length, second.length);
        int cut = hello.length + 10; // the ClientHello and 10 bytes of the next frame
        s.receive(all, 0, cut, 0);
        assertTrue(s.isInboundPaused(), "the ClientHello's key-source task is outstanding");
        s.receive(all, cut, 7, 0); // arrives while paused, into the partial frame
        s.receive(all, cut + 7, all.length - cut - 7, 0);
        assertTrue(s.failure().isEmpty());
        s.delegatedTask().run();
        QspProtocolException e = assertThrows(QspProtocolException.class, () -> s.tick(0));
        assertEquals(QspError.BAD_FINISHED, e.error(), "the buffered frame was handled whole after the task");
        assertEquals("client Finished does not match the transcript", e.detail());
    }

    @Test
    void theReaderNamesTheFieldAndWhatIsLeft() throws Exception {
        byte[] b = {1, 2, 3, 4, 5, 6};
        WireReader r = new WireReader(b, 1, 4);
        assertEquals(4, r.remaining());
        assertEquals(2, r.u8("a"));
        assertEquals(3, r.remaining());
        QspProtocolException e = assertThrows(QspProtocolException.class, () -> r.u32("field"));
        assertEquals(QspError.DECODE_ERROR, e.error());
        assertEquals("field: needs 4 bytes, 3 left", e.detail());
        assertEquals(0x030405, r.u24("b"));
        assertEquals(0, r.remaining());
        r.expectEnd("m");
    }
}
