package dev.qsp.sockets.engine;

import dev.qsp.sockets.QspError;
import dev.qsp.sockets.QspHandshakeException;
import dev.qsp.sockets.QspTrust;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Certificate and CertificateVerify handling (SPEC.md §4.6, §4.7): parses the peer's chain, validates it by PKIX
 * against the trust anchors and checks the expected identity (SAN dNSName, else CN), or checks a pinned SPKI
 * hash; signs and verifies {@code context ‖ 0x00 ‖ transcript_hash}.
 */
final class PeerAuthenticator {
    static final String SERVER_CONTEXT = "QSP v1 server CertificateVerify";
    static final String CLIENT_CONTEXT = "QSP v1 client CertificateVerify";

    private PeerAuthenticator() {}

    static byte[] signedContent(String context, byte[] transcriptHash) {
        byte[] c = context.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[c.length + 1 + transcriptHash.length];
        System.arraycopy(c, 0, out, 0, c.length);
        System.arraycopy(transcriptHash, 0, out, c.length + 1, transcriptHash.length);
        return out;
    }

    static byte[] sign(SignatureScheme scheme, PrivateKey key, String context, byte[] th, SecureRandom random)
            throws QspHandshakeException {
        try {
            return scheme.sign(key, signedContent(context, th), random);
        } catch (GeneralSecurityException e) {
            throw new QspHandshakeException(QspError.INTERNAL, "signing with " + scheme.jcaName() + " failed", false, e);
        }
    }

    static void verify(SignatureScheme scheme, X509Certificate leaf, String context, byte[] th, byte[] signature)
            throws QspHandshakeException {
        SignatureScheme keyScheme = SignatureScheme.forKey(leaf.getPublicKey());
        if (keyScheme != scheme) {
            throw new QspHandshakeException(QspError.ILLEGAL_PARAMETER, "CertificateVerify uses " + scheme.jcaName()
                    + " but the certificate's key is for " + (keyScheme == null ? leaf.getPublicKey().getAlgorithm() : keyScheme.jcaName()));
        }
        boolean ok;
        try {
            ok = scheme.verify(leaf.getPublicKey(), signedContent(context, th), signature);
        } catch (GeneralSecurityException e) {
            ok = false;
        }
        if (!ok) {
            throw new QspHandshakeException(QspError.BAD_SIGNATURE,
                    scheme.jcaName() + " signature over the transcript does not verify");
        }
    }

    /** Parses DER certificates (leaf first). */
    static List<X509Certificate> parse(List<byte[]> der) throws QspHandshakeException {
        if (der.isEmpty()) throw new QspHandshakeException(QspError.BAD_CERTIFICATE, "peer sent no certificate");
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            List<X509Certificate> out = new ArrayList<>();
            for (byte[] d : der) out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(d)));
            return out;
        } catch (GeneralSecurityException e) {
            throw new QspHandshakeException(QspError.BAD_CERTIFICATE, "peer certificate does not parse", false, e);
        }
    }

    /** Validates the chain against {@code trust} and {@code expectedIdentity} (null: any trusted identity). */
    static void validate(List<X509Certificate> chain, QspTrust trust, String expectedIdentity)
            throws QspHandshakeException {
        X509Certificate leaf = chain.getFirst();
        if (trust.isPinned()) {
            if (!trust.matchesPin(QspTrust.spkiSha256(leaf))) {
                throw new QspHandshakeException(QspError.BAD_CERTIFICATE, "peer public key matches no pin");
            }
        } else {
            try {
                CertPath path = CertificateFactory.getInstance("X.509").generateCertPath(chain);
                PKIXParameters params = new PKIXParameters(trust.anchors());
                params.setRevocationEnabled(false);
                if (trust.validationDate() != null) params.setDate(trust.validationDate());
                CertPathValidator.getInstance("PKIX").validate(path, params);
            } catch (GeneralSecurityException e) {
                throw new QspHandshakeException(QspError.BAD_CERTIFICATE,
                        "peer certificate chain is not trusted: " + e.getMessage(), false, e);
            }
        }
        if (expectedIdentity != null && !matchesIdentity(leaf, expectedIdentity)) {
            throw new QspHandshakeException(QspError.UNKNOWN_IDENTITY,
                    "peer certificate does not name '" + expectedIdentity + "'");
        }
    }

    /** SAN dNSName entries if there are any, else the subject CN; exact, case-insensitive (no wildcards). */
    static boolean matchesIdentity(X509Certificate cert, String expected) {
        String want = expected.toLowerCase(Locale.ROOT);
        List<String> dns = new ArrayList<>();
        try {
            var sans = cert.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (san.size() >= 2 && Integer.valueOf(2).equals(san.get(0)) && san.get(1) instanceof String s) dns.add(s);
                }
            }
        } catch (java.security.cert.CertificateParsingException e) {
            return false;
        }
        if (!dns.isEmpty()) {
            for (String d : dns) if (d.toLowerCase(Locale.ROOT).equals(want)) return true;
            return false;
        }
        return want.equals(commonName(cert));
    }

    static String identityOf(X509Certificate cert) {
        try {
            var sans = cert.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (san.size() >= 2 && Integer.valueOf(2).equals(san.get(0)) && san.get(1) instanceof String s) return s;
                }
            }
        } catch (java.security.cert.CertificateParsingException e) {
            // fall through to the CN
        }
        String cn = commonName(cert);
        return cn != null ? cn : cert.getSubjectX500Principal().getName();
    }

    private static String commonName(X509Certificate cert) {
        try {
            LdapName name = new LdapName(cert.getSubjectX500Principal().getName());
            for (Rdn rdn : name.getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) return rdn.getValue().toString().toLowerCase(Locale.ROOT);
            }
        } catch (InvalidNameException e) {
            return null;
        }
        return null;
    }
}
