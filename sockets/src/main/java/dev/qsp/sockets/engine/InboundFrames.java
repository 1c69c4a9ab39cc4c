package dev.qsp.sockets.engine;

import dev.qsp.sockets.QspError;
import dev.qsp.sockets.QspHandshakeException;
import dev.qsp.sockets.QspProtocolException;
import java.nio.ByteBuffer;

/**
 * The inbound half of {@link QspEngine}: parses the peer's byte stream into frames (SPEC.md §4.3), buffers a
 * frame split across calls, checks each header, opens protected frames through the record layer (§4.9) and
 * dispatches what they carry: handshake messages, authenticated application data, REKEY messages (§4.10) and
 * CLOSE (§4.11). What those change in the engine's state goes back through {@link Receiver}. Sans-I/O like the
 * engine (§4.1).
 */
final class InboundFrames {
    /** What the engine does with the frames' contents; each call happens in stream order. */
    interface Receiver {
        /** The engine has failed: stop handling frames at once. */
        boolean failed();

        /** The peer's CLOSE was received (or the engine ended): any later frame is an error. */
        boolean inboundClosed();

        /**
         * The engine waits for a key-source task whose result the next frames depend on (SPEC.md §4.15): frames
         * are buffered, not handled, until {@link #resume}.
         */
        boolean paused();

        /** Advances the handshake state machine by one message (§4.12); returns whether it is now complete. */
        boolean handshakeMessage(byte[] msg) throws QspProtocolException;

        /** The handshake completed with the message just handled (and nothing after it). */
        void handshakeComplete(long now) throws QspProtocolException;

        /** An authenticated REKEY message (§4.10). */
        void rekeyMessage(RekeyMessage msg, byte[] plain, long now) throws QspProtocolException;

        /** An authenticated CLOSE body: null for a clean end of the inbound side, else the error to throw. */
        QspProtocolException close(byte[] plain, int off, int len) throws QspProtocolException;

        /** A protected frame was handled (the server's rekey triggers run here, §4.10). */
        void protectedFrameDone(long now) throws QspProtocolException;
    }

    private final RecordLayer records;
    private final ByteQueue app;
    private final Receiver engine;
    // Allocated on first use, released with the handshake's buffers (SPEC.md §4.15); it starts small and grows with
    // what the peer actually sent, so a peer that sends little before authenticating costs little (§4.13).
    private final ByteQueue in = new ByteQueue(512);
    private final HandshakeReassembler handshakeIn = new HandshakeReassembler();
    private boolean receivedProtected;

    InboundFrames(RecordLayer records, ByteQueue app, Receiver engine) {
        this.records = records;
        this.app = app;
        this.engine = engine;
    }

    /** Server side: bounds what the peer may send before the server's flight (SPEC.md §4.13). */
    void expectClientHelloFirst() { handshakeIn.expectClientHelloFirst(); }

    /**
     * Processes the peer's bytes. Complete frames are opened straight from the caller's array; only a partial
     * frame is copied into the inbound buffer, and when the next call completes it only the missing bytes are
     * copied (the frames after it are again opened in place).
     */
    void receive(byte[] b, int off, int len, long now) throws QspProtocolException {
        int p = off;
        int end = off + len;
        // A frame split across calls: copy only the bytes that complete it, then go on in place.
        while (in.size() > 0 && p < end && !engine.failed()) {
            if (engine.paused()) {
                in.write(b, p, end - p);
                return;
            }
            int n = Math.min(bytesToCompleteBufferedFrame(), end - p);
            in.write(b, p, n);
            p += n;
            in.skip(frames(in.array(), in.start(), in.start() + in.size(), now));
        }
        if (in.size() == 0 && !engine.failed()) {
            if (!engine.paused()) p += frames(b, p, end, now);
            if (!engine.failed()) in.write(b, p, end - p);
        }
    }

    /** Processes the peer's bytes from a buffer: a heap buffer's array is read in place, a direct buffer's bytes go through the inbound buffer. */
    void receive(ByteBuffer src, long now) throws QspProtocolException {
        if (src.hasArray()) { // opened in place, as an array
            int n = src.remaining();
            int at = src.arrayOffset() + src.position();
            src.position(src.limit());
            receive(src.array(), at, n, now);
            return;
        }
        in.write(src);
        if (!engine.paused()) in.skip(frames(in.array(), in.start(), in.start() + in.size(), now));
    }

