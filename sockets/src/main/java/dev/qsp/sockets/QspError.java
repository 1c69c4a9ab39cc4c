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
    /** AEAD authentication of a record failed. */
    BAD_RECORD_MAC(0x01),
    /** A frame's epoch is not the expected one. */
    UNEXPECTED_EPOCH(0x02),
    /** A frame's sequence number is not the expected one (replay, reorder, drop). */
    UNEXPECTED_SEQUENCE(0x03),
    /** A frame's length is above the limit. */
    RECORD_OVERFLOW(0x04),
    /** A frame type other than 1..4. */
    UNKNOWN_FRAME_TYPE(0x05),
    /** A frame, handshake or rekey message not allowed in the current state. */
    UNEXPECTED_MESSAGE(0x06),
    /** The handshake was not complete by the deadline. */
    HANDSHAKE_TIMEOUT(0x07),
    /** A malformed message or CLOSE body, or an empty HANDSHAKE frame. */
    DECODE_ERROR(0x08),
    /** CertificateVerify does not verify. */
    BAD_SIGNATURE(0x09),
    /**
     * The chain is unparsable or untrusted, a pin does not match, the leaf was not issued for its use (SPEC.md
     * §4.7), or a required client certificate is missing.
     */
    BAD_CERTIFICATE(0x0A),
    /** The certificate does not name the expected identity. */
    UNKNOWN_IDENTITY(0x0B),
    /** The Finished MAC does not match. */
    BAD_FINISHED(0x0C),
    /** The server saw a different ClientHello. */
    DOWNGRADE(0x0D),
    /** A value outside what was offered or allowed. */
    ILLEGAL_PARAMETER(0x0E),
    /** No common AEAD, signature scheme or KEM. */
    NO_COMMON_SUITE(0x0F),
    /** A protocol version other than 1. */
    UNSUPPORTED_VERSION(0x10),
    /** REKEY_INIT while a rekey is not committed. */
    REKEY_IN_PROGRESS(0x11),
    /** A storm of rekey requests. */
    REKEY_REFUSED(0x12),
    /**
     * A key source could not contribute (its message says why): a malformed or replayed offer or reply, an SAE ID
     * or key size mismatch, an unknown PSK identity.
     */
    KEY_SOURCE_FAILED(0x13),
    /** The hard record limit, or the sequence or epoch space, is exhausted. */
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
    /** A local failure (e.g. a JCA error); unknown received reasons are reported as INTERNAL too. */
    INTERNAL(0xFF);

    private final int wireValue;

    QspError(int wireValue) { this.wireValue = wireValue; }

    /** {@return the u16 reason code carried in a CLOSE frame} */
    public int wireValue() { return wireValue; }

    /**
     * {@return the code for a wire value, or {@code null} for a value this version does not know}
     *
     * @param value the u16 reason code of a CLOSE frame
     */
    public static QspError fromWire(int value) {
        for (QspError e : values()) {
            if (e.wireValue == value) return e;
        }
        return null;
    }
}
