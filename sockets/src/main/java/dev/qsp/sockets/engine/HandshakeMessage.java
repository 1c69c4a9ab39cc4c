package dev.qsp.sockets.engine;

import dev.qsp.sockets.QspError;
import dev.qsp.sockets.QspProtocolException;

/**
 * A handshake message: {@code u8(type) ‖ u24(length) ‖ body} (SPEC.md §4.4). The encoded form is what the
 * transcript hashes.
 */
public sealed interface HandshakeMessage
        permits ClientHello, ServerHello, CertificateMessage, CertificateVerify, Finished {

    /** Message type of {@link ClientHello}. */
    int CLIENT_HELLO = 1;
    /** Message type of {@link ServerHello}. */
    int SERVER_HELLO = 2;
    /** Message type of {@link CertificateMessage}. */
    int CERTIFICATE = 3;
    /** Message type of {@link CertificateVerify}. */
    int CERTIFICATE_VERIFY = 4;
    /** Message type of {@link Finished}. */
    int FINISHED = 5;

    /** Largest accepted handshake message body (SPEC.md §4.13). */
    int MAX_BODY = 128 * 1024;

    /** {@return the message type byte} */
    int type();

    /**
     * Appends the body (without the header).
     *
     * @param w where it goes
     */
    void writeBody(WireWriter w);

    /** {@return the full encoding, header included} */
    default byte[] encode() {
        WireWriter w = new WireWriter(512);
        w.u8(type()).u24(0);
        writeBody(w);
        byte[] out = w.toByteArray();
        int len = out.length - 4;
        out[1] = (byte) (len >>> 16);
        out[2] = (byte) (len >>> 8);
        out[3] = (byte) len;
        return out;
    }

    /**
     * Parses one complete encoded message (header and body), as the fuzzer and the replay test call it.
     *
     * @param encoded the message, header included
     * @return the message
     * @throws QspProtocolException DECODE_ERROR (or a more specific code) for malformed input
     */
    static HandshakeMessage decode(byte[] encoded) throws QspProtocolException {
        WireReader r = new WireReader(encoded);
        int type = r.u8("handshake type");
        int len = r.u24("handshake length");
        if (len > MAX_BODY) {
            throw new QspProtocolException(QspError.DECODE_ERROR, "handshake message of " + len + " bytes, at most " + MAX_BODY);
        }
        byte[] body = r.bytes(len, "handshake body");
        r.expectEnd("handshake message");
        return parse(type, body);
    }

    /**
     * Parses one message from its type and body.
     *
     * @param type the message type byte
     * @param body the body
     * @return the message
     * @throws QspProtocolException DECODE_ERROR (or a more specific code) for a malformed body, UNEXPECTED_MESSAGE
     *                              for an unknown type
     */
    static HandshakeMessage parse(int type, byte[] body) throws QspProtocolException {
        WireReader r = new WireReader(body);
        return switch (type) {
            case CLIENT_HELLO -> ClientHello.read(r);
            case SERVER_HELLO -> ServerHello.read(r);
            case CERTIFICATE -> CertificateMessage.read(r);
            case CERTIFICATE_VERIFY -> CertificateVerify.read(r);
            case FINISHED -> Finished.read(r);
            default -> throw new QspProtocolException(QspError.UNEXPECTED_MESSAGE, "unknown handshake message type " + type);
        };
    }
}
