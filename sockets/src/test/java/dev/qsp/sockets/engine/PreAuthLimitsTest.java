package dev.qsp.sockets.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qsp.sockets.QspError;
import dev.qsp.sockets.QspHandshakeException;
import dev.qsp.sockets.QspProtocolException;
import org.junit.jupiter.api.Test;

/**
 * What an unauthenticated peer can make a server engine hold or do before it has sent its flight (SPEC.md
 * §4.13): one ClientHello of at most 16 KiB, refused from its header when it announces more; the first-flight
 * deadline; no buffer before the first byte. Time is the engine's injected clock, so nothing sleeps.
 */
class PreAuthLimitsTest {
    private static final long SECOND = 1_000_000_000L;

    /** A plaintext HANDSHAKE frame header announcing {@code frameLen} bytes, then {@code body}. */
    private static byte[] handshakeFrame(int frameLen, byte[] body) {
        byte[] f = new byte[Frames.HEADER_LENGTH + body.length];
        Frames.writeHeader(f, 0, FrameType.HANDSHAKE, 0, 0, frameLen);
        System.arraycopy(body, 0, f, Frames.HEADER_LENGTH, body.length);
        return f;
    }

    /** A handshake message header: type and announced body length, followed by {@code extra} zero bytes. */
    private static byte[] messageStart(int type, int bodyLen, int extra) {
        byte[] b = new byte[4 + extra];
        b[0] = (byte) type;
        b[1] = (byte) (bodyLen >>> 16);
        b[2] = (byte) (bodyLen >>> 8);
        b[3] = (byte) bodyLen;
        return b;
    }

    private static QspEngine startedServer(QspEngineConfig.Builder b) throws Exception {
        QspEngine s = QspEngine.server(b.build(), new SeededRandom("preauth"));
        s.start(0);
        return s;
    }

    @Test
    void aSilentConnectionHoldsNoBuffer() throws Exception {
        QspEngine s = startedServer(Fixtures.server());
        s.tick(SECOND);
        assertEquals(0, s.bufferedCapacity());
        assertEquals(0, s.pendingOutput());
    }

    @Test
    void aPartialClientHelloAnnouncingMoreThan16KiBIsRefusedAtOnceWithDecodeError() throws Exception {
        QspEngine s = startedServer(Fixtures.server());
        // the frame is still incomplete (16,384 announced, 104 sent): the message header inside it is enough
        byte[] frame = handshakeFrame(Frames.MAX_PLAIN_PAYLOAD,
                messageStart(HandshakeMessage.CLIENT_HELLO, HandshakeReassembler.MAX_CLIENT_HELLO_BODY + 1, 100));
        QspProtocolException e = assertThrows(QspProtocolException.class, () -> s.receive(frame, 0, frame.length, 1));
        assertInstanceOf(QspHandshakeException.class, e);
        assertEquals(QspError.DECODE_ERROR, e.error());
        assertEquals("ClientHello of 16385 bytes announced, at most 16384", e.detail());
        assertTrue(s.isClosed());
        // the refusal goes out as an unprotected CLOSE(DECODE_ERROR) (SPEC.md §4.11)
        byte[] out = new byte[64];
        int n = s.drainOutput(out, 0, out.length);
        assertEquals(Frames.HEADER_LENGTH + 2, n);
        assertEquals(FrameType.CLOSE, FrameType.fromWire(Frames.type(out, 0)));
        assertEquals(QspError.DECODE_ERROR.wireValue(), ((out[Frames.HEADER_LENGTH] & 0xFF) << 8) | (out[Frames.HEADER_LENGTH + 1] & 0xFF));
    }

    @Test
    void aClientHelloAnnouncingExactly16KiBIsBufferedAndNotYetRefused() throws Exception {
        QspEngine s = startedServer(Fixtures.server());
        byte[] frame = handshakeFrame(Frames.MAX_PLAIN_PAYLOAD,
                messageStart(HandshakeMessage.CLIENT_HELLO, HandshakeReassembler.MAX_CLIENT_HELLO_BODY, 1000));
        s.receive(frame, 0, frame.length, 1);
        assertTrue(s.failure().isEmpty());
        // it holds what arrived, not what was announced
        assertTrue(s.bufferedCapacity() <= 2 * frame.length, "holds " + s.bufferedCapacity());
    }

