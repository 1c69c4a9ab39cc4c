package dev.qsp.sockets.engine;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Signature algorithms for CertificateVerify (SPEC.md §4.2). ML-DSA comes from the JDK; SLH-DSA, which the JDK
 * lacks, from Bouncy Castle. Identifiers: the TLS code points of draft-ietf-tls-mldsa for ML-DSA, and
 * private-use values for SLH-DSA.
 */
public enum SignatureScheme {
    /** ML-DSA-44 (FIPS 204), wire id 0x0904. */
    ML_DSA_44(0x0904, "ML-DSA-44", "2.16.840.1.101.3.4.3.17", false),
    /** ML-DSA-65, wire id 0x0905 (the default). */
    ML_DSA_65(0x0905, "ML-DSA-65", "2.16.840.1.101.3.4.3.18", false),
    /** ML-DSA-87, wire id 0x0906. */
    ML_DSA_87(0x0906, "ML-DSA-87", "2.16.840.1.101.3.4.3.19", false),
    /** SLH-DSA-SHA2-128s (FIPS 205, Bouncy Castle), wire id 0xFE01. */
    SLH_DSA_SHA2_128S(0xFE01, "SLH-DSA-SHA2-128S", "2.16.840.1.101.3.4.3.20", true),
    /** SLH-DSA-SHA2-128f (Bouncy Castle), wire id 0xFE02. */
    SLH_DSA_SHA2_128F(0xFE02, "SLH-DSA-SHA2-128F", "2.16.840.1.101.3.4.3.21", true);

    private final int id;
    private final String jcaName;
    private final String oid;
    private final boolean bouncyCastle;

    SignatureScheme(int id, String jcaName, String oid, boolean bouncyCastle) {
        this.id = id;
        this.jcaName = jcaName;
        this.oid = oid;
        this.bouncyCastle = bouncyCastle;
    }

    /** {@return the u16 wire identifier (SPEC.md §4.2)} */
    public int id() { return id; }

    /** {@return the JCA algorithm name, e.g. {@code ML-DSA-65}} */
    public String jcaName() { return jcaName; }

    /**
     * {@return the scheme with this wire id, or null}
     *
     * @param id a u16 wire identifier
     */
    public static SignatureScheme fromId(int id) {
        for (SignatureScheme s : values()) if (s.id == id) return s;
        return null;
    }

    /**
     * The scheme a private or public key is for, or null if none: matched by parameter-set name, or by the
     * algorithm OID (FIPS 205 / RFC 9909) that the JDK reports for SLH-DSA keys it cannot decode.
     *
     * @param key a private or public key
     * @return its scheme, or null
     */
    public static SignatureScheme forKey(java.security.Key key) {
        String name = key.getAlgorithm();
        if (key instanceof java.security.AsymmetricKey ak
                && ak.getParams() instanceof java.security.spec.NamedParameterSpec nps) {
            name = nps.getName();
        }
        for (SignatureScheme s : values()) if (s.jcaName.equalsIgnoreCase(name) || s.oid.equals(name)) return s;
        return null;
    }

    byte[] sign(PrivateKey key, byte[] message, SecureRandom random) throws GeneralSecurityException {
        Signature s = bouncyCastle ? Signature.getInstance(jcaName, Bc.PROVIDER) : Signature.getInstance(jcaName);
        s.initSign(key, random);
        s.update(message);
        return s.sign();
    }

    boolean verify(PublicKey key, byte[] message, byte[] signature) throws GeneralSecurityException {
        Signature s;
        PublicKey k = key;
        if (bouncyCastle) {
            s = Signature.getInstance(jcaName, Bc.PROVIDER);
            // The JDK's X.509 parser does not know SLH-DSA keys: re-read the SubjectPublicKeyInfo with BC.
            k = KeyFactory.getInstance("SLH-DSA", Bc.PROVIDER).generatePublic(new X509EncodedKeySpec(key.getEncoded()));
        } else {
            s = Signature.getInstance(jcaName);
        }
        s.initVerify(k);
        s.update(message);
        return s.verify(signature);
    }

    private static final class Bc {
        static final Provider PROVIDER = new BouncyCastleProvider();
    }
}
