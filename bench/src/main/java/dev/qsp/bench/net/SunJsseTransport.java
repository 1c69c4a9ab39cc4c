package dev.qsp.bench.net;

import javax.net.ssl.SSLSocket;

/**
 * The JDK's own TLS 1.3 (SunJSSE): TLS_AES_256_GCM_SHA384, named group x25519, an ECDSA P-256 certificate
 * ({@link TlsContexts#sunJsse}).
 */
public final class SunJsseTransport extends JsseTransport {
    /**
     * Configures SunJSSE with a fresh ECDSA P-256 identity in a temporary key store.
     *
     * @throws Exception if keytool or the JSSE configuration fails
     */
    public SunJsseTransport() throws Exception {
        this(new KeyTool());
    }

    private SunJsseTransport(KeyTool keyTool) throws Exception {
        super(keyTool, TlsContexts.sunJsse(keyTool));
    }

    @Override
    void restrict(SSLSocket socket) {
        socket.setSSLParameters(TlsContexts.sunJsseParameters(socket.getSSLParameters()));
    }

    /** For error messages only. */
    @Override
    public String toString() {
        return "SunJSSE";
    }
}
