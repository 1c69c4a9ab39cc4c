package dev.qsp.sockets.engine;

import dev.qsp.sockets.QspError;
import dev.qsp.sockets.QspProtocolException;

/**
 * Reassembles handshake messages from HANDSHAKE frame payloads (a message may span frames, a frame may hold
 * several messages; SPEC.md §4.4). A message's announced length is checked against
 * {@link HandshakeMessage#MAX_BODY} as soon as its 4-byte header is visible, before its body is buffered.
 *
 * <p>A server's reassembler is stricter before its first message (SPEC.md §4.13): until it has sent its flight
 * the client may send one ClientHello of at most {@link #MAX_CLIENT_HELLO_BODY} bytes, so an unauthenticated peer
 * can make it buffer no more than that; the 128 KiB bound applies only to the client's later messages (its
 * Certificate), which it sends after the server has authenticated itself.
 */
final class HandshakeReassembler {
    /** Largest ClientHello body a server accepts (16 KiB; a real one is about 1.4 KB). */
    static final int MAX_CLIENT_HELLO_BODY = 16 * 1024;

    private final ByteQueue pending = new ByteQueue(512); // grows with what arrived (§4.13)
    /** Server, until the first message is complete: it must be a ClientHello of at most 16 KiB. */
    private boolean clientHelloFirst;

    /** Server side: the first message must be a ClientHello of at most {@link #MAX_CLIENT_HELLO_BODY} bytes. */
    void expectClientHelloFirst() { clientHelloFirst = true; }

    void add(byte[] b, int off, int len) throws QspProtocolException {
        if (clientHelloFirst && pending.size() == 0) checkFirst(b, off, len); // before buffering anything
        pending.write(b, off, len);
        checkHeader();
    }

    /**
     * Checks the start of a HANDSHAKE frame whose body is still arriving ({@code b[off..off+len)} is what is
     * there so far), so that a server refuses an oversized or wrong first message at once instead of waiting for
     * the frame to complete. Only the first message of a server is checked this way.
     */
    void checkPartialFrame(byte[] b, int off, int len) throws QspProtocolException {
        if (clientHelloFirst && pending.size() == 0) checkFirst(b, off, len);
    }

    private void checkFirst(byte[] b, int off, int len) throws QspProtocolException {
        if (len >= 1 && (b[off] & 0xFF) != HandshakeMessage.CLIENT_HELLO) {
            throw new QspProtocolException(QspError.UNEXPECTED_MESSAGE,
                    "handshake message type " + (b[off] & 0xFF) + " while waiting for ClientHello");
        }
        if (len >= 4) checkClientHelloLength(u24(b, off + 1));
    }

    private static void checkClientHelloLength(int bodyLen) throws QspProtocolException {
        if (bodyLen > MAX_CLIENT_HELLO_BODY) {
            throw new QspProtocolException(QspError.DECODE_ERROR,
                    "ClientHello of " + bodyLen + " bytes announced, at most " + MAX_CLIENT_HELLO_BODY);
        }
    }

    private void checkHeader() throws QspProtocolException {
        if (pending.size() >= 4) {
            int bodyLen = u24(pending.array(), pending.start() + 1);
            if (clientHelloFirst) {
                checkFirst(pending.array(), pending.start(), 4);
            } else if (bodyLen > HandshakeMessage.MAX_BODY) {
                throw new QspProtocolException(QspError.DECODE_ERROR,
                        "handshake message of " + bodyLen + " bytes announced, at most " + HandshakeMessage.MAX_BODY);
            }
        }
    }

    /** The next complete encoded message (header included), or null if none is complete yet. */
    byte[] next() throws QspProtocolException {
        if (pending.size() < 4) return null;
        int bodyLen = u24(pending.array(), pending.start() + 1);
        if (pending.size() < 4 + bodyLen) return null;
        byte[] msg = new byte[4 + bodyLen];
        pending.read(msg, 0, msg.length);
        clientHelloFirst = false; // the server answers it before it handles anything after it
        checkHeader();
        return msg;
    }

    boolean isEmpty() { return pending.size() == 0; }

    /** Drops the buffer once the handshake is over (it is empty then). */
    void release() { pending.release(); }

    int capacity() { return pending.capacity(); }

    private static int u24(byte[] b, int off) {
        return ((b[off] & 0xFF) << 16) | ((b[off + 1] & 0xFF) << 8) | (b[off + 2] & 0xFF);
    }
}
