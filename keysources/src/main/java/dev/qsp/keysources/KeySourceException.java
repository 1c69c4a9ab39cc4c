package dev.qsp.keysources;

import java.io.Serial;
import java.security.GeneralSecurityException;

/** A key source could not contribute: its message says which source and what went wrong (never key bytes). */
public class KeySourceException extends GeneralSecurityException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * A failure without an underlying exception.
     *
     * @param message which source and what went wrong (never key bytes)
     */
    public KeySourceException(String message) { super(message); }

    /**
     * A failure caused by another.
     *
     * @param message which source and what went wrong (never key bytes)
     * @param cause   the underlying failure
     */
    public KeySourceException(String message, Throwable cause) { super(message, cause); }

    /**
     * {@return true when the source could not obtain its secret because a service or the peer had none to give (an outage:
     * a KME down, slow or out of keys, or the peer signalling that it has no key); false when a message or the
     * configuration is wrong} The engine reports the former for slot QKD as {@code QKD_UNAVAILABLE} (SPEC.md
     * §4.11, §5.4). Default: false.
     */
    public boolean unavailable() { return false; }

    /**
     * {@return true when the source failed only because the peer took no part in it and this side requires it (from
     * {@link KeySource#peerAbsent()}: a pre-shared key marked required, SPEC.md §5.5)} The engine reports that
     * for slot PSK as {@code PSK_REQUIRED} (§4.11). Default: false.
     */
    public boolean requiredButAbsent() { return false; }
}
