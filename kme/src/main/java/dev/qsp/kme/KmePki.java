package dev.qsp.kme;

import dev.qsp.keysources.qkd.TlsMaterial;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Throwaway TLS material for the simulated KMEs: one EC P-256 CA, KME server certificates (SAN localhost and
 * 127.0.0.1) and SAE client certificates whose CN is the SAE ID, in PKCS#12 key stores. The KME link is
 * classical HTTPS, as in ETSI GS QKD 014; Bouncy Castle builds the certificates because the JDK has no public
 * API for it. Not for production: the CA key lives only in memory and is never written out.
 */
public final class KmePki {
    private static final Duration VALIDITY = Duration.ofDays(30);

    private final SecureRandom random;
    private final char[] password;
    private final KeyPair caKeys;
    private final X509Certificate caCert;

    /**
     * A new CA (EC P-256, valid 30 days).
     *
     * @param random   source for key pairs, serial numbers and nothing else
     * @param password the password of every key store this PKI writes
     * @throws GeneralSecurityException if the CA's key or certificate cannot be made
     */
    public KmePki(SecureRandom random, char[] password) throws GeneralSecurityException {
        this.random = random;
        this.password = password.clone();
        this.caKeys = ecKeyPair();
        X500Name ca = new X500Name("CN=QSP simulated KME CA");
        this.caCert = sign(ca, ca, caKeys, caKeys, true, null, null);
    }

    /** {@return a copy of the password of every key store this PKI writes} */
    public char[] password() {
        return password.clone();
    }

    /** {@return the CA's certificate} */
    public X509Certificate caCertificate() {
        return caCert;
    }

    /**
     * {@return a trust store holding only the CA certificate}
     *
     * @throws GeneralSecurityException if the store cannot be made
     */
    public KeyStore trustStore() throws GeneralSecurityException {
        KeyStore ks = emptyStore();
        ks.setCertificateEntry("qsp-kme-ca", caCert);
        return ks;
    }

    /**
     * {@return a key store with a new KME server certificate (CN {@code kmeId}, SAN DNS:localhost, IP:127.0.0.1)}
     *
     * @param kmeId the KME ID, the certificate's CN
     * @throws GeneralSecurityException if the key or certificate cannot be made
     */
    public KeyStore serverKeyStore(String kmeId) throws GeneralSecurityException {
        GeneralNames san = new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.dNSName, "localhost"),
            new GeneralName(GeneralName.iPAddress, "127.0.0.1")});
        return leaf(kmeId, san, KeyPurposeId.id_kp_serverAuth);
    }

    /**
     * {@return a key store with a new SAE client certificate: the SAE ID is its CN, as the KME reads it}
     *
     * @param saeId the SAE ID, the certificate's CN
     * @throws GeneralSecurityException if the key or certificate cannot be made
     */
    public KeyStore clientKeyStore(String saeId) throws GeneralSecurityException {
        return leaf(saeId, null, KeyPurposeId.id_kp_clientAuth);
    }

    /**
     * {@return a mutual-TLS context for an SAE: its client key store and this CA as trust anchor}
     *
     * @param saeId the SAE ID, the client certificate's CN
     * @throws GeneralSecurityException if the certificate or the context cannot be made
     */
    public SSLContext clientContext(String saeId) throws GeneralSecurityException {
        return TlsMaterial.sslContext(clientKeyStore(saeId), password, trustStore());
    }

    /**
     * Writes a key store as a PKCS#12 file protected by {@link #password()}.
     *
     * @param ks   the key store
     * @param file where to write it
     * @throws GeneralSecurityException if the store cannot be encoded
     * @throws IOException              if the file cannot be written
     */
    public void write(KeyStore ks, Path file) throws GeneralSecurityException, IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            ks.store(out, password);
        }
    }

    private KeyStore leaf(String cn, GeneralNames san, KeyPurposeId purpose) throws GeneralSecurityException {
        KeyPair kp = ecKeyPair();
        X509Certificate cert = sign(new X500Name(caCert.getSubjectX500Principal().getName()),
                new X500Name("CN=" + cn), kp, caKeys, false, san, purpose);
        KeyStore ks = emptyStore();
        ks.setKeyEntry(cn, kp.getPrivate(), password, new Certificate[] {cert, caCert});
        return ks;
    }

    private KeyPair ecKeyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), random);
        return g.generateKeyPair();
    }

    private X509Certificate sign(X500Name issuer, X500Name subject, KeyPair subjectKeys, KeyPair issuerKeys,
                                 boolean ca, GeneralNames san, KeyPurposeId purpose) throws GeneralSecurityException {
        Instant now = Instant.now();
        try {
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, random).add(BigInteger.ONE),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)), subject,
                    subjectKeys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(ca
                    ? KeyUsage.keyCertSign | KeyUsage.cRLSign
                    : KeyUsage.digitalSignature | KeyUsage.keyAgreement));
            if (san != null) {
                b.addExtension(Extension.subjectAlternativeName, false, san);
            }
            if (purpose != null) {
                b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            }
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
        } catch (CertIOException | OperatorCreationException e) {
            throw new GeneralSecurityException("cannot build certificate for " + subject, e);
        }
    }

    private static KeyStore emptyStore() throws GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try {
            ks.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot create an empty PKCS#12 store", e);
        }
        return ks;
    }
}
