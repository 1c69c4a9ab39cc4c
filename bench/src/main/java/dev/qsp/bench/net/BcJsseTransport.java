package dev.qsp.bench.net;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Provider;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jsse.BCSSLEngine;
import org.bouncycastle.jsse.BCSSLParameters;
import org.bouncycastle.jsse.BCSSLSocket;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;

/**
 * Bouncy Castle's JSSE (BCJSSE 1.84) TLS 1.3 with the hybrid post-quantum group X25519MLKEM768 and an ML-DSA-65
 * certificate: the closest thing to QSP a Java user can pick today. BC enables
 * neither by default, so both ends set the named group and the signature scheme explicitly through BC's own
 * parameters API.
 * <p>
 * Only runs in a JVM whose class path holds BC 1.84 (bench/target/bcjsse-lib), never beside the project's
 * bcprov 1.87.
 */
public final class BcJsseTransport extends JsseTransport {
    /**
     * BCJSSE logs two INFO lines per connection through java.util.logging; writing them would measure the
     * console. Held in a field because the logging framework keeps only a weak reference to a configured logger.
     */
    private static final Logger BC_LOG = Logger.getLogger("org.bouncycastle.jsse");

    /**
     * Configures BCJSSE with a fresh ML-DSA-65 identity in a temporary key store.
     *
     * @throws Exception if keytool or the BCJSSE configuration fails (also when BC 1.84 is not on the class path)
     */
    public BcJsseTransport() throws Exception {
        this(new KeyTool());
    }

    private BcJsseTransport(KeyTool keyTool) throws Exception {
        super(keyTool, context(keyTool));
    }

    @Override
    void restrict(SSLSocket socket) {
        BCSSLSocket bcSocket = (BCSSLSocket) socket;
        bcSocket.setParameters(parameters(bcSocket.getParameters()));
    }

    /**
     * BCJSSE 1.84 with an ML-DSA-65 self-signed certificate (made by the JDK's keytool, read through BC's
     * PKCS12); all cryptography through the BC provider. Only in a JVM whose class path holds BC 1.84.
     *
     * @param keyTool where the identity's key store is made
     * @return a BCJSSE context whose key is that identity and whose only trust anchor is its certificate
     * @throws Exception if keytool, the key store or the BCJSSE configuration fails
     */
    public static SSLContext context(KeyTool keyTool) throws Exception {
        BC_LOG.setLevel(Level.WARNING);
        Path storeFile = keyTool.generate("bcjsse-mldsa65", "ML-DSA-65", null);
        Provider bc = new BouncyCastleProvider();
        Provider jsse = new BouncyCastleJsseProvider(bc);
        KeyStore keyStore = KeyStore.getInstance("PKCS12", bc);
        try (InputStream in = Files.newInputStream(storeFile)) {
            keyStore.load(in, KeyTool.PASSWORD);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX", jsse);
        kmf.init(keyStore, KeyTool.PASSWORD);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX", jsse);
        KeyStore trust = KeyStore.getInstance("PKCS12", bc);
        trust.load(null, null);
        trust.setCertificateEntry("server", keyStore.getCertificate(KeyTool.ALIAS));
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance(PROTOCOL, jsse);
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    /**
     * BCJSSE parameters of the row (BC enables neither the hybrid group nor ML-DSA by default).
     *
     * @param p the parameters of a BCJSSE socket or engine
     * @return {@code p}, restricted to TLS 1.3, TLS_AES_256_GCM_SHA384, X25519MLKEM768 and ML-DSA-65
     */
    public static BCSSLParameters parameters(BCSSLParameters p) {
        p.setProtocols(new String[] {TlsContexts.PROTOCOL});
        p.setCipherSuites(new String[] {TlsContexts.SUITE});
        p.setNamedGroups(new String[] {TlsContexts.BC_GROUP});
        p.setSignatureSchemes(new String[] {TlsContexts.BC_SIGNATURE_SCHEME});
        return p;
    }

    /**
     * The row's parameters on an in-memory engine.
     *
     * @param engine a BCJSSE engine, before its handshake
     */
    public static void restrictEngine(SSLEngine engine) {
        BCSSLEngine bc = (BCSSLEngine) engine;
        bc.setParameters(parameters(bc.getParameters()));
    }

    @Override
    public String toString() {
        return "BCJSSE";
    }
}
