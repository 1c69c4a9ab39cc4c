package dev.qsp.sockets.engine;

import dev.qsp.sockets.QspError;
import dev.qsp.sockets.QspHandshakeException;
import dev.qsp.sockets.QspProtocolException;

/**
 * How a {@link QspEngine} ends (SPEC.md §4.11): which directions are closed, the fatal error if there was one,
 * and whether it was aborted or destroyed locally. It queues the CLOSE frames, erases the keys when both
 * directions are done (§4.14) and keeps authenticated plaintext readable after an error.
 */
final class CloseState {
    private final RecordLayer records;
    private final ByteQueue out;
    private final InboundFrames inbound;
    private final ByteQueue app;
    /** Erases every key and secret the engine holds (§4.14). */
    private final Runnable destroyKeys;

    private boolean inboundClosed;
    private boolean outboundClosed;
    private QspProtocolException failure;
    /** Set by {@link #abort} or {@link #destroy}: the keys are gone without a protocol error. */
    private String endedLocally;

    CloseState(RecordLayer records, ByteQueue out, InboundFrames inbound, ByteQueue app, Runnable destroyKeys) {
        this.records = records;
        this.out = out;
        this.inbound = inbound;
        this.app = app;
        this.destroyKeys = destroyKeys;
    }

    boolean inboundClosed() { return inboundClosed; }

    boolean outboundClosed() { return outboundClosed; }

    /** The error that ended the connection, or null. */
    QspProtocolException failure() { return failure; }

    /** Aborted or destroyed locally (see {@link #abort}). */
    boolean endedLocally() { return endedLocally != null; }

    /** Local misuse after {@link #abort} or {@link #destroy} (a failed engine reports its failure instead). */
    void checkNotEnded() {
        if (failure == null && endedLocally != null) throw new IllegalStateException("the engine was " + endedLocally);
    }

    /** As {@link #checkNotEnded}, and throws the engine's failure again if it has one. */
    void checkNotFailed() throws QspProtocolException {
        checkNotEnded();
        if (failure != null) throw failed();
    }

    /** A fresh copy of the failure, for every call after the one that failed (its cause is the original). */
    QspProtocolException failed() {
        QspProtocolException f = failure;
        return f instanceof QspHandshakeException
                ? new QspHandshakeException(f.error(), f.detail(), f.isRemote(), f)
                : new QspProtocolException(f.error(), f.detail(), f.isRemote(), f);
    }

    private void sendClose(QspError reason) throws QspProtocolException {
        byte[] body = {(byte) (reason.wireValue() >>> 8), (byte) reason.wireValue()};
        if (records.sendProtected()) {
            records.seal(FrameType.CLOSE, body, 0, 2, out, Long.MAX_VALUE);
        } else {
            records.writePlain(FrameType.CLOSE, body, 0, 2, out);
        }
    }

    /**
     * Makes {@code e} the engine's failure: queues a CLOSE with its reason (unless the peer sent it or the
     * outbound side is already closed), closes both directions, destroys keys and drops the unauthenticated
     * input; authenticated plaintext stays readable until {@link #destroy}.
     * Returns the exception to throw, so call sites read {@code throw fatal(...)}.
     */
    QspProtocolException fatal(QspProtocolException e, boolean handshakeComplete, boolean started) {
        if (failure != null) return failed();
        QspProtocolException f = e;
        if (!handshakeComplete && !(e instanceof QspHandshakeException)) {
            f = new QspHandshakeException(e.error(), e.detail(), e.isRemote(), e);
        }
        failure = f;
        if (!f.isRemote() && f.error() != QspError.TRUNCATED && !outboundClosed && started) {
            try {
                sendClose(f.error() == QspError.CLOSE_NOTIFY && !handshakeComplete ? QspError.CLOSE_NOTIFY : f.error());
            } catch (QspProtocolException ignored) {
                // The CLOSE could not be sealed: the connection ends without it.
            }
        }
        outboundClosed = true;
        inboundClosed = true;
        destroyKeys.run();
        inbound.clear(); // unauthenticated: never delivered. Authenticated plaintext in app stays readable (§4.11).
        return f;
    }

    /** A CLOSE frame's body: CLOSE_NOTIFY ends the inbound side cleanly (returns null), anything else is fatal. */
    QspProtocolException remoteClose(byte[] b, int off, int len, String when, boolean handshakeComplete)
            throws QspProtocolException {
        if (len != 2) throw new QspProtocolException(QspError.DECODE_ERROR, "CLOSE body of " + len + " bytes, expected 2");
        int code = ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
        QspError reason = QspError.fromWire(code);
        String what = reason == null ? "unknown reason 0x" + Integer.toHexString(code) : reason.name();
        if (!handshakeComplete) {
            return new QspHandshakeException(reason == null ? QspError.INTERNAL : reason,
                    "the peer closed the connection " + when + ": " + what, true, null);
        }
        if (reason == QspError.CLOSE_NOTIFY) {
            inboundClosed = true;
            if (outboundClosed) destroyKeys.run();
            return null;
        }
        return new QspProtocolException(reason == null ? QspError.INTERNAL : reason, "the peer closed the connection: " + what, true, null);
    }

    /** Half-close (see {@link QspEngine#closeOutbound}); before the handshake has completed, an abort. */
    void closeOutbound(boolean handshakeComplete, boolean started) {
        if (failure != null || outboundClosed) return;
        if (!handshakeComplete) {
            fatal(new QspHandshakeException(QspError.CLOSE_NOTIFY, "closed locally before the handshake completed"),
                    handshakeComplete, started);
            return;
        }
        try {
            sendClose(QspError.CLOSE_NOTIFY);
        } catch (QspProtocolException e) {
            fatal(e, handshakeComplete, started);
            return;
        }
        outboundClosed = true;
        if (inboundClosed) destroyKeys.run();
    }

    /** See {@link QspEngine#abort}. */
    void abort() {
        if (endedLocally == null) endedLocally = "aborted";
        outboundClosed = true;
        inboundClosed = true;
        destroyKeys.run();
        out.clear();
        inbound.clear();
    }

    /** See {@link QspEngine#destroy}. */
    void destroy() {
        abort();
        endedLocally = "destroyed";
        app.clear();
    }
}
