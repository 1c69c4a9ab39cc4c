package dev.qsp.sockets.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.qsp.sockets.QspError;
import dev.qsp.sockets.QspProtocolException;
import org.junit.jupiter.api.Test;

/** The reassembler's length checks (SPEC.md §4.4, §4.13), at and one past each maximum, for every message of a frame. */
class HandshakeReassemblerTest {

    private static byte[] header(int type, int bodyLen) {
        return new byte[] {(byte) type, (byte) (bodyLen >>> 16), (byte) (bodyLen >>> 8), (byte) bodyLen};
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    @Test
    void secondMessageOfAFrameIsCheckedWhenTheFirstIsTaken() throws Exception {
        HandshakeReassembler r = new HandshakeReassembler();
        byte[] first = concat(header(HandshakeMessage.FINISHED, 2), new byte[] {7, 8});
        byte[] frame = concat(first, header(HandshakeMessage.CERTIFICATE, HandshakeMessage.MAX_BODY + 1));
        r.add(frame, 0, frame.length);
        QspProtocolException e = assertThrows(QspProtocolException.class, r::next);
        assertEquals(QspError.DECODE_ERROR, e.error());
        assertEquals("DECODE_ERROR: handshake message of " + (HandshakeMessage.MAX_BODY + 1) + " bytes announced, at most "
                + HandshakeMessage.MAX_BODY, e.getMessage());
    }

    @Test
    void secondMessageAtExactlyTheMaximumIsBuffered() throws Exception {
        HandshakeReassembler r = new HandshakeReassembler();
        byte[] first = concat(header(HandshakeMessage.FINISHED, 1), new byte[] {9});
        byte[] frame = concat(first, header(HandshakeMessage.CERTIFICATE, HandshakeMessage.MAX_BODY));
        r.add(frame, 0, frame.length);
        assertArrayEquals(first, r.next());
        assertNull(r.next(), "the 128 KiB message is still arriving");
        byte[] body = new byte[HandshakeMessage.MAX_BODY];
        body[0] = 1;
        body[body.length - 1] = 2;
        r.add(body, 0, body.length);
        byte[] msg = r.next();
        assertEquals(4 + HandshakeMessage.MAX_BODY, msg.length);
        assertEquals(2, msg[msg.length - 1]);
        assertEquals(HandshakeMessage.CERTIFICATE, msg[0] & 0xFF);
    }

    @Test
    void firstMessageOnePastTheMaximumIsRefusedAtItsHeader() {
        HandshakeReassembler r = new HandshakeReassembler();
        byte[] h = header(HandshakeMessage.CERTIFICATE, HandshakeMessage.MAX_BODY + 1);
        QspProtocolException e = assertThrows(QspProtocolException.class, () -> r.add(h, 0, h.length));
        assertEquals(QspError.DECODE_ERROR, e.error());
    }

    @Test
    void clientHelloLimitAtAndPastTheMaximum() throws Exception {
        HandshakeReassembler ok = new HandshakeReassembler();
        ok.expectClientHelloFirst();
        byte[] h = header(HandshakeMessage.CLIENT_HELLO, HandshakeReassembler.MAX_CLIENT_HELLO_BODY);
        ok.add(h, 0, h.length);
        assertNull(ok.next());

        HandshakeReassembler big = new HandshakeReassembler();
        big.expectClientHelloFirst();
        byte[] h2 = header(HandshakeMessage.CLIENT_HELLO, HandshakeReassembler.MAX_CLIENT_HELLO_BODY + 1);
        QspProtocolException e = assertThrows(QspProtocolException.class, () -> big.add(h2, 0, h2.length));
        assertEquals(QspError.DECODE_ERROR, e.error());
        assertEquals("DECODE_ERROR: ClientHello of 16385 bytes announced, at most 16384", e.getMessage());
    }

    @Test
    void clientHelloHeaderSplitAcrossFramesIsStillChecked() throws Exception {
        // The u24 length arrives in a second frame: the check runs on the buffered header (checkHeader).
        HandshakeReassembler r = new HandshakeReassembler();
        r.expectClientHelloFirst();
        byte[] h = header(HandshakeMessage.CLIENT_HELLO, 0x010000); // 65,536 > 16 KiB, byte 1 carries it
        r.add(h, 0, 2);
        QspProtocolException e = assertThrows(QspProtocolException.class, () -> r.add(h, 2, 2));
        assertEquals("DECODE_ERROR: ClientHello of 65536 bytes announced, at most 16384", e.getMessage());
    }

    @Test
    void afterTheClientHelloTheGeneralLimitApplies() throws Exception {
        HandshakeReassembler r = new HandshakeReassembler();
        r.expectClientHelloFirst();
        byte[] hello = concat(header(HandshakeMessage.CLIENT_HELLO, 1), new byte[] {5});
        byte[] frame = concat(hello, header(HandshakeMessage.CERTIFICATE, HandshakeReassembler.MAX_CLIENT_HELLO_BODY + 1));
        r.add(frame, 0, frame.length);
        assertArrayEquals(hello, r.next());
        assertNull(r.next(), "a 16 KiB + 1 Certificate is within the 128 KiB bound");
    }

    @Test
    void u24LengthUsesAllThreeBytes() throws Exception {
        HandshakeReassembler r = new HandshakeReassembler();
        byte[] body = new byte[0x010203];
        byte[] msg = concat(header(HandshakeMessage.CERTIFICATE, 0x010203), body);
        r.add(msg, 0, msg.length - 1);
        assertNull(r.next());
        r.add(msg, msg.length - 1, 1);
        assertEquals(msg.length, r.next().length);
    }
}
