package dev.qsp.keysources.psk;

import dev.qsp.keysources.KeySourceException;
import java.io.Serial;
import java.util.Objects;

/** The pre-shared key source could not contribute; {@link #reason()} says why. Never carries key bytes. */
public final class PskException extends KeySourceException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** Why the PSK exchange failed. */
    public enum Reason {
        /** The responder has no key under the offered identity. */
        UNKNOWN_IDENTITY,
        /** The offer does not follow SPEC.md §5.5. */
        MALFORMED_OFFER,
        /** The reply does not follow SPEC.md §5.5 or names another identity. */
        MALFORMED_REPLY,
        /** This side requires the PSK and the peer offered (or answered) none. */
        REQUIRED
    }

    /** What went wrong. */
    private final Reason reason;

    /**
     * A PSK failure; the message is prefixed with {@code "PSK " + reason + ": "}.
     *
     * @param reason  what went wrong
     * @param message the detail (never key material)
     */
    public PskException(Reason reason, String message) {
        super("PSK " + reason + ": " + message);
        this.reason = Objects.requireNonNull(reason);
    }

    /** {@return what went wrong} */
    public Reason reason() {
        return reason;
    }

    @Override
    public boolean requiredButAbsent() {
        return reason == Reason.REQUIRED;
    }
}
