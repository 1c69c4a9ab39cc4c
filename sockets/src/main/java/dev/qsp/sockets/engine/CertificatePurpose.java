package dev.qsp.sockets.engine;

import dev.qsp.sockets.QspError;
import dev.qsp.sockets.QspHandshakeException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * What the peer's leaf certificate may be used for (SPEC.md §4.7, after RFC 5280 §4.2.1.3, §4.2.1.9, §4.2.1.12;
 * the keyUsage and extendedKeyUsage rules as JSSE's end-entity checks): a certificate issued for another purpose — a client certificate presented by a
 * server, a key-encipherment-only certificate, a CA certificate — does not authenticate a QSP peer even when its
 * chain is trusted. Each refusal is {@code BAD_CERTIFICATE} with the rule in the message.
 */
enum CertificatePurpose {
    /** The leaf of a server: extendedKeyUsage, if present, includes id-kp-serverAuth or anyExtendedKeyUsage. */
    SERVER("server", "1.3.6.1.5.5.7.3.1", "serverAuth"),
    /** The leaf of a client: extendedKeyUsage, if present, includes id-kp-clientAuth or anyExtendedKeyUsage. */
    CLIENT("client", "1.3.6.1.5.5.7.3.2", "clientAuth");

    static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";
    private static final int DIGITAL_SIGNATURE = 0; // KeyUsage bit 0 (RFC 5280 §4.2.1.3)

    private final String role;
    private final String ekuOid;
    private final String ekuName;

    CertificatePurpose(String role, String ekuOid, String ekuName) {
        this.role = role;
        this.ekuOid = ekuOid;
        this.ekuName = ekuName;
    }

    /**
     * Checks the three rules of §4.7 on {@code leaf}: not a CA (basicConstraints cA=true), keyUsage (if present)
     * includes digitalSignature — the leaf's key signs CertificateVerify — and extendedKeyUsage (if present) names
     * this purpose or anyExtendedKeyUsage.
     */
    void check(X509Certificate leaf) throws QspHandshakeException {
        if (leaf.getBasicConstraints() >= 0) {
            throw refused("is a CA certificate (basicConstraints cA=true), not an end-entity certificate");
        }
        boolean[] ku = leaf.getKeyUsage();
        if (ku != null && (ku.length <= DIGITAL_SIGNATURE || !ku[DIGITAL_SIGNATURE])) {
            throw refused("has a keyUsage without digitalSignature, so its key may not sign CertificateVerify");
        }
        List<String> eku;
        try {
            eku = leaf.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            throw new QspHandshakeException(QspError.BAD_CERTIFICATE,
                    "peer " + role + " certificate has an unparsable extendedKeyUsage", false, e);
        }
        if (eku != null && !eku.contains(ekuOid) && !eku.contains(ANY_EXTENDED_KEY_USAGE)) {
            throw refused("has an extendedKeyUsage without " + ekuName + " or anyExtendedKeyUsage " + eku);
        }
    }

    private QspHandshakeException refused(String why) {
        return new QspHandshakeException(QspError.BAD_CERTIFICATE, "peer " + role + " certificate " + why);
    }
}
