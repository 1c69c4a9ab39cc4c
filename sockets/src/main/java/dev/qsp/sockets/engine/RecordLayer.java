package dev.qsp.sockets.engine;

import dev.qsp.sockets.QspError;
import dev.qsp.sockets.QspProtocolException;
import javax.crypto.SecretKey;

/**
 * Frame sequencing and protection (SPEC.md §4.3, §4.9): the unprotected handshake-phase sequence numbers, then
 * one {@link RecordCipher} per direction, each with its exact expected (epoch, seq). Counts records and
 * plaintext bytes per epoch for the rekey triggers, and refuses to send application data past the hard record
 * limit so a key is never over-used and a sequence number never wraps.
 */
final class RecordLayer {
    private RecordCipher send;
    private RecordCipher recv;
    private long sendSeq;
    private long recvSeq;
    private long sendBytes;
    private long recvBytes;
    private long handshakeSendSeq;
    private long handshakeRecvSeq;
    /** Observation (SPEC.md §6.6): null unless frames are observed or keys logged, so off costs one null test. */
    EngineEvents.RecordHook hook;

    boolean sendProtected() { return send != null; }

    boolean recvProtected() { return recv != null; }

    int sendEpoch() { return send == null ? 0 : send.epoch(); }

    int recvEpoch() { return recv == null ? 0 : recv.epoch(); }

    long sendSeq() { return sendSeq; }

    long recvSeq() { return recvSeq; }

    long sendBytes() { return sendBytes; }

    long recvBytes() { return recvBytes; }

    long handshakeRecvSeq() { return handshakeRecvSeq; }

    /** Switches sending to {@code key} of {@code epoch}; the previous key is destroyed, its Cipher reused. */
    void installSend(AeadSuite suite, int epoch, SecretKey key) throws QspProtocolException {
        send = send == null ? newCipher(suite, epoch, key) : send.next(epoch, key);
        if (hook != null) hook.keyInstalled(true, suite, epoch, key);
        sendSeq = 0;
        sendBytes = 0;
    }

    /** Switches receiving to {@code key} of {@code epoch}; the previous key is destroyed, its Cipher reused. */
    void installRecv(AeadSuite suite, int epoch, SecretKey key) throws QspProtocolException {
        recv = recv == null ? newCipher(suite, epoch, key) : recv.next(epoch, key);
        if (hook != null) hook.keyInstalled(false, suite, epoch, key);
        recvSeq = 0;
        recvBytes = 0;
    }

    private static RecordCipher newCipher(AeadSuite suite, int epoch, SecretKey key) throws QspProtocolException {
        try {
            return new RecordCipher(suite, epoch, key);
        } catch (java.security.GeneralSecurityException e) {
            throw new QspProtocolException(QspError.INTERNAL, suite.displayName() + " is not available", false, e);
        }
    }

    /** Writes an unprotected handshake-phase frame (epoch 0, the handshake sequence). */
    void writePlain(FrameType type, byte[] p, int off, int len, ByteQueue out) {
        int at = out.reserve(Frames.HEADER_LENGTH + len);
        byte[] b = out.array();
        if (hook != null) hook.frame(true, type, 0, handshakeSendSeq, len);
        Frames.writeHeader(b, at, type, 0, handshakeSendSeq++, len);
        System.arraycopy(p, off, b, at + Frames.HEADER_LENGTH, len);
        out.commit(Frames.HEADER_LENGTH + len);
    }

    /**
     * Seals one protected frame of at most {@link Frames#MAX_PLAINTEXT} bytes into {@code out}.
     *
     * @param hardLimit records after which APP_DATA is refused under this key ({@code LIMIT_REACHED});
     *                  control frames (REKEY, CLOSE) stay allowed so that the rekey that resets the count
     *                  can still happen, up to the sequence space itself
     */
    void seal(FrameType type, byte[] p, int off, int len, ByteQueue out, long hardLimit) throws QspProtocolException {
        if (type == FrameType.APP_DATA && sendSeq >= hardLimit) {
            throw new QspProtocolException(QspError.LIMIT_REACHED, "refusing to send more than " + hardLimit
                    + " records under one key; the peer has not completed a rekey");
        }
        if (sendSeq == -1L) throw new QspProtocolException(QspError.LIMIT_REACHED, "sequence number space exhausted");
        int at = out.reserve(Frames.HEADER_LENGTH + len + Frames.TAG_LENGTH);
        byte[] b = out.array();
        Frames.writeHeader(b, at, type, send.epoch(), sendSeq, len + Frames.TAG_LENGTH);
        if (hook != null) hook.frame(true, type, send.epoch(), sendSeq, len + Frames.TAG_LENGTH);
        send.seal(b, at, sendSeq, p, off, len);
        out.commit(Frames.HEADER_LENGTH + len + Frames.TAG_LENGTH);
        sendSeq++;
        if (type == FrameType.APP_DATA) sendBytes += len;
    }

    /** Checks an unprotected frame's (epoch, seq) and consumes its sequence number. */
    void acceptPlain(int epoch, long seq) throws QspProtocolException {
        if (epoch != 0) {
            throw new QspProtocolException(QspError.UNEXPECTED_EPOCH, "handshake frame with epoch " + Integer.toUnsignedString(epoch) + ", expected 0");
        }
        if (seq != handshakeRecvSeq) {
            throw new QspProtocolException(QspError.UNEXPECTED_SEQUENCE, "handshake frame seq " + Long.toUnsignedString(seq)
                    + ", expected " + handshakeRecvSeq);
        }
        handshakeRecvSeq++;
    }

    /**
     * Checks a protected frame's (epoch, seq) against the expected ones, then opens it into {@code dst} and
     * returns the plaintext length. The sequence number is consumed only when the frame authenticates.
     */
    int open(byte[] in, int off, int epoch, long seq, int payloadLength, byte[] dst, int dstOff) throws QspProtocolException {
        if (epoch != recv.epoch()) {
            throw new QspProtocolException(QspError.UNEXPECTED_EPOCH, "frame epoch " + Integer.toUnsignedString(epoch)
                    + ", expected " + Integer.toUnsignedString(recv.epoch()));
        }
        if (seq != recvSeq) {
            throw new QspProtocolException(QspError.UNEXPECTED_SEQUENCE, "frame seq " + Long.toUnsignedString(seq)
                    + ", expected " + Long.toUnsignedString(recvSeq));
        }
        if (payloadLength < Frames.TAG_LENGTH) {
            throw new QspProtocolException(QspError.BAD_RECORD_MAC, "protected frame shorter than its tag");
        }
        int n = recv.open(in, off, payloadLength, seq, dst, dstOff);
        recvSeq++;
        return n;
    }

    void countReceivedAppBytes(int n) { recvBytes += n; }

    /**
     * Test hook (package-private, via {@link QspEngine#jumpSequencesForTest}): continues the protected sequences
     * from these values, so tests reach u64 sequence numbers of 2^8 and more and the end of the sequence space.
     */
    void jumpSequencesForTest(long send, long recv) {
        sendSeq = send;
        recvSeq = recv;
    }

    void destroy() {
        if (send != null) send.destroy();
        if (recv != null) recv.destroy();
    }
}
