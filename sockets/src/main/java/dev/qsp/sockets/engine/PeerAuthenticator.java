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
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.GeneralName;

/**
 * Certificate and CertificateVerify handling (SPEC.md §4.6, §4.7): parses the peer's chain, validates it by PKIX
 * against the trust anchors and checks the expected identity (an IP literal: SAN iPAddress; a host name: SAN
 * dNSName, else CN), or checks a pinned SPKI
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

    /**
     * Parses DER certificates (leaf first). A certificate whose exact DER was parsed before is taken from a
     * bounded cache of parsed certificates (SPEC.md §4.7): the parse is a pure function of the bytes and
     * {@code X509Certificate} is immutable, so the result is the same object a new parse would equal; the
     * chain is still validated on every handshake. Clients that connect to the same server again (a pool, a
     * reconnect) so skip the parse and share one certificate object instead of holding a copy per connection.
     */
    static List<X509Certificate> parse(List<byte[]> der) throws QspHandshakeException {
        if (der.isEmpty()) throw new QspHandshakeException(QspError.BAD_CERTIFICATE, "peer sent no certificate");
        try {
            CertificateFactory cf = null;
            List<X509Certificate> out = new ArrayList<>();
            for (byte[] d : der) {
                Der key = new Der(d);
                X509Certificate c = ParsedCertificates.get(key);
                if (c == null) {
                    if (cf == null) cf = CertificateFactory.getInstance("X.509");
                    c = (X509Certificate) cf.generateCertificate(new ByteArrayInputStream(d));
                    ParsedCertificates.put(new Der(d.clone()), c);
                }
                out.add(c);
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new QspHandshakeException(QspError.BAD_CERTIFICATE, "peer certificate does not parse", false, e);
        }
    }

    /** A certificate's DER as a map key (content equality). */
    private record Der(byte[] bytes) {
        @Override
        public boolean equals(Object o) { return o instanceof Der d && java.util.Arrays.equals(bytes, d.bytes); }

        @Override
        public int hashCode() { return java.util.Arrays.hashCode(bytes); }

        @Override
        public String toString() { return "certificate DER (" + bytes.length + " bytes)"; }
    }

    /**
     * The bounded cache of parsed peer certificates (SPEC.md §4.7): the 64 most recently used, keyed by their
     * exact DER. Only public data; a lock instead of java.util.concurrent (the engine package's import rules).
     */
    private static final class ParsedCertificates {
        static final int CAPACITY = 64;
        private static final java.util.LinkedHashMap<Der, X509Certificate> MAP =
                new java.util.LinkedHashMap<>(16, 0.75f, true) {
                    @Override
                    protected boolean removeEldestEntry(java.util.Map.Entry<Der, X509Certificate> eldest) {
                        return size() > CAPACITY;
                    }
                };

        static synchronized X509Certificate get(Der der) { return MAP.get(der); }

        static synchronized void put(Der der, X509Certificate c) { MAP.putIfAbsent(der, c); }
    }

    /**
     * Validates the chain against {@code trust}, the leaf against {@code purpose} (§4.7: not a CA, keyUsage and
     * extendedKeyUsage fit) and against {@code expectedIdentity} (null: any trusted identity).
     */
    static void validate(List<X509Certificate> chain, QspTrust trust, CertificatePurpose purpose,
                         String expectedIdentity) throws QspHandshakeException {
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
        purpose.check(leaf);
        if (expectedIdentity != null && !matchesIdentity(leaf, expectedIdentity)) {
            throw new QspHandshakeException(QspError.UNKNOWN_IDENTITY,
                    "peer certificate does not name '" + expectedIdentity + "'");
        }
    }

    private static final int SAN_DNS_NAME = 2;
    private static final int SAN_IP_ADDRESS = 7;
    private static final java.util.regex.Pattern IPV4_DOTTED_QUAD =
            java.util.regex.Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    /**
     * Whether {@code cert} names {@code expected} (SPEC.md §4.7, after RFC 9525 / RFC 6125). An IP address
     * literal ({@code 192.0.2.1}, {@code ::1}, {@code [::1]}) matches only an iPAddress SAN with the same
     * address, never a dNSName or the CN. A host name matches the SAN dNSName entries if there are any, else the
     * subject CN; exact and case-insensitive (no wildcards).
     */
    static boolean matchesIdentity(X509Certificate cert, String expected) {
        List<?> sans;
        try {
            sans = subjectAltNames(cert);
        } catch (java.security.cert.CertificateParsingException e) {
            return false;
        }
        byte[] ip = ipLiteral(expected);
        if (ip != null) {
            for (String a : sanValues(sans, SAN_IP_ADDRESS)) if (java.util.Arrays.equals(ip, ipLiteral(a))) return true;
            return false;
        }
        String want = expected.toLowerCase(Locale.ROOT);
        List<String> dns = sanValues(sans, SAN_DNS_NAME);
        if (!dns.isEmpty()) {
            for (String d : dns) if (d.toLowerCase(Locale.ROOT).equals(want)) return true;
            return false;
        }
        return want.equals(commonName(cert));
    }

    /** The identity a certificate proves, for the session: its first dNSName SAN, else its CN, else its first IP SAN. */
    static String identityOf(X509Certificate cert) {
        List<?> sans;
        try {
            sans = subjectAltNames(cert);
        } catch (java.security.cert.CertificateParsingException e) {
            sans = List.of(); // fall through to the CN
        }
        List<String> dns = sanValues(sans, SAN_DNS_NAME);
        if (!dns.isEmpty()) return dns.getFirst();
        String cn = commonName(cert);
        if (cn != null) return cn;
        List<String> ips = sanValues(sans, SAN_IP_ADDRESS);
        return ips.isEmpty() ? cert.getSubjectX500Principal().getName() : ips.getFirst();
    }

    private static List<?> subjectAltNames(X509Certificate cert) throws java.security.cert.CertificateParsingException {
        var sans = cert.getSubjectAlternativeNames();
        return sans == null ? List.of() : List.copyOf(sans);
    }

    /** The string values of the SAN entries of one GeneralName type (the JDK gives dNSName and iPAddress as text). */
    private static List<String> sanValues(List<?> sans, int type) {
        List<String> out = new ArrayList<>();
        for (Object o : sans) {
            if (o instanceof List<?> san && san.size() >= 2 && Integer.valueOf(type).equals(san.get(0))
                    && san.get(1) instanceof String v) {
                out.add(v);
            }
        }
        return out;
    }

    /**
     * The address octets (4 or 16) if {@code s} is an IPv4 dotted quad or an IPv6 literal (optionally in
     * brackets), else null. Parsed by Bouncy Castle's GeneralName encoder: the engine stays free of java.net.
     */
    static byte[] ipLiteral(String s) {
        String v = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
        if (!IPV4_DOTTED_QUAD.matcher(v).matches() && v.indexOf(':') < 0) return null;
        try {
            GeneralName n = new GeneralName(GeneralName.iPAddress, v);
            byte[] octets = ASN1OctetString.getInstance(n.getName()).getOctets();
            return octets.length == 4 || octets.length == 16 ? octets : null; // a netmask form is no address
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The subject's common name, lower-cased, if it has exactly one (SPEC.md §4.7). With several CNs there is no
     * telling which one the issuer vouched for as the host name (RFC 6125 §6.4.4 uses the most specific, but
     * issuers disagree on the order), so a subject with more than one CN names no host: null, and a host name
     * check against it fails with {@code UNKNOWN_IDENTITY}.
     */
    private static String commonName(X509Certificate cert) {
        try {
            LdapName name = new LdapName(cert.getSubjectX500Principal().getName());
            String cn = null;
            int count = 0;
            for (Rdn rdn : name.getRdns()) {
                // all attributes of the RDN: a multi-valued RDN (CN=a+CN=b) may hold several
                NamingEnumeration<? extends Attribute> attrs = rdn.toAttributes().getAll();
                while (attrs.hasMore()) {
                    Attribute a = attrs.next();
                    if (!a.getID().equalsIgnoreCase("CN")) continue;
                    count += a.size();
                    if (a.size() > 0) cn = a.get(0).toString();
                }
            }
            return count == 1 ? cn.toLowerCase(Locale.ROOT) : null;
        } catch (NamingException e) {
            return null;
        }
    }
}
