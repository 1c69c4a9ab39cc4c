package dev.qsp.sockets.engine;

import dev.qsp.sockets.QspError;
import dev.qsp.sockets.QspProtocolException;

/**
 * Reassembles handshake messages from HANDSHAKE frame payloads (a message may span frames, a frame may hold
 * several messages; SPEC.md §4.4). A message's announced length is checked against
 * {@link HandshakeMessage#MAX_BODY} as soon as its 4-byte header is visible, before its body is buffered.
 */
final class HandshakeReassembler {
    private final ByteQueue pending = new ByteQueue(4096);

    void add(byte[] b, int off, int len) throws QspProtocolException {
        pending.write(b, off, len);
        checkHeader();
    }

    private void checkHeader() throws QspProtocolException {
        if (pending.size() >= 4) {
            int bodyLen = u24(pending.array(), pending.start() + 1);
            if (bodyLen > HandshakeMessage.MAX_BODY) {
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
        checkHeader();
        return msg;
    }

    boolean isEmpty() { return pending.size() == 0; }

    private static int u24(byte[] b, int off) {
        return ((b[off] & 0xFF) << 16) | ((b[off + 1] & 0xFF) << 8) | (b[off + 2] & 0xFF);
    }
}
