package dev.qsp.bench.net;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * The JSSE stacks' shared constants and SunJSSE's context and restriction (BCJSSE's live in {@link BcJsseTransport},
 * the only class that may touch Bouncy Castle 1.84 types), shared by the loopback transports ({@link SunJsseTransport},
 * {@link BcJsseTransport}) and the in-memory engine benchmarks, so both measure exactly the same configuration:
 * TLS 1.3, TLS_AES_256_GCM_SHA384, and one named group and one signature scheme set on both ends.
 */
public final class TlsContexts {
    /** The only protocol version enabled on both ends. */
    public static final String PROTOCOL = "TLSv1.3";
    /** The only cipher suite enabled on both ends. */
    public static final String SUITE = "TLS_AES_256_GCM_SHA384";
    static final String SUN_GROUP = "x25519";
    static final String SUN_SIGNATURE_SCHEME = "ecdsa_secp256r1_sha256";
    /** BCJSSE's only named group: the hybrid post-quantum X25519MLKEM768. */
    public static final String BC_GROUP = "X25519MLKEM768";
    /** BCJSSE's only signature scheme: ML-DSA-65. */
    public static final String BC_SIGNATURE_SCHEME = "mldsa65";

    private TlsContexts() {
    }

    /**
     * SunJSSE with an ECDSA P-256 self-signed certificate as key and only trust anchor; the {@code SunX509} key
     * manager (the {@code PKIX} one re-decrypts the private key on every handshake, which would measure PBE).
     *
     * @param keyTool where the identity's key store is made
     * @return a SunJSSE context whose key is that identity and whose only trust anchor is its certificate
     * @throws Exception if keytool, the key store or the JSSE configuration fails
     */
    public static SSLContext sunJsse(KeyTool keyTool) throws Exception {
        Path storeFile = keyTool.generate("sunjsse-ec", "EC", "secp256r1");
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(storeFile)) {
            keyStore.load(in, KeyTool.PASSWORD);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509", "SunJSSE");
        kmf.init(keyStore, KeyTool.PASSWORD);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX", "SunJSSE");
        tmf.init(JsseTransport.trustStoreFor(keyStore, "PKCS12"));
        SSLContext context = SSLContext.getInstance(PROTOCOL, "SunJSSE");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    /**
     * SunJSSE parameters of the row, on an engine or a socket's parameters.
     *
     * @param p the parameters of a SunJSSE socket or engine
     * @return {@code p}, restricted to TLS 1.3, TLS_AES_256_GCM_SHA384, x25519 and ECDSA P-256 with SHA-256
     */
    public static SSLParameters sunJsseParameters(SSLParameters p) {
        p.setProtocols(new String[] {PROTOCOL});
        p.setCipherSuites(new String[] {SUITE});
        p.setNamedGroups(new String[] {SUN_GROUP});
        p.setSignatureSchemes(new String[] {SUN_SIGNATURE_SCHEME});
        return p;
    }

    /**
     * The row's parameters on an in-memory SunJSSE engine.
     *
     * @param engine a SunJSSE engine, before its handshake
     */
    public static void restrictSunJsse(SSLEngine engine) {
        engine.setSSLParameters(sunJsseParameters(engine.getSSLParameters()));
    }

}
