package dev.qsp.bench.scale;

import dev.qsp.bench.net.KeyTool;
import dev.qsp.bench.net.TlsContexts;
import dev.qsp.sockets.QspContext;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The throwaway identities of the scale and tunnel benchmarks, read from the PKCS#12 files the driver made with
 * {@link KeyTool}: QSP's ML-DSA-65 server and SunJSSE's ECDSA P-256 server (both CN=localhost), and the matching
 * client trust.
 */
public final class Stores {
    private Stores() {
    }

    public static KeyStore load(Path p) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p)) {
            ks.load(in, KeyTool.PASSWORD);
        }
        return ks;
    }

    private static KeyStore trust(KeyStore ks) throws Exception {
        KeyStore t = KeyStore.getInstance("PKCS12");
        t.load(null, null);
        t.setCertificateEntry("server", ks.getCertificate(KeyTool.ALIAS));
        return t;
    }

    /** A QSP server context whose admission caps hold {@code cap} handshakes and whose deadlines do not end them. */
    public static QspContext qspServer(Path store, int cap) throws Exception {
        return QspContext.builder().identity(load(store), KeyTool.PASSWORD, KeyTool.ALIAS)
                .maxHandshakes(cap).maxHandshakesPerAddress(cap)
                .helloTimeout(Duration.ofMinutes(10)).handshakeTimeout(Duration.ofMinutes(10)).build();
    }

    public static QspContext qspClient(Path store) throws Exception {
        return QspContext.builder().trustStore(trust(load(store))).expectedPeerIdentity("localhost")
                .handshakeTimeout(Duration.ofMinutes(10)).build();
    }

    /** SunJSSE, TLS 1.3 (the benchmark's row: {@link TlsContexts}), as server (key) and client (trust). */
    public static SSLContext tls(Path store) throws Exception {
        KeyStore ks = load(store);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509", "SunJSSE");
        kmf.init(ks, KeyTool.PASSWORD);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX", "SunJSSE");
        tmf.init(trust(ks));
        SSLContext c = SSLContext.getInstance(TlsContexts.PROTOCOL, "SunJSSE");
        c.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return c;
    }
}
