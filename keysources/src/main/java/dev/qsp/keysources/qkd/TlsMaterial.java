package dev.qsp.keysources.qkd;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds the {@link SSLContext} for mutual TLS with a KME (ETSI GS QKD 014 §4.2) from PKCS#12 files: a key store
 * with this SAE's (or KME's) private key and certificate chain, and a trust store with the CA that signed the
 * other side's certificate.
 */
public final class TlsMaterial {
    private TlsMaterial() {
    }

    /**
     * {@return a TLS context with the key store's key and chain and the trust store's CAs}
     *
     * @param keyStore           PKCS#12 file with this side's private key and certificate chain
     * @param keyStorePassword   its password
     * @param trustStore         PKCS#12 file with the CA of the other side
     * @param trustStorePassword its password
     * @throws GeneralSecurityException if a store cannot be used
     * @throws IOException              if a file cannot be read
     */
    public static SSLContext sslContext(Path keyStore, char[] keyStorePassword, Path trustStore,
                                        char[] trustStorePassword) throws GeneralSecurityException, IOException {
        return sslContext(load(keyStore, keyStorePassword), keyStorePassword, load(trustStore, trustStorePassword));
    }

    /**
     * {@return a TLS context with the key store's key and chain and the trust store's CAs}
     *
     * @param keys        this side's private key and certificate chain
     * @param keyPassword the key's password
     * @param trust       the CA of the other side
     * @throws GeneralSecurityException if a store cannot be used
     */
    public static SSLContext sslContext(KeyStore keys, char[] keyPassword, KeyStore trust)
            throws GeneralSecurityException {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, keyPassword);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    /**
     * {@return the PKCS#12 key store in {@code file}}
     *
     * @param file     the file
     * @param password its password
     * @throws GeneralSecurityException if the content cannot be used (e.g. wrong password)
     * @throws IOException              if the file cannot be read
     */
    public static KeyStore load(Path file, char[] password) throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, password);
        }
        return ks;
    }
}