    /**
     * After the task the engine waited for: handles the handshake messages and frames buffered meanwhile, until
     * the next pause (SPEC.md §4.15).
     */
    void resume(long now) throws QspProtocolException {
        if (engine.failed() || engine.paused()) return;
        handshakeMessages(now);
        if (!engine.failed() && !engine.paused() && in.size() > 0) {
            in.skip(frames(in.array(), in.start(), in.start() + in.size(), now));
        }
    }

    /** The engine waits for a task before it handles more frames (SPEC.md §4.15). */
    boolean paused() { return engine.paused(); }

    /** Bytes of a partial frame waiting for the rest of it. */
    int buffered() { return in.size(); }

    /** Drops the unauthenticated buffered bytes: they are never delivered (§4.11). */
    void clear() { in.clear(); }

    /** Drops the buffer arrays (after the handshake, §4.15). */
    void release() {
        handshakeIn.release();
        in.release();
    }

    /** Drops the inbound buffer if it is empty and larger than {@code keep} bytes (see {@link QspEngine#trimBuffers}). */
    void trim(int keep) { in.releaseIfLarger(keep); }

    /** Bytes of buffer arrays held (test hook). */
    int capacity() { return handshakeIn.capacity() + in.capacity(); }

    /** How many more bytes the partial frame at the head of {@code in} needs (its header first, then its body). */
    private int bytesToCompleteBufferedFrame() {
        int have = in.size();
        if (have < Frames.HEADER_LENGTH) return Frames.HEADER_LENGTH - have;
        return Math.max(1, Frames.HEADER_LENGTH + Frames.length(in.array(), in.start()) - have);
    }

    /** Handles every complete frame in {@code b[start..end)}; returns the bytes consumed (§4.3). */
    private int frames(byte[] b, int start, int end, long now) throws QspProtocolException {
        int p = start;
        while (end - p >= Frames.HEADER_LENGTH && !engine.failed() && !engine.paused()) {
            if (engine.inboundClosed()) throw new QspProtocolException(QspError.UNEXPECTED_MESSAGE, "data after the peer's CLOSE");
            FrameType type = FrameType.fromWire(Frames.type(b, p));
            if (type == null) {
                throw new QspProtocolException(QspError.UNKNOWN_FRAME_TYPE, "frame type " + Frames.type(b, p));
            }
            int len = Frames.length(b, p);
            int max = records.recvProtected() ? Frames.MAX_PROTECTED_PAYLOAD : Frames.MAX_PLAIN_PAYLOAD;
            if (len > max) throw new QspProtocolException(QspError.RECORD_OVERFLOW, "frame length " + len + ", at most " + max);
            if (end - p < Frames.HEADER_LENGTH + len) {
                // a partial handshake frame: its first message's header can be checked already (§4.13)
                if (type == FrameType.HANDSHAKE && !records.recvProtected()) {
                    handshakeIn.checkPartialFrame(b, p + Frames.HEADER_LENGTH, end - p - Frames.HEADER_LENGTH);
                }
                break;
            }
            int epoch = Frames.epoch(b, p);
            long seq = Frames.seq(b, p);
            if (records.hook != null) records.hook.frame(false, type, epoch, seq, len);
            if (!records.recvProtected()) {
                plainFrame(type, b, p, epoch, seq, len, now);
            } else if (!receivedProtected && type == FrameType.CLOSE && epoch == 0 && len == 2
                    && seq == records.handshakeRecvSeq()) {
                throw unauthenticatedClose(b, p + Frames.HEADER_LENGTH, len); // SPEC.md §4.11
            } else {
                protectedFrame(type, b, p, epoch, seq, len, now);
            }
            p += Frames.HEADER_LENGTH + len;
        }
        return p - start;
    }

