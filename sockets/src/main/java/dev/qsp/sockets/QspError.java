package dev.qsp.sockets;

/**
 * The closed set of reasons a QSP connection ends, with their wire values in a CLOSE frame (SPEC.md §4.11).
 *
 * <p>This is the single mapping from error to wire reason: every fatal error carries one of these codes and
 * the CLOSE frame sent for it carries {@link #wireValue()}.
 */
public enum QspError {
    /** Orderly close: no error. */
    CLOSE_NOTIFY(0x00),
    BAD_RECORD_MAC(0x01),
    UNEXPECTED_EPOCH(0x02),
    UNEXPECTED_SEQUENCE(0x03),
    RECORD_OVERFLOW(0x04),
    UNKNOWN_FRAME_TYPE(0x05),
    UNEXPECTED_MESSAGE(0x06),
    HANDSHAKE_TIMEOUT(0x07),
    DECODE_ERROR(0x08),
    BAD_SIGNATURE(0x09),
    BAD_CERTIFICATE(0x0A),
    UNKNOWN_IDENTITY(0x0B),
    BAD_FINISHED(0x0C),
    DOWNGRADE(0x0D),
    ILLEGAL_PARAMETER(0x0E),
    NO_COMMON_SUITE(0x0F),
    UNSUPPORTED_VERSION(0x10),
    REKEY_IN_PROGRESS(0x11),
    REKEY_REFUSED(0x12),
    KEY_SOURCE_FAILED(0x13),
    LIMIT_REACHED(0x14),
    /**
     * A QKD key was required and could not be had: a KME outage at either end (down, slow, out of keys, key not
     * found) or the peer signalled that it had none or took no part (SPEC.md §5.4, policy REQUIRE).
     */
    QKD_UNAVAILABLE(0x16),
    /** This side requires a pre-shared key and the peer offered or answered none (SPEC.md §5.5). */
    PSK_REQUIRED(0x17),
    /**
     * An unprotected CLOSE arrived after this side's handshake completed (SPEC.md §4.11): a local failure, since
     * nothing authenticates the code it claims (a forged CLOSE or the peer rejecting our last flight).
     */
    UNAUTHENTICATED_CLOSE(0x18),
    /** End of input without an authenticated CLOSE; never sent (there is no one left to send it to). */
    TRUNCATED(0x15),
    INTERNAL(0xFF);

    private final int wireValue;

    QspError(int wireValue) { this.wireValue = wireValue; }

    /** {@return the u16 reason code carried in a CLOSE frame} */
    public int wireValue() { return wireValue; }

    /** {@return whether this error belongs to the handshake (reported as {@link QspHandshakeException} while handshaking)} */
    public boolean isHandshakeError() {
        return switch (this) {
            case HANDSHAKE_TIMEOUT, BAD_SIGNATURE, BAD_CERTIFICATE, UNKNOWN_IDENTITY, BAD_FINISHED, DOWNGRADE,
                 NO_COMMON_SUITE, UNSUPPORTED_VERSION, KEY_SOURCE_FAILED, QKD_UNAVAILABLE, PSK_REQUIRED -> true;
            default -> false;
        };
    }

    /** {@return the code for a wire value, or {@code null} for a value this version does not know} */
    public static QspError fromWire(int value) {
        for (QspError e : values()) {
            if (e.wireValue == value) return e;
        }
        return null;
    }
}
