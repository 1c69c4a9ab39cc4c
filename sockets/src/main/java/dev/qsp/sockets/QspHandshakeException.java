package dev.qsp.sockets;

import java.io.Serial;

/** The handshake failed: no session was established. */
public class QspHandshakeException extends QspProtocolException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * A handshake failure this side detected.
     *
     * @param error   the error code
     * @param message what was wrong (never key material)
     */
    public QspHandshakeException(QspError error, String message) { super(error, message); }

    /**
     * A handshake failure.
     *
     * @param error   the error code
     * @param message what was wrong (never key material)
     * @param remote  true when the peer sent a CLOSE with this reason
     * @param cause   the underlying failure, or {@code null}
     */
    public QspHandshakeException(QspError error, String message, boolean remote, Throwable cause) {
        super(error, message, remote, cause);
    }
}