    private void plainFrame(FrameType type, byte[] b, int p, int epoch, long seq, int len, long now)
            throws QspProtocolException {
        records.acceptPlain(epoch, seq);
        int body = p + Frames.HEADER_LENGTH;
        switch (type) {
            case HANDSHAKE -> {
                // An empty HANDSHAKE frame carries nothing and no sender needs one (RFC 8446 §5.1 forbids them
                // too); refusing it keeps a peer from spending sequence numbers and our time on nothing (§4.3).
                if (len == 0) throw new QspProtocolException(QspError.DECODE_ERROR, "empty HANDSHAKE frame");
                handshakeIn.add(b, body, len);
                handshakeMessages(now);
            }
            case CLOSE -> throw unprotectedClose(b, body, len);
            case APP_DATA, REKEY -> throw new QspProtocolException(QspError.UNEXPECTED_MESSAGE,
                    type + " frame before the handshake completed");
        }
    }

    /**
     * Handles the complete handshake messages buffered, stopping when the engine pauses for a task; returns
     * whether the handshake completed.
     */
    private boolean handshakeMessages(long now) throws QspProtocolException {
        byte[] msg;
        while (!engine.paused() && (msg = handshakeIn.next()) != null) {
            if (engine.handshakeMessage(msg)) {
                if (!handshakeIn.isEmpty()) {
                    throw new QspProtocolException(QspError.UNEXPECTED_MESSAGE, "handshake data after Finished");
                }
                engine.handshakeComplete(now);
                return true;
            }
        }
        return false;
    }

    private void protectedFrame(FrameType type, byte[] b, int p, int epoch, long seq, int len, long now)
            throws QspProtocolException {
        if (type == FrameType.APP_DATA) {
            int at = app.reserve(len);
            int n = records.open(b, p, epoch, seq, len, app.array(), at);
            app.commit(n);
            records.countReceivedAppBytes(n);
        } else {
            // Control frames are small and rare: each is opened into an array of its own exact size.
            byte[] plain = new byte[Math.max(0, len - Frames.TAG_LENGTH)];
            int n = records.open(b, p, epoch, seq, len, plain, 0);
            switch (type) {
                case REKEY -> engine.rekeyMessage(RekeyMessage.decode(plain, 0, n), plain, now);
                case CLOSE -> {
                    QspProtocolException peer = engine.close(plain, 0, n);
                    if (peer != null) throw peer;
                }
                default -> throw new QspProtocolException(QspError.UNEXPECTED_MESSAGE, "HANDSHAKE frame after the handshake");
            }
        }
        receivedProtected = true;
        engine.protectedFrameDone(now);
    }

    /**
     * An unprotected CLOSE after this side completed its handshake (it receives under epoch 0 keys, so it has sent
     * its Finished and may have sent application data), SPEC.md §4.11: nothing authenticates it, so its code is
     * not the peer's word. It is this side's own failure, {@code UNAUTHENTICATED_CLOSE} (never a handshake
     * failure, which an application may retry as "nothing was sent"); the claimed code is only in the message.
     */
    private static QspProtocolException unauthenticatedClose(byte[] b, int off, int len) {
        String claimed = "malformed";
        if (len == 2) {
            int code = ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
            QspError reason = QspError.fromWire(code);
            claimed = reason == null ? "unknown reason 0x" + Integer.toHexString(code) : reason.name();
        }
        return new QspProtocolException(QspError.UNAUTHENTICATED_CLOSE, "an unauthenticated CLOSE (claiming " + claimed
                + ") arrived after this side's handshake completed; the peer's last flight may have been rejected,"
                + " or the CLOSE was forged", false, null);
    }

    /**
     * An unprotected CLOSE (SPEC.md §4.3, §4.11). Nothing authenticates it, so it can only ever end the handshake
     * as a failure — also when it arrives after this side completed its handshake (a client that sent its
     * Finished) and also when its reason is CLOSE_NOTIFY: an unauthenticated clean end would be a truncation.
     */
    private static QspHandshakeException unprotectedClose(byte[] b, int off, int len) throws QspProtocolException {
        if (len != 2) throw new QspProtocolException(QspError.DECODE_ERROR, "CLOSE body of " + len + " bytes, expected 2");
        int code = ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
        QspError reason = QspError.fromWire(code);
        String what = reason == null ? "unknown reason 0x" + Integer.toHexString(code) : reason.name();
        // The peer's own word, reported as its abort of the handshake; CLOSE_NOTIFY here is an abort too.
        return new QspHandshakeException(reason == null ? QspError.INTERNAL : reason,
                "the peer closed the connection during the handshake: " + what, true, null);
    }
}
