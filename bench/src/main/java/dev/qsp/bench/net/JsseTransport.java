package dev.qsp.bench.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.KeyStore;
import java.security.cert.Certificate;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * A JSSE stack (SunJSSE or BCJSSE) restricted to TLS 1.3 with one cipher suite, one named group and one signature
 * scheme, set on both ends, so that each handshake does exactly the work the row's name says. Client sessions
 * are never resumed: each connection names a fresh peer (see {@link Transport#connect}) and the client cache
 * holds a single entry.
 */
abstract class JsseTransport implements Transport {
    static final String PROTOCOL = TlsContexts.PROTOCOL;
    static final String SUITE = TlsContexts.SUITE;

    private final KeyTool keyTool;
    private final SSLContext context;

    JsseTransport(KeyTool keyTool, SSLContext context) {
        this.keyTool = keyTool;
        this.context = context;
        context.getClientSessionContext().setSessionCacheSize(1);
    }

    /** A trust store holding only the server's own (self-signed) certificate. */
    static KeyStore trustStoreFor(KeyStore keyStore, String type) throws Exception {
        Certificate cert = keyStore.getCertificate(KeyTool.ALIAS);
        KeyStore trust = KeyStore.getInstance(type);
        trust.load(null, null);
        trust.setCertificateEntry("server", cert);
        return trust;
    }

    /** Restricts an SSL socket (either end) to the row's protocol, suite, group and signature scheme. */
    abstract void restrict(SSLSocket socket);

    @Override
    public ServerSocket listen() throws IOException {
        SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(0, 4096, InetAddress.getLoopbackAddress());
        server.setEnabledProtocols(new String[] {PROTOCOL});
        server.setEnabledCipherSuites(new String[] {SUITE});
        return server;
    }

    @Override
    public Socket connect(int port, String peerName) throws IOException {
        Socket raw = Transport.tune(new Socket(InetAddress.getLoopbackAddress(), port));
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(raw, peerName, port, true);
        restrict(socket);
        return socket;
    }

    @Override
    public void handshake(Socket socket) throws IOException {
        SSLSocket ssl = (SSLSocket) socket;
        if (!ssl.getUseClientMode()) {
            Transport.tune(ssl);
            restrict(ssl);
        }
        ssl.startHandshake();
        if (!SUITE.equals(ssl.getSession().getCipherSuite()) || !PROTOCOL.equals(ssl.getSession().getProtocol())) {
            throw new IOException("negotiated " + ssl.getSession().getProtocol() + " "
                    + ssl.getSession().getCipherSuite() + ", not " + PROTOCOL + " " + SUITE);
        }
    }

    @Override
    public void close() throws IOException {
        keyTool.close();
    }
}
