package dev.qsp.sockets;

import java.io.Serial;

/** The handshake failed: no session was established. */
public class QspHandshakeException extends QspProtocolException {
    @Serial
    private static final long serialVersionUID = 1L;

    public QspHandshakeException(QspError error, String message) { super(error, message); }

    public QspHandshakeException(QspError error, String message, boolean remote, Throwable cause) {
        super(error, message, remote, cause);
    }
}
