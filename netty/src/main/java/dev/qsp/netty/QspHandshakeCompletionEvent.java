package dev.qsp.netty;

import dev.qsp.sockets.QspSession;

/**
 * Fired down the pipeline by {@link QspHandler} when the handshake completes ({@code session} set) or fails
 * ({@code cause} set), as Netty's {@code SslHandshakeCompletionEvent}.
 *
 * @param session what the handshake negotiated, or null if it failed
 * @param cause   why the handshake failed (the engine's {@link dev.qsp.sockets.QspProtocolException}), or null if
 *                it completed
 */
public record QspHandshakeCompletionEvent(QspSession session, Throwable cause) {
    /** {@return true if the handshake completed ({@code session} set), false if it failed ({@code cause} set)} */
    public boolean isSuccess() { return cause == null; }
}
