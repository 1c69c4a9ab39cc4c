package dev.qsp.bench.net;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * The JDK's own TLS 1.3 (SunJSSE): TLS_AES_256_GCM_SHA384, named group x25519, an ECDSA P-256 certificate, the
 * {@code SunX509} key manager (the {@code PKIX} one re-decrypts the private key on every handshake, which would
 * measure PBE rather than TLS).
 */
public final class SunJsseTransport extends JsseTransport {
    public SunJsseTransport() throws Exception {
        this(new KeyTool());
    }

    private SunJsseTransport(KeyTool keyTool) throws Exception {
        super(keyTool, context(keyTool.generate("sunjsse-ec", "EC", "secp256r1")));
    }

    private static SSLContext context(Path storeFile) throws Exception {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(storeFile)) {
            keyStore.load(in, KeyTool.PASSWORD);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509", "SunJSSE");
        kmf.init(keyStore, KeyTool.PASSWORD);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX", "SunJSSE");
        tmf.init(trustStoreFor(keyStore, "PKCS12"));
        SSLContext context = SSLContext.getInstance(PROTOCOL, "SunJSSE");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    @Override
    void restrict(SSLSocket socket) {
        SSLParameters p = socket.getSSLParameters();
        p.setProtocols(new String[] {PROTOCOL});
        p.setCipherSuites(new String[] {SUITE});
        p.setNamedGroups(new String[] {"x25519"});
        p.setSignatureSchemes(new String[] {"ecdsa_secp256r1_sha256"});
        socket.setSSLParameters(p);
    }

    /** For error messages only. */
    @Override
    public String toString() {
        return "SunJSSE";
    }
}
