package dev.qsp.sockets.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qsp.sockets.QspError;
import dev.qsp.sockets.QspHandshakeException;
import dev.qsp.sockets.QspProtocolException;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The reason code of a received CLOSE (SPEC.md §4.11) read as a big-endian u16 in all three places it is read: an
 * authenticated CLOSE (sealed here with the sender's own traffic key from its key log, so any body can be sent),
 * an unprotected CLOSE during the handshake, and an unauthenticated CLOSE after this side's handshake. Codes whose
 * high byte is set (0x0105) are unknown and must be named as such, never folded into a known low-byte code.
 */
class CloseCodesTest {

    /** The client's sending keys, as its key log reported them. */
    static final class SendKeys implements TrafficKeyLog {
        final List<SecretKey> c2s = new ArrayList<>();

        @Override
        public void trafficKey(byte[] clientRandom, int epoch, boolean clientToServer, AeadSuite suite, SecretKey key) {
            if (clientToServer) c2s.add(new SecretKeySpec(key.getEncoded(), suite.keyAlgorithm()));
        }
    }

    /** A CLOSE frame with {@code body}, sealed under the client's epoch-0 key at its next sequence number. */
    private static byte[] sealedClose(EnginePair p, SendKeys keys, byte[] body) throws Exception {
        AeadSuite suite = p.client.session().aead();
        RecordCipher c = new RecordCipher(suite, 0, keys.c2s.getFirst());
        byte[] f = new byte[Frames.HEADER_LENGTH + body.length + Frames.TAG_LENGTH];
        Frames.writeHeader(f, 0, FrameType.CLOSE, 0, p.client.sendSequence(), body.length + Frames.TAG_LENGTH);
        c.seal(f, 0, p.client.sendSequence(), body, 0, body.length);
        return f;
    }

    private static QspProtocolException closedWith(byte[] body) throws Exception {
        SendKeys keys = new SendKeys();
        EnginePair p = Fixtures.established(Fixtures.client().keyLog(keys), Fixtures.server(), "close-codes");
        byte[] f = sealedClose(p, keys, body);
        p.deliver(p.server, true, f, 0, f.length);
        assertNotNull(p.serverError);
        return p.serverError;
    }

    @Test
    void anAuthenticatedCloseNamesItsCode() throws Exception {
        QspProtocolException e = closedWith(new byte[] {0x01, 0x05});
        assertEquals(QspError.INTERNAL, e.error());
        assertTrue(e.isRemote());
        assertEquals("the peer closed the connection: unknown reason 0x105", e.detail());

        e = closedWith(new byte[] {0x00, 0x0E});
        assertEquals(QspError.ILLEGAL_PARAMETER, e.error());
        assertEquals("the peer closed the connection: ILLEGAL_PARAMETER", e.detail());

        e = closedWith(new byte[] {0x00, 0x0E, 0x00});
        assertEquals(QspError.DECODE_ERROR, e.error());
        assertEquals("CLOSE body of 3 bytes, expected 2", e.detail());
    }

    /** An unprotected CLOSE as the server's first frame (epoch 0, seq {@code seq}) with {@code code}. */
    private static byte[] plainClose(long seq, int code) {
        byte[] f = new byte[Frames.HEADER_LENGTH + 2];
        Frames.writeHeader(f, 0, FrameType.CLOSE, 0, seq, 2);
        f[Frames.HEADER_LENGTH] = (byte) (code >>> 8);
        f[Frames.HEADER_LENGTH + 1] = (byte) code;
        return f;
    }

    private static QspProtocolException clientGetsPlainCloseFirst(int code) throws Exception {
        EnginePair p = new EnginePair(Fixtures.client().build(), Fixtures.server().build(), "close-plain");
        p.client.start(0);
        byte[] f = plainClose(0, code);
        p.deliver(p.client, false, f, 0, f.length);
        return assertInstanceOf(QspHandshakeException.class, p.clientError);
    }

    @Test
    void anUnprotectedCloseDuringTheHandshakeNamesItsCode() throws Exception {
        QspProtocolException e = clientGetsPlainCloseFirst(0x0105);
        assertEquals(QspError.INTERNAL, e.error());
        assertTrue(e.isRemote());
        assertEquals("the peer closed the connection during the handshake: unknown reason 0x105", e.detail());
        e = clientGetsPlainCloseFirst(0x000F);
        assertEquals(QspError.NO_COMMON_SUITE, e.error());
        assertEquals("the peer closed the connection during the handshake: NO_COMMON_SUITE", e.detail());
    }

    @Test
    void anUnauthenticatedCloseAfterTheHandshakeNamesTheCodeItClaims() throws Exception {
        EnginePair p = new EnginePair(Fixtures.client().build(), Fixtures.server().build(), "close-unauth");
        p.server.start(0);
        p.client.start(0);
        byte[] hello = EnginePair.drainAll(p.client);
        p.server.receive(hello, 0, hello.length, 0);
        byte[] flight = EnginePair.drainAll(p.server);
        int frames = EnginePair.frames(flight).size();
        p.client.receive(flight, 0, flight.length, 0);
        assertTrue(p.client.isHandshakeComplete());
        byte[] f = plainClose(frames, 0x0105);
        p.deliver(p.client, false, f, 0, f.length);
        assertEquals(QspError.UNAUTHENTICATED_CLOSE, p.clientError.error());
        assertTrue(p.clientError.detail().startsWith("an unauthenticated CLOSE (claiming unknown reason 0x105) arrived"),
                p.clientError.detail());
    }
}
