package dev.qsp.sockets.engine;

import dev.qsp.sockets.QspProtocolException;

/**
 * Where the contents of the peer's frames go, in stream order (SPEC.md §4.3): handshake messages to the
 * {@link HandshakeDriver} until it completes, then the {@link Traffic} it hands over (§4.12), which takes the
 * REKEY messages (§4.10) and runs the server's rekey triggers after each protected frame; CLOSE bodies to
 * {@link CloseState} (§4.11). The handshake completes on a message received here, so the Traffic is held here
 * and the engine reads it from here (null before).
 */
final class FrameDispatch implements InboundFrames.Receiver {
    private final HandshakeDriver handshake;
    private final EngineEvents events;
    /** Set once, right after construction: CloseState needs the InboundFrames that needs this. */
    private CloseState closing;
    private boolean handshakeComplete;
    private Traffic traffic;

    FrameDispatch(HandshakeDriver handshake, EngineEvents events) {
        this.handshake = handshake;
        this.events = events;
    }

    void closeWith(CloseState closing) { this.closing = closing; }

    /** Whether the handshake has completed (set before its {@link Traffic} is built, which may fail). */
    boolean handshakeComplete() { return handshakeComplete; }

    /** The connection after its handshake: session, rekey driver, sealing; null before. */
    Traffic traffic() { return traffic; }

    @Override
    public boolean failed() { return closing.failure() != null; }

    @Override
    public boolean inboundClosed() { return closing.inboundClosed(); }

    @Override
    public boolean paused() { return handshake.awaitingTask() || (traffic != null && traffic.rekey().pausesInbound()); }

    @Override
    public boolean handshakeMessage(byte[] msg) throws QspProtocolException { return handshake.handle(msg); }

    @Override
    public void handshakeComplete(long now) throws QspProtocolException {
        handshakeComplete = true;
        traffic = handshake.traffic(closing, now);
        events.handshakeComplete(traffic.session(), now);
    }

    @Override
    public void rekeyMessage(RekeyMessage msg, byte[] plain, long now) throws QspProtocolException {
        traffic.received(msg, plain, now);
    }

    @Override
    public QspProtocolException close(byte[] plain, int off, int len) throws QspProtocolException {
        return closing.remoteClose(plain, off, len, "", handshakeComplete);
    }

    @Override
    public void protectedFrameDone(long now) throws QspProtocolException {
        if (closing.failure() == null) traffic.rekey().checkTriggers(now);
    }
}
