package dev.qsp.kme;

import java.io.Serial;

/** A request the simulated KME refuses: the HTTP status and the ETSI Error {@code message}. */
final class KmeError extends Exception {
    @Serial
    private static final long serialVersionUID = 1L;

    final int status;

    KmeError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }
}
