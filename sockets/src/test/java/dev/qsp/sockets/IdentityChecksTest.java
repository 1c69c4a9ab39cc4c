package dev.qsp.sockets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.System.Logger.Level;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.function.Supplier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * This side's identity is checked when it is configured (SPEC.md §6.5): a key QSP cannot sign with is a
 * configuration error naming {@code dev.qsp.keyStore} and the key type, not a server that fails every handshake
 * with NO_COMMON_SUITE; a certificate outside its validity is a WARNING at start.
 */
class IdentityChecksTest {
    private static final String SCHEMES = "ML-DSA-44, ML-DSA-65, ML-DSA-87, SLH-DSA-SHA2-128S, SLH-DSA-SHA2-128F";

    @TempDir
    static Path dir;
    private static KeyPair rsa;
    private static KeyPair ec;
    private static X509Certificate rsaCert;
    private static X509Certificate ecCert;

    @BeforeAll
    static void keys() throws Exception {
        SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
        random.setSeed("qsp identity checks".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        KeyPairGenerator r = KeyPairGenerator.getInstance("RSA");
        r.initialize(2048, random);
        rsa = r.generateKeyPair();
        KeyPairGenerator e = KeyPairGenerator.getInstance("EC");
        e.initialize(new ECGenParameterSpec("secp256r1"), random);
        ec = e.generateKeyPair();
        rsaCert = selfSigned(rsa, "SHA256withRSA", random);
        ecCert = selfSigned(ec, "SHA256withECDSA", random);
    }

    private static X509Certificate selfSigned(KeyPair kp, String alg, SecureRandom random) throws Exception {
        X500Name name = new X500Name("CN=localhost");
        var b = new JcaX509v3CertificateBuilder(name, BigInteger.ONE, Date.from(Instant.parse("2025-01-01T00:00:00Z")),
                Date.from(Instant.parse("2125-01-01T00:00:00Z")), name, kp.getPublic());
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder(alg).setSecureRandom(random).build(kp.getPrivate())));
    }

    /** A PKCS#12 store with one key entry "server" holding {@code kp} and {@code cert}, written without QspIdentity. */
    private static Path store(String file, KeyPair kp, X509Certificate cert) throws Exception {
        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", kp.getPrivate(), TestIdentities.PASSWORD, new java.security.cert.Certificate[] {cert});
        Path p = dir.resolve(file);
        try (var out = java.nio.file.Files.newOutputStream(p)) {
            ks.store(out, TestIdentities.PASSWORD);
        }
        return p;
    }

    private static Map<String, String> serverProps(Path keyStore) {
        Map<String, String> p = new HashMap<>();
        p.put("dev.qsp.keyStore", keyStore.toString());
        p.put("dev.qsp.keyStorePassword", new String(TestIdentities.PASSWORD));
        return p;
    }

    @Test
    void anRsaKeyStoreIsAConfigurationErrorNamingTheKeyStoreAndTheKeyType() throws Exception {
        Path p = store("rsa.p12", rsa, rsaCert);
        QspConfigurationException e = assertThrows(QspConfigurationException.class,
                () -> SystemPropertyConfig.load(serverProps(p)));
        assertEquals("dev.qsp.keyStore", e.property());
        assertEquals("dev.qsp.keyStore: " + p + ": key entry 'server' holds an RSA key, which QSP cannot sign with"
                + " (it signs with " + SCHEMES + ")", e.getMessage());
    }

    @Test
    void anEcKeyStoreIsAConfigurationErrorEvenWhenTheAliasIsNamed() throws Exception {
        Path p = store("ec.p12", ec, ecCert);
        Map<String, String> props = serverProps(p);
        props.put("dev.qsp.keyAlias", "server");
        QspConfigurationException e = assertThrows(QspConfigurationException.class, () -> SystemPropertyConfig.load(props));
        assertEquals("dev.qsp.keyStore", e.property(), "the key store holds the wrong key, the alias is right");
        assertEquals("dev.qsp.keyStore: " + p + ": key entry 'server' holds an EC key, which QSP cannot sign with"
                + " (it signs with " + SCHEMES + ")", e.getMessage());
    }

    @Test
    void theBuilderRefusesSuchAnIdentityAtOnce() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> QspIdentity.of(ec.getPrivate(), List.of(ecCert)));
        assertEquals("the identity holds an EC key, which QSP cannot sign with (it signs with " + SCHEMES + ")",
                e.getMessage());
        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("rsa", rsa.getPrivate(), TestIdentities.PASSWORD, new java.security.cert.Certificate[] {rsaCert});
        e = assertThrows(IllegalArgumentException.class,
                () -> QspContext.builder().identity(ks, TestIdentities.PASSWORD, null));
        assertEquals("key entry 'rsa' holds an RSA key, which QSP cannot sign with (it signs with " + SCHEMES + ")",
                e.getMessage());
    }

    @Test
    void anIdentityOutsideItsValidityIsAWarningAtStart() throws Exception {
        QspIdentity server = TestIdentities.get().server; // leaf and CA valid 2025-01-01 .. 2125-01-01
        RecordingLogger log = new RecordingLogger();
        QspContext.builder().identity(server).startChecks(Instant.parse("2125-06-01T00:00:00Z"), log).build();
        assertEquals(List.of(
                "WARNING identity certificate CN=localhost expired at 2125-01-01T00:00:00Z;"
                        + " peers validating it by PKIX will refuse it (BAD_CERTIFICATE)",
                "WARNING identity chain certificate 1 CN=QSP test CA expired at 2125-01-01T00:00:00Z;"
                        + " peers validating it by PKIX will refuse it (BAD_CERTIFICATE)"), log.records);
        log.records.clear();
        QspContext.builder().identity(server).startChecks(Instant.parse("2024-12-31T23:59:59Z"), log).build();
        assertEquals("WARNING identity certificate CN=localhost is not valid before 2025-01-01T00:00:00Z;"
                + " peers validating it by PKIX will refuse it (BAD_CERTIFICATE)", log.records.getFirst());
        assertEquals(2, log.records.size());
        log.records.clear();
        QspContext.builder().identity(server).startChecks(Instant.parse("2026-06-01T00:00:00Z"), log).build();
        assertEquals(List.of(), log.records, "a valid identity starts without a word");
        assertEquals("dev.qsp.sockets.QspContext", IdentityChecks.LOG.getName());
    }

    /** A System.Logger that keeps "LEVEL message" of every record it is given. */
    private static final class RecordingLogger implements System.Logger {
        final List<String> records = new ArrayList<>();

        @Override public String getName() { return "test"; }
        @Override public boolean isLoggable(Level level) { return true; }
        @Override public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            records.add(level + " " + msg);
        }
        @Override public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            records.add(level + " " + java.text.MessageFormat.format(format, params));
        }
        @Override public void log(Level level, Supplier<String> msgSupplier) { records.add(level + " " + msgSupplier.get()); }
    }
}
