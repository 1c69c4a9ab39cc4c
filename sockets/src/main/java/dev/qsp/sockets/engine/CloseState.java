package dev.qsp.sockets.engine;

import dev.qsp.sockets.QspError;
import dev.qsp.sockets.QspHandshakeException;
import dev.qsp.sockets.QspProtocolException;

/**
 * How a {@link QspEngine} ends (SPEC.md §4.11): its {@link Phase}, a type per state of the close machine of
 * §4.12 — {@link Open}, half-closed either way ({@link InboundClosed}, {@link OutboundClosed}), {@link Closed}
 * cleanly, {@link Failed} with its error, or {@link EndedLocally} by {@code abort}/{@code destroy}. It queues the
 * CLOSE frames, erases the keys when both directions are done (§4.14) and keeps authenticated plaintext readable
 * after an error.
 */
final class CloseState {
    /** Where the engine's close stands. */
    sealed interface Phase permits Open, InboundClosed, OutboundClosed, Closed, Failed, EndedLocally {
        /** Nothing more will be received. */
        default boolean inboundClosed() { return !(this instanceof Open || this instanceof OutboundClosed); }

        /** Nothing more can be sent. */
        default boolean outboundClosed() { return !(this instanceof Open || this instanceof InboundClosed); }
    }

    /** Both directions open (also during the handshake). */
    record Open() implements Phase {}

    /** The peer's CLOSE_NOTIFY arrived; this side may still send. */
    record InboundClosed() implements Phase {}

    /** This side sent its CLOSE_NOTIFY; the peer's data is still received. */
    record OutboundClosed() implements Phase {}

    /** Both CLOSE_NOTIFYs: the keys are gone. */
    record Closed() implements Phase {}

    /** A fatal error ended the connection (the peer's or this side's); every later call reports it. */
    record Failed(QspProtocolException failure) implements Phase {}

    /** Aborted or destroyed locally, without a protocol error: the keys are gone. {@code how} names which. */
    record EndedLocally(String how) implements Phase {}

    private static final Phase OPEN = new Open();

    private final RecordLayer records;
    private final ByteQueue out;
    private final InboundFrames inbound;
    private final ByteQueue app;
    /** Erases every key and secret the engine holds (§4.14). */
    private final Runnable destroyKeys;

    private Phase phase = OPEN;

    CloseState(RecordLayer records, ByteQueue out, InboundFrames inbound, ByteQueue app, Runnable destroyKeys) {
        this.records = records;
        this.out = out;
        this.inbound = inbound;
        this.app = app;
        this.destroyKeys = destroyKeys;
    }

    Phase phase() { return phase; }

    boolean inboundClosed() { return phase.inboundClosed(); }

    boolean outboundClosed() { return phase.outboundClosed(); }

    /** The error that ended the connection, or null. */
    QspProtocolException failure() { return phase instanceof Failed f ? f.failure() : null; }

    /** Aborted or destroyed locally (see {@link #abort}). */
    boolean endedLocally() { return phase instanceof EndedLocally; }

    /** Local misuse after {@link #abort} or {@link #destroy} (a failed engine reports its failure instead). */
    void checkNotEnded() {
        if (phase instanceof EndedLocally e) throw new IllegalStateException("the engine was " + e.how());
    }

    /** As {@link #checkNotEnded}, and throws the engine's failure again if it has one. */
    void checkNotFailed() throws QspProtocolException {
        checkNotEnded();
        if (phase instanceof Failed) throw failed();
    }

    /** Local misuse: writing before the handshake completed or after this side's CLOSE; else as {@link #checkNotFailed}. */
    void checkWritable(boolean handshakeComplete) throws QspProtocolException {
        checkNotFailed();
        if (!handshakeComplete) throw new IllegalStateException("the handshake has not completed");
        if (phase.outboundClosed()) throw new IllegalStateException("outbound side is closed");
    }

    /** A fresh copy of the failure, for every call after the one that failed (its cause is the original). */
    QspProtocolException failed() {
        QspProtocolException f = failure();
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
        if (phase instanceof Failed) return failed();
        QspProtocolException f = e;
        if (!handshakeComplete && !(e instanceof QspHandshakeException)) {
            f = new QspHandshakeException(e.error(), e.detail(), e.isRemote(), e);
        }
        boolean sendClose = !f.isRemote() && f.error() != QspError.TRUNCATED && !phase.outboundClosed() && started;
        phase = new Failed(f);
        if (sendClose) {
            try {
                sendClose(f.error() == QspError.CLOSE_NOTIFY && !handshakeComplete ? QspError.CLOSE_NOTIFY : f.error());
            } catch (QspProtocolException ignored) {
                // The CLOSE could not be sealed: the connection ends without it.
            }
        }
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
            if (phase instanceof OutboundClosed) {
                phase = new Closed();
                destroyKeys.run();
            } else {
                phase = new InboundClosed();
            }
            return null;
        }
        return new QspProtocolException(reason == null ? QspError.INTERNAL : reason, "the peer closed the connection: " + what, true, null);
    }

    /** The peer's stream ended before its CLOSE (between frames or inside one): never a clean end (§4.11). */
    QspProtocolException truncated() {
        return new QspProtocolException(QspError.TRUNCATED, "the peer's stream ended without an authenticated CLOSE"
                + (inbound.buffered() > 0 ? " (inside a frame)" : ""));
    }

    /** Half-close (see {@link QspEngine#closeOutbound}); before the handshake has completed, an abort. */
    void closeOutbound(boolean handshakeComplete, boolean started) {
        if (phase.outboundClosed()) return;
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
        if (phase instanceof InboundClosed) {
            phase = new Closed();
            destroyKeys.run();
        } else {
            phase = new OutboundClosed();
        }
    }

    /** See {@link QspEngine#abort}. A failed engine keeps its failure, a destroyed one stays destroyed. */
    void abort() {
        if (!(phase instanceof Failed || phase instanceof EndedLocally)) phase = new EndedLocally("aborted");
        endLocally();
    }

    /** See {@link QspEngine#destroy}. */
    void destroy() {
        if (!(phase instanceof Failed)) phase = new EndedLocally("destroyed");
        endLocally();
        app.clear();
    }

    private void endLocally() {
        destroyKeys.run();
        out.clear();
        inbound.clear();
    }
}
