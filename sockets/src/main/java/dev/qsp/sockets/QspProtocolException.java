package dev.qsp.sockets;

import java.io.IOException;
import java.io.Serial;
import java.util.Objects;

/**
 * A QSP connection failed: the peer (or the network) violated the protocol, or a local limit was reached.
 * {@link #error()} says which rule; {@link #isRemote()} says whether the peer reported it in a CLOSE frame.
 * Messages never contain key material.
 */
public class QspProtocolException extends IOException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The rule that was broken (its wire value is the CLOSE reason). */
    private final QspError error;
    /** Whether the peer reported the error in a CLOSE frame. */
    private final boolean remote;
    /** The message without the error-code prefix (never key material). */
    private final String detail;

    /**
     * A protocol error this side detected.
     *
     * @param error   the error code
     * @param message what was wrong (never key material)
     */
    public QspProtocolException(QspError error, String message) {
        this(error, message, false, null);
    }

    /**
     * A protocol error.
     *
     * @param error   the error code
     * @param message what was wrong (never key material)
     * @param remote  true when the peer sent a CLOSE with this reason
     * @param cause   the underlying failure, or {@code null}
     */
    public QspProtocolException(QspError error, String message, boolean remote, Throwable cause) {
        super(error + ": " + message, cause);
        this.error = Objects.requireNonNull(error, "error");
        this.remote = remote;
        this.detail = message;
    }

    /** {@return the error code (its wire value is the CLOSE reason)} */
    public QspError error() { return error; }

    /** {@return the message without the error-code prefix} */
    public String detail() { return detail; }

    /** {@return true when the peer sent a CLOSE with this reason; false when this side detected the error} */
    public boolean isRemote() { return remote; }
}
