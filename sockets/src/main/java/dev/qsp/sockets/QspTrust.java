package dev.qsp.sockets;

import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * How this side verifies its peer (SPEC.md §4.7): either PKIX against trust anchors (the expected identity is
 * checked separately, against the leaf's SAN dNSName or CN), or a pinned SHA-256 of the peer's
 * SubjectPublicKeyInfo. Shared by the engine config and the sockets layer's context.
 */
public final class QspTrust {
    private final Set<TrustAnchor> anchors;
    private final List<byte[]> pins;
    private final Date validationDate;

    private QspTrust(Set<TrustAnchor> anchors, List<byte[]> pins, Date validationDate) {
        this.anchors = anchors;
        this.pins = pins;
        this.validationDate = validationDate;
    }

    /**
     * PKIX with every trusted certificate of {@code trustStore} as an anchor.
     *
     * @param trustStore the trust store
     * @return the trust
     * @throws KeyStoreException if the store cannot be read or holds no certificate
     */
    public static QspTrust pkix(KeyStore trustStore) throws KeyStoreException {
        Set<TrustAnchor> anchors = new HashSet<>();
        for (var e = trustStore.aliases(); e.hasMoreElements(); ) {
            String alias = e.nextElement();
            Certificate c = trustStore.getCertificate(alias);
            if (c instanceof X509Certificate x) anchors.add(new TrustAnchor(x, null));
        }
        if (anchors.isEmpty()) throw new KeyStoreException("trust store has no certificates");
        return new QspTrust(Set.copyOf(anchors), List.of(), null);
    }

    /**
     * PKIX with the given anchor certificates.
     *
     * @param anchorCerts at least one anchor
     * @return the trust
     */
    public static QspTrust pkix(List<X509Certificate> anchorCerts) {
        if (anchorCerts.isEmpty()) throw new IllegalArgumentException("at least one trust anchor is required");
        Set<TrustAnchor> anchors = new HashSet<>();
        for (X509Certificate c : anchorCerts) anchors.add(new TrustAnchor(c, null));
        return new QspTrust(Set.copyOf(anchors), List.of(), null);
    }

    /**
     * Accepts exactly the peers whose SubjectPublicKeyInfo has one of these SHA-256 hashes (32 bytes each).
     *
     * @param spkiSha256 at least one pin (copied)
     * @return the trust
     */
    public static QspTrust pinned(List<byte[]> spkiSha256) {
        if (spkiSha256.isEmpty()) throw new IllegalArgumentException("at least one pin is required");
        List<byte[]> copy = new ArrayList<>();
        for (byte[] p : spkiSha256) {
            if (p.length != 32) throw new IllegalArgumentException("a pin is a 32-byte SHA-256, got " + p.length + " bytes");
            copy.add(p.clone());
        }
        return new QspTrust(Set.of(), List.copyOf(copy), null);
    }

    /**
     * {@return the pin of a certificate: SHA-256 over its SubjectPublicKeyInfo}
     *
     * @param cert the certificate
     */
    public static byte[] spkiSha256(X509Certificate cert) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(cert.getPublicKey().getEncoded());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /**
     * {@return this trust with PKIX validity checked at a fixed date instead of now (test vectors, reproducibility)}
     *
     * @param date the validation date (copied)
     */
    public QspTrust atDate(Date date) {
        return new QspTrust(anchors, pins, new Date(date.getTime()));
    }

    /** {@return whether this trust accepts pinned keys rather than PKIX chains} */
    public boolean isPinned() { return !pins.isEmpty(); }

    /** {@return the PKIX anchors, empty for a pinned trust} */
    public Set<TrustAnchor> anchors() { return anchors; }

    /**
     * {@return whether the hash is one of the pins (constant-time per comparison)}
     *
     * @param spkiSha256 SHA-256 of a peer's SubjectPublicKeyInfo
     */
    public boolean matchesPin(byte[] spkiSha256) {
        boolean match = false;
        for (byte[] p : pins) match |= MessageDigest.isEqual(p, spkiSha256);
        return match;
    }

    /** {@return the PKIX validation date, or null for "now"} */
    public Date validationDate() { return validationDate == null ? null : new Date(validationDate.getTime()); }

    @Override
    public String toString() {
        if (isPinned()) {
            List<String> hex = new ArrayList<>();
            for (byte[] p : pins) hex.add(HexFormat.of().formatHex(p));
            return "QspTrust[pinned " + hex + "]";
        }
        return "QspTrust[PKIX, " + anchors.size() + " anchors]";
    }
}
