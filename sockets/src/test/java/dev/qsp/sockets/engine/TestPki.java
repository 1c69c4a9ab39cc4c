package dev.qsp.sockets.engine;

import dev.qsp.sockets.QspIdentity;
import dev.qsp.sockets.QspTrust;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.NamedParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A tiny deterministic PKI for tests: an ML-DSA-65 CA and leaf certificates with ML-DSA or SLH-DSA keys, all
 * generated from seeds (same seed, same keys and certificates), valid 2025-01-01 to 2125-01-01.
 */
final class TestPki {
    static final Date NOT_BEFORE = Date.from(Instant.parse("2025-01-01T00:00:00Z"));
    static final Date NOT_AFTER = Date.from(Instant.parse("2125-01-01T00:00:00Z"));
    static final Date VALIDATION_DATE = Date.from(Instant.parse("2026-06-01T00:00:00Z"));

    final String name;
    final KeyPair caKeys;
    final X509Certificate caCert;
    private final SecureRandom random;
    private long serial = 1;

    TestPki(String name, String seed) throws Exception {
        this.name = name;
        this.random = new SeededRandom("pki:" + seed);
        this.caKeys = keyPair("ML-DSA-65", random);
        this.caCert = sign(new X500Name("CN=" + name), caKeys.getPublic(), true, null);
    }

    static KeyPair keyPair(String alg, SecureRandom random) throws Exception {
        if (alg.startsWith("SLH-DSA")) {
            KeyPairGenerator g = KeyPairGenerator.getInstance(alg, new BouncyCastleProvider());
            g.initialize(org.bouncycastle.jcajce.spec.SLHDSAParameterSpec.fromName(alg.substring("SLH-DSA-".length()).toLowerCase()), random);
            return g.generateKeyPair();
        }
        KeyPairGenerator g = KeyPairGenerator.getInstance(alg);
        g.initialize(new NamedParameterSpec(alg), random);
        return g.generateKeyPair();
    }

    /** A leaf identity for {@code dnsName} with a key of {@code alg}, issued by this CA. */
    QspIdentity issue(String dnsName, String alg) throws Exception {
        KeyPair kp = keyPair(alg, random);
        X509Certificate leaf = sign(new X500Name("CN=" + dnsName), kp.getPublic(), false,
                new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
        return QspIdentity.of(kp.getPrivate(), List.of(leaf, caCert));
    }

    /** A leaf certificate (ML-DSA-65) with subject CN {@code cn} and exactly the given SANs (none if empty). */
    X509Certificate leaf(String cn, GeneralName... sans) throws Exception {
        KeyPair kp = keyPair("ML-DSA-65", random);
        return sign(new X500Name("CN=" + cn), kp.getPublic(), false, sans.length == 0 ? null : new GeneralNames(sans));
    }

    /** As {@link #leaf}, as an identity with its chain. */
    QspIdentity identity(String cn, GeneralName... sans) throws Exception {
        KeyPair kp = keyPair("ML-DSA-65", random);
        X509Certificate leaf = sign(new X500Name("CN=" + cn), kp.getPublic(), false, sans.length == 0 ? null : new GeneralNames(sans));
        return QspIdentity.of(kp.getPrivate(), List.of(leaf, caCert));
    }

    /**
     * A leaf identity for {@code dnsName} (ML-DSA-65) with exactly the purpose extensions given: basicConstraints
     * cA={@code ca}, keyUsage {@code keyUsage} (a {@link KeyUsage} bit mask; omitted if negative) and
     * extendedKeyUsage {@code eku} (omitted if empty) — to build certificates issued for another purpose.
     */
    QspIdentity issueWithPurpose(String dnsName, boolean ca, int keyUsage, KeyPurposeId... eku) throws Exception {
        KeyPair kp = keyPair("ML-DSA-65", random);
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name("CN=" + name),
                BigInteger.valueOf(serial++), NOT_BEFORE, NOT_AFTER, new X500Name("CN=" + dnsName), kp.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        if (keyUsage >= 0) b.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
        if (eku.length > 0) b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(eku));
        b.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
        ContentSigner signer = new JcaContentSignerBuilder("ML-DSA-65").setSecureRandom(random).build(caKeys.getPrivate());
        X509Certificate leaf = new JcaX509CertificateConverter().getCertificate(b.build(signer));
        return QspIdentity.of(kp.getPrivate(), List.of(leaf, caCert));
    }

    QspTrust trust() { return QspTrust.pkix(List.of(caCert)).atDate(VALIDATION_DATE); }

    private X509Certificate sign(X500Name subject, PublicKey key, boolean ca, GeneralNames sans) throws Exception {
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name("CN=" + name),
                BigInteger.valueOf(serial++), NOT_BEFORE, NOT_AFTER, subject, key);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(ca ? KeyUsage.keyCertSign : KeyUsage.digitalSignature));
        if (sans != null) b.addExtension(Extension.subjectAlternativeName, false, sans);
        ContentSigner signer = new JcaContentSignerBuilder("ML-DSA-65").setSecureRandom(random).build(caKeys.getPrivate());
        return new JcaX509CertificateConverter().getCertificate(b.build(signer));
    }
}
