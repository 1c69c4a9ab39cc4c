package dev.qsp.sockets;

import dev.qsp.sockets.engine.SignatureScheme;
import java.lang.System.Logger.Level;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Checks of this side's identity made when it is configured rather than at the first handshake (SPEC.md §6.5):
 * a key QSP cannot sign with would otherwise start a server that fails every handshake with a misleading
 * {@code NO_COMMON_SUITE}, and an expired certificate would start without a word and fail every peer's PKIX check.
 */
final class IdentityChecks {
    /** Where the start-time warnings go: {@code dev.qsp.sockets.QspContext}. */
    static final System.Logger LOG = System.getLogger(QspContext.class.getName());

    private IdentityChecks() {}

    /** The schemes QSP signs CertificateVerify with (§4.2), for messages. */
    static String signingSchemes() {
        return Arrays.stream(SignatureScheme.values()).map(SignatureScheme::jcaName).collect(Collectors.joining(", "));
    }

    /**
     * Throws if {@code key} is of no scheme of §4.2 ({@code what} names the key in the message, e.g. "key entry
     * 'server'"). The message names the key's type, never its value.
     */
    static void requireSigningKey(PrivateKey key, String what) {
        if (SignatureScheme.forKey(key) == null) {
            throw new IllegalArgumentException(what + " holds an " + key.getAlgorithm() + " key, which QSP cannot sign"
                    + " with (it signs with " + signingSchemes() + ")");
        }
    }

    /**
     * Logs a WARNING for each certificate of {@code identity}'s chain that is not valid at {@code now}: peers
     * that validate it by PKIX will refuse the handshake with {@code BAD_CERTIFICATE} (§4.7). Not an error: the
     * peers may pin the key, or validate at a fixed date.
     */
    static void warnOutsideValidity(QspIdentity identity, Instant now, System.Logger log) {
        var chain = identity.chain();
        for (int i = 0; i < chain.size(); i++) {
            X509Certificate c = chain.get(i);
            String which = (i == 0 ? "identity certificate " : "identity chain certificate " + i + " ")
                    + c.getSubjectX500Principal().getName();
            if (now.isAfter(c.getNotAfter().toInstant())) {
                log.log(Level.WARNING, which + " expired at " + c.getNotAfter().toInstant()
                        + "; peers validating it by PKIX will refuse it (BAD_CERTIFICATE)");
            } else if (now.isBefore(c.getNotBefore().toInstant())) {
                log.log(Level.WARNING, which + " is not valid before " + c.getNotBefore().toInstant()
                        + "; peers validating it by PKIX will refuse it (BAD_CERTIFICATE)");
            }
        }
    }
}