    @Test
    void aLargeCertificateSizedFirstMessageIsRefusedThoughBelowThe128KiBBound() throws Exception {
        QspEngine s = startedServer(Fixtures.server());
        // 100 KiB is a legal size for the client's Certificate later, not for anything before the server's flight
        byte[] frame = handshakeFrame(Frames.MAX_PLAIN_PAYLOAD, messageStart(HandshakeMessage.CLIENT_HELLO, 100 * 1024, 0));
        QspProtocolException e = assertThrows(QspProtocolException.class, () -> s.receive(frame, 0, frame.length, 1));
        assertEquals(QspError.DECODE_ERROR, e.error());
    }

    @Test
    void aFirstMessageOtherThanClientHelloIsRefusedFromItsTypeByte() throws Exception {
        QspEngine s = startedServer(Fixtures.server());
        byte[] frame = handshakeFrame(Frames.MAX_PLAIN_PAYLOAD, messageStart(HandshakeMessage.CERTIFICATE, 50_000, 0));
        QspProtocolException e = assertThrows(QspProtocolException.class, () -> s.receive(frame, 0, frame.length, 1));
        assertEquals(QspError.UNEXPECTED_MESSAGE, e.error());
        assertEquals("handshake message type 3 while waiting for ClientHello", e.detail());
    }

    @Test
    void aFrameAbove16KiBBeforeTheHandshakeIsRecordOverflowFromItsHeader() throws Exception {
        QspEngine s = startedServer(Fixtures.server());
        byte[] frame = handshakeFrame(Frames.MAX_PLAIN_PAYLOAD + 1, new byte[0]);
        QspProtocolException e = assertThrows(QspProtocolException.class, () -> s.receive(frame, 0, frame.length, 1));
        assertEquals(QspError.RECORD_OVERFLOW, e.error());
        assertEquals("frame length 16385, at most 16384", e.detail());
    }

    @Test
    void theClientHelloMustBeCompleteByTheHelloDeadline() throws Exception {
        QspEngine s = startedServer(Fixtures.server().helloTimeoutNanos(2 * SECOND));
        assertEquals(2 * SECOND, s.handshakeDeadlineNanos());
        byte[] frame = handshakeFrame(Frames.MAX_PLAIN_PAYLOAD, messageStart(HandshakeMessage.CLIENT_HELLO, 1400, 10));
        s.receive(frame, 0, frame.length, SECOND); // a trickle: part of a ClientHello
        s.tick(2 * SECOND - 1);
        QspProtocolException e = assertThrows(QspProtocolException.class, () -> s.tick(2 * SECOND));
        assertEquals(QspError.HANDSHAKE_TIMEOUT, e.error());
        assertEquals("no complete ClientHello within 2000 ms", e.detail());
    }

    @Test
    void afterTheClientHelloTheLongerHandshakeDeadlineApplies() throws Exception {
        QspEngine client = QspEngine.client(Fixtures.client().build(), new SeededRandom("hello-then:c"));
        QspEngine server = startedServer(Fixtures.server().helloTimeoutNanos(2 * SECOND).handshakeTimeoutNanos(30 * SECOND));
        client.start(SECOND);
        byte[] buf = new byte[1 << 16];
        int n = client.drainOutput(buf, 0, buf.length);
        server.receive(buf, 0, n, SECOND); // the ClientHello at 1 s: the server sends its flight
        assertTrue(server.pendingOutput() > 0);
        assertEquals(30 * SECOND, server.handshakeDeadlineNanos());
        server.tick(10 * SECOND); // past the hello deadline, the client's Finished still outstanding: no error
        assertTrue(server.failure().isEmpty());
        QspProtocolException e = assertThrows(QspProtocolException.class, () -> server.tick(30 * SECOND));
        assertEquals(QspError.HANDSHAKE_TIMEOUT, e.error());
        assertEquals("handshake not complete within 30000 ms", e.detail());
    }

    @Test
    void aLegitimateHandshakeWithinTheHelloDeadlineCompletes() throws Exception {
        EnginePair p = new EnginePair(Fixtures.client().build(), Fixtures.server().helloTimeoutNanos(SECOND).build(), "hello-ok");
        p.now = SECOND - 1;
        p.handshake();
        assertNull(p.serverError);
        assertNull(p.clientError);
        assertTrue(p.server.isHandshakeComplete());
        p.server.tick(5 * SECOND); // the first-flight deadline no longer applies
        assertTrue(p.server.failure().isEmpty());
    }
}
