package dev.qsp.netty;

import dev.qsp.sockets.QspContext;
import dev.qsp.sockets.QspIdentity;
import dev.qsp.sockets.QspTrust;

import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.NamedParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Test identities from a seeded generator: an ML-DSA-65 CA, a server {@code localhost} and a client
 * {@code client.qsp.test}, as {@link QspIdentity}s and as PKCS#12 files (what {@code keytool} makes) for the
 * system-property tests. Built once per JVM: ML-DSA key generation is the slow part.
 */
public final class TestIdentities {
    public static final String SERVER_NAME = "localhost";
    static final String CLIENT_NAME = "client.qsp.test";
    public static final char[] PASSWORD = "test-password".toCharArray();
    private static final Date NOT_BEFORE = Date.from(Instant.parse("2025-01-01T00:00:00Z"));
    private static final Date NOT_AFTER = Date.from(Instant.parse("2125-01-01T00:00:00Z"));

    private static TestIdentities instance;

    final X509Certificate caCert;
    public final QspIdentity server;
    public final QspIdentity client;
    private final KeyPair ca;
    private final SecureRandom random;
    private long serial = 1;

    private TestIdentities() throws Exception {
        random = SecureRandom.getInstance("SHA1PRNG");
        random.setSeed("qsp netty test identities".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        ca = keyPair();
        caCert = sign("CN=QSP test CA", ca.getPublic(), true, null);
        server = issue(SERVER_NAME);
        client = issue(CLIENT_NAME);
    }

    public static synchronized TestIdentities get() throws Exception {
        if (instance == null) instance = new TestIdentities();
        return instance;
    }

    public QspTrust trust() { return QspTrust.pkix(List.of(caCert)); }

    /** A server context with this CA's server identity; rekeys and timeouts as the test needs. */
    public QspContext.Builder serverContext() {
        return QspContext.builder().identity(server).trust(trust()).handshakeTimeout(Duration.ofSeconds(20))
                // the whole handshake's bound for the first flight too: on a loaded 2-core machine a cold client
                // can take longer than the 5 s default to send its ClientHello; tests of the first-flight
                // deadline set their own
                .helloTimeout(Duration.ofSeconds(20));
    }

    /** A client context that trusts this CA and expects {@code localhost}. */
    public QspContext.Builder clientContext() {
        return QspContext.builder().trust(trust()).expectedPeerIdentity(SERVER_NAME)
                .handshakeTimeout(Duration.ofSeconds(20));
    }

    /** Writes {@code identity} as a PKCS#12 key store (entry {@code alias}) protected by {@link #PASSWORD}. */
    public static Path writeKeyStore(Path file, String alias, QspIdentity identity) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry(alias, identity.privateKey(), PASSWORD, identity.chain().toArray(new Certificate[0]));
        try (OutputStream out = Files.newOutputStream(file)) {
            ks.store(out, PASSWORD);
        }
        return file;
    }

    /** Writes a PKCS#12 trust store holding the CA certificate. */
    public Path writeTrustStore(Path file) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("qsp-test-ca", caCert);
        try (OutputStream out = Files.newOutputStream(file)) {
            ks.store(out, PASSWORD);
        }
        return file;
    }

    private QspIdentity issue(String dns) throws Exception {
        KeyPair kp = keyPair();
        X509Certificate leaf = sign("CN=" + dns, kp.getPublic(), false, dns);
        return QspIdentity.of(kp.getPrivate(), List.of(leaf, caCert));
    }

    private KeyPair keyPair() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("ML-DSA");
        g.initialize(new NamedParameterSpec("ML-DSA-65"), random);
        return g.generateKeyPair();
    }

    private X509Certificate sign(String subject, PublicKey key, boolean isCa, String dns) throws Exception {
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name("CN=QSP test CA"),
                BigInteger.valueOf(serial++), NOT_BEFORE, NOT_AFTER, new X500Name(subject), key);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(isCa ? KeyUsage.keyCertSign : KeyUsage.digitalSignature));
        if (dns != null) {
            b.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, dns)));
        }
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("ML-DSA-65").setSecureRandom(random).build(ca.getPrivate())));
    }
}
