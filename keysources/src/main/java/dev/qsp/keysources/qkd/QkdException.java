package dev.qsp.keysources.qkd;

import dev.qsp.keysources.KeySourceException;
import java.io.Serial;
import java.util.Objects;

/**
 * The QKD source or its ETSI GS QKD 014 client could not deliver a key. {@link #reason()} says why in a closed
 * set; the message adds the details (HTTP status, the KME's {@code message}, the key ID) but never key bytes.
 */
public final class QkdException extends KeySourceException {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Why a QKD key could not be obtained. Reasons with a wire code may travel in an UNAVAILABLE offer or reply
     * (SPEC.md §5.3); the code is stable, the enum order is not.
     */
    public enum Reason {
        /** No connection to the KME (refused, reset, DNS), after the bounded retries. */
        KME_UNREACHABLE(1),
        /** The KME did not answer within the connect or request timeout. */
        TIMEOUT(2),
        /** HTTP 401: the KME did not accept this SAE (its certificate or its SAE ID). */
        UNAUTHORIZED(3),
        /** HTTP 400 on status or enc_keys: the KME rejected the request. */
        BAD_REQUEST(4),
        /** HTTP 400 on dec_keys: the key ID is unknown to this KME, already delivered, or not for this SAE. */
        KEY_NOT_FOUND(5),
        /** The KME has no key for this SAE pair: enc_keys refused (400 or 503) after status reported 0 keys. */
        POOL_EMPTY(6),
        /** HTTP 503 that outlasted the retries. */
        SERVICE_UNAVAILABLE(7),
        /** A key of another size than requested or offered, or a size outside the KME's limits. */
        BAD_KEY_SIZE(8),
        /** The KME's answer is not the JSON the standard defines (or not a UUID key ID, not base64...). */
        MALFORMED_RESPONSE(9),
        /** An SAE ID differs from the configured one (status, offer or reply). */
        SAE_MISMATCH(10),
        /** The TLS handshake with the KME failed (untrusted KME certificate, client certificate refused...). */
        TLS_FAILURE(11),
        /** The local policy is DISABLED. */
        POLICY_DISABLED(12),
        /** An HTTP status the standard does not define for this call. */
        UNEXPECTED_STATUS(13),
        /** The peer signalled, in its offer or reply, that it had no QKD key. */
        PEER_UNAVAILABLE(14),
        /** This side's budget of KME draws per second ({@code qsp.qkd.maxKeysPerSecond}) is spent (SPEC.md §5.4). */
        RATE_LIMITED(15),
        /** This client already sent dec_keys for the key ID: a replayed offer. */
        KEY_ID_REPLAYED(0),
        /** The peer's offer is not a well-formed QKD offer (SPEC.md §5.3). */
        MALFORMED_OFFER(0),
        /** The peer's reply is not a well-formed QKD reply, or does not answer the offer. */
        MALFORMED_REPLY(0),
        /** The thread was interrupted while waiting for the KME. */
        INTERRUPTED(0);

        private final int wireCode;

        Reason(int wireCode) {
            this.wireCode = wireCode;
        }

        /** {@return the code sent in an UNAVAILABLE message, or 0 if this reason never travels} */
        public int wireCode() {
            return wireCode;
        }

        /**
         * {@return the reason with that wire code}
         *
         * @param code the code of an UNAVAILABLE message
         * @throws QkdException (MALFORMED_OFFER) for 0 and unknown codes
         */
        public static Reason fromWireCode(int code) throws QkdException {
            for (Reason r : values()) {
                if (r.wireCode != 0 && r.wireCode == code) {
                    return r;
                }
            }
            throw new QkdException(MALFORMED_OFFER, "unknown QKD unavailability reason code " + code);
        }
    }

    /** What went wrong. */
    private final Reason reason;

    /**
     * A QKD failure; the message is prefixed with {@code "QKD " + reason + ": "}.
     *
     * @param reason  what went wrong
     * @param message the detail (never key material)
     */
    public QkdException(Reason reason, String message) {
        super("QKD " + reason + ": " + message);
        this.reason = Objects.requireNonNull(reason);
    }

    /**
     * A QKD failure caused by another.
     *
     * @param reason  what went wrong
     * @param message the detail (never key material)
     * @param cause   the underlying failure
     */
    public QkdException(Reason reason, String message, Throwable cause) {
        super("QKD " + reason + ": " + message, cause);
        this.reason = Objects.requireNonNull(reason);
    }

    /** {@return what went wrong} */
    public Reason reason() {
        return reason;
    }

    /**
     * Outages (SPEC.md §5.4): every reason that may travel in an UNAVAILABLE message except SAE_MISMATCH and
     * BAD_KEY_SIZE (configuration mismatches), plus INTERRUPTED. Malformed or replayed offers and replies are
     * not outages.
     */
    @Override
    public boolean unavailable() {
        return switch (reason) {
            case SAE_MISMATCH, BAD_KEY_SIZE, KEY_ID_REPLAYED, MALFORMED_OFFER, MALFORMED_REPLY -> false;
            default -> true;
        };
    }
}
