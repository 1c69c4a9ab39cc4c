package dev.qsp.sockets.engine;

import dev.qsp.sockets.QspProtocolException;
import java.nio.ByteBuffer;

/**
 * The authenticated application data waiting to be read, and how reads end (SPEC.md §4.11): data authenticated
 * before a failure or an abort is read first and the error after it; once the peer's CLOSE_NOTIFY has arrived
 * and everything before it has been read, a read returns -1. Each read is reported to the observer (§6.6).
 */
final class ReceivedPlaintext {
    private final ByteQueue app;
    private final CloseState closing;
    private final EngineEvents events;

    ReceivedPlaintext(ByteQueue app, CloseState closing, EngineEvents events) {
        this.app = app;
        this.closing = closing;
        this.events = events;
    }

    int available() { return app.size(); }

    /** Nothing more will arrive and everything that did has been read. */
    boolean done() { return closing.inboundClosed() && app.size() == 0; }

    /** See {@link QspEngine#readApplicationData(byte[], int, int)}; {@code b[off, off + len)} is checked by the caller. */
    int read(byte[] b, int off, int len) throws QspProtocolException {
        return app.size() > 0 && len > 0 ? delivered(app.read(b, off, len)) : noBufferedData();
    }

    int read(ByteBuffer dst) throws QspProtocolException {
        return app.size() > 0 && dst.hasRemaining() ? delivered(app.read(dst)) : noBufferedData();
    }

    private int delivered(int n) {
        events.applicationData(false, n);
        return n;
    }

    /** Nothing buffered: the engine's failure now that the data before it is read, else -1 (clean end) or 0. */
    private int noBufferedData() throws QspProtocolException {
        closing.checkNotFailed();
        return done() ? -1 : 0;
    }
}
