package dev.qsp.sockets;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * This side's identity: a private signing key (ML-DSA or SLH-DSA) and its X.509 certificate chain, leaf first
 * (SPEC.md §4.7). Load it from a PKCS#12 key store as {@code keytool -genkeypair -keyalg ML-DSA-65 -storetype
 * PKCS12} makes them. Shared by the engine config and the sockets layer's context.
 */
public final class QspIdentity {
    private final PrivateKey privateKey;
    private final List<X509Certificate> chain;

    private QspIdentity(PrivateKey privateKey, List<X509Certificate> chain) {
        this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
        IdentityChecks.requireSigningKey(privateKey, "the identity"); // §4.2: else every handshake fails later
        if (chain.isEmpty()) throw new IllegalArgumentException("certificate chain must not be empty");
        this.chain = List.copyOf(chain);
    }

    /**
     * An identity from a key and its chain (leaf first).
     *
     * @param privateKey the signing key, of a signature scheme of SPEC.md §4.2
     * @param chain      the certificate chain, leaf first
     * @return the identity
     * @throws IllegalArgumentException if the key is of no signature scheme QSP signs with (e.g. RSA, EC)
     */
    public static QspIdentity of(PrivateKey privateKey, List<X509Certificate> chain) {
        return new QspIdentity(privateKey, chain);
    }

    /**
     * Loads the key entry {@code alias} from a key store (or its only key entry when {@code alias} is null).
     *
     * @param keyStore the key store
     * @param alias    the key entry's alias, or {@code null} for the only key entry
     * @param password the key's password
     * @return the identity
     * @throws GeneralSecurityException if there is no such key entry or the password is wrong
     * @throws IllegalArgumentException if the entry's key is of no signature scheme QSP signs with (e.g. RSA, EC)
     */
    public static QspIdentity fromKeyStore(KeyStore keyStore, String alias, char[] password)
            throws GeneralSecurityException {
        String a = alias;
        if (a == null) {
            for (var e = keyStore.aliases(); e.hasMoreElements(); ) {
                String candidate = e.nextElement();
                if (keyStore.isKeyEntry(candidate)) {
                    if (a != null) throw new GeneralSecurityException("key store has several key entries: name an alias");
                    a = candidate;
                }
            }
            if (a == null) throw new GeneralSecurityException("key store has no key entry");
        }
        if (!keyStore.isKeyEntry(a)) throw new GeneralSecurityException("no key entry with alias '" + a + "'");
        PrivateKey key = (PrivateKey) keyStore.getKey(a, password);
        IdentityChecks.requireSigningKey(key, "key entry '" + a + "'");
        Certificate[] certs = keyStore.getCertificateChain(a);
        if (certs == null || certs.length == 0) {
            throw new GeneralSecurityException("key entry '" + a + "' has no certificate chain");
        }
        X509Certificate[] x509 = new X509Certificate[certs.length];
        for (int i = 0; i < certs.length; i++) {
            if (!(certs[i] instanceof X509Certificate c)) {
                throw new GeneralSecurityException("key entry '" + a + "' has a non-X.509 certificate");
            }
            x509[i] = c;
        }
        return new QspIdentity(key, List.of(x509));
    }

    /** {@return the signing key} */
    public PrivateKey privateKey() { return privateKey; }

    /** {@return the chain, leaf first} */
    public List<X509Certificate> chain() { return chain; }

    /** {@return the leaf certificate, the first of the chain} */
    public X509Certificate leaf() { return chain.getFirst(); }

    @Override
    public String toString() {
        return "QspIdentity[" + leaf().getSubjectX500Principal().getName() + ", key=" + privateKey.getAlgorithm() + "]";
    }
}
