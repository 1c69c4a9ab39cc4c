package dev.qsp.bench.engine;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.NamedParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import dev.qsp.sockets.QspIdentity;
import dev.qsp.sockets.QspTrust;

/**
 * A throwaway server identity for the in-memory benchmarks and the fuzzer, made in memory and never stored: an
 * ML-DSA-65 key pair (JDK) from a {@link DeterministicRandom} and a self-signed certificate (Bouncy Castle's
 * certificate builder, signed by the JDK's ML-DSA) naming {@link #NAME}. The client pins its public key
 * (SPEC.md §4.7) and still checks the name. Deterministic, so a fuzz case repeats byte for byte.
 *
 * @param identity the server's ML-DSA-65 key and self-signed certificate
 * @param trust    the client's trust: the certificate's public key pinned (SHA-256 of its SubjectPublicKeyInfo)
 */
public record BenchIdentity(QspIdentity identity, QspTrust trust) {
    /** The name the certificate holds (CN and SAN dNSName), which the client expects; {@code .invalid}: never a real host. */
    public static final String NAME = "server.bench.qsp.invalid";

    /**
     * Makes the identity, every random draw from {@code seed}.
     *
     * @param seed the seed of the {@link DeterministicRandom} (the same seed gives the same key and certificate)
     * @return the identity and the trust that pins it
     * @throws IllegalStateException if the JDK cannot make the ML-DSA-65 key or the certificate
     */
    public static BenchIdentity create(String seed) {
        try {
            DeterministicRandom random = new DeterministicRandom("identity:" + seed);
            KeyPairGenerator g = KeyPairGenerator.getInstance("ML-DSA-65");
            g.initialize(new NamedParameterSpec("ML-DSA-65"), random);
            KeyPair kp = g.generateKeyPair();
            X500Name subject = new X500Name("CN=" + NAME);
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, BigInteger.ONE,
                    Date.from(Instant.parse("2025-01-01T00:00:00Z")), Date.from(Instant.parse("2125-01-01T00:00:00Z")),
                    subject, kp.getPublic());
            b.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, NAME)));
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("ML-DSA-65").setSecureRandom(random).build(kp.getPrivate())));
            return new BenchIdentity(QspIdentity.of(kp.getPrivate(), List.of(cert)),
                    QspTrust.pinned(List.of(QspTrust.spkiSha256(cert))));
        } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
            throw new IllegalStateException("could not make the benchmark identity: " + e.getMessage(), e);
        }
    }
}
