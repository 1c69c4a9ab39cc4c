package dev.qsp.netty;

import dev.qsp.sockets.QspSession;

/**
 * Fired down the pipeline by {@link QspHandler} when the handshake completes ({@code session} set) or fails
 * ({@code cause} set), as Netty's {@code SslHandshakeCompletionEvent}.
 */
public record QspHandshakeCompletionEvent(QspSession session, Throwable cause) {
    public boolean isSuccess() { return cause == null; }
}
