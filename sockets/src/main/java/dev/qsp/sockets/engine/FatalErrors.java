package dev.qsp.sockets.engine;

import dev.qsp.sockets.QspProtocolException;

/**
 * The engine's fatal-error path (SPEC.md §4.11; JSSE's {@code TransportContext.fatal}): a protocol error of any
 * engine step becomes the engine's failure. The observer hears it once, with the phase it ended (§6.6), and
 * {@link CloseState#fatal} queues the CLOSE, closes both directions and erases the keys; the error to throw is
 * returned, so call sites read {@code throw fatal(...)}.
 */
final class FatalErrors {
    /** Engine work whose protocol error is fatal. */
    interface Step {
        void run() throws QspProtocolException;
    }

    private final CloseState closing;
    private final HandshakeDriver handshake;
    private final FrameDispatch dispatch;
    private final EngineEvents events;

    FatalErrors(CloseState closing, HandshakeDriver handshake, FrameDispatch dispatch, EngineEvents events) {
        this.closing = closing;
        this.handshake = handshake;
        this.dispatch = dispatch;
        this.events = events;
    }

    /** Runs {@code step}; its protocol error becomes the engine's failure. */
    void guarded(Step step) throws QspProtocolException {
        try {
            step.run();
        } catch (QspProtocolException e) {
            throw fatal(e);
        }
    }

    /** Makes {@code e} the engine's failure (the first one stays, see {@link CloseState#fatal}); returns what to throw. */
    QspProtocolException fatal(QspProtocolException e) {
        boolean complete = dispatch.handshakeComplete();
        if (closing.failure() == null) {
            Traffic traffic = dispatch.traffic();
            events.failed(e, complete, traffic != null && traffic.rekey().inFlight());
        }
        return closing.fatal(e, complete, handshake.started());
    }
}
