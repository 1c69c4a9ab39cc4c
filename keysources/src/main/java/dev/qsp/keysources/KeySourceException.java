package dev.qsp.keysources;

import java.io.Serial;
import java.security.GeneralSecurityException;

/** A key source could not contribute: its message says which source and what went wrong (never key bytes). */
public class KeySourceException extends GeneralSecurityException {
    @Serial
    private static final long serialVersionUID = 1L;

    public KeySourceException(String message) { super(message); }

    public KeySourceException(String message, Throwable cause) { super(message, cause); }
}
