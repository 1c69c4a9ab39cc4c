package dev.qsp.bench.net;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Properties;

import dev.qsp.keysources.qkd.QkdKeySource;
import dev.qsp.kme.KmePair;
import dev.qsp.sockets.QspContext;
import dev.qsp.sockets.QspSocket;

/**
 * QSP through its socket factories, configured the way an application configures it (SPEC.md §6): the server's
 * ML-DSA-65 identity in a PKCS#12 key store made by the JDK's keytool, the client verifying it by PKIX against a
 * trust store holding that certificate and the expected identity {@code localhost}; X-Wing, AES-256-GCM, the
 * default rekey policy. With {@code withKme}, both ends also draw a QKD key per handshake from the embedded
 * simulated ETSI GS QKD 014 KME pair (SPEC.md §5.7) over mutual-TLS HTTPS, and the client checks that the
 * session used it.
 */
public final class QspTransport implements Transport {
    private final KeyTool keyTool;
    private final KmePair kmes;
    private final QspContext server;
    private final QspContext client;

    /**
     * Configures both ends, with a fresh ML-DSA-65 server identity in a temporary key store.
     *
     * @param withKme also draw a QKD key per handshake from an embedded simulated KME pair, started here
     * @throws Exception if keytool, the key stores, the KME pair or the QSP configuration fails
     */
    public QspTransport(boolean withKme) throws Exception {
        keyTool = new KeyTool();
        Path store = keyTool.generate("qsp-mldsa65", "ML-DSA-65", null);
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, KeyTool.PASSWORD);
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", keyStore.getCertificate(KeyTool.ALIAS));
        QspContext.Builder s = QspContext.builder().identity(keyStore, KeyTool.PASSWORD, KeyTool.ALIAS);
        QspContext.Builder c = QspContext.builder().trustStore(trust).expectedPeerIdentity("localhost");
        if (withKme) {
            kmes = KmePair.start();
            KmePair.Material m = kmes.writeMaterial(keyTool.dir());
            String pw = new String(kmes.pki().password());
            c.keySources(QkdKeySource.fromProperties(qkd(kmes.kmeA().baseUri().toString(), KmePair.SAE_A,
                    KmePair.SAE_B, m.saeAKeyStore(), m.trustStore(), pw)));
            s.keySources(QkdKeySource.fromProperties(qkd(kmes.kmeB().baseUri().toString(), KmePair.SAE_B,
                    KmePair.SAE_A, m.saeBKeyStore(), m.trustStore(), pw)));
        } else {
            kmes = null;
        }
        server = s.build();
        client = c.build();
    }

    private static Properties qkd(String url, String sae, String peer, Path keyStore, Path trustStore, String pw) {
        Properties p = new Properties();
        p.setProperty("qsp.qkd.kme.url", url);
        p.setProperty("qsp.qkd.sae.id", sae);
        p.setProperty("qsp.qkd.peer.sae.id", peer);
        p.setProperty("qsp.qkd.keystore", keyStore.toString());
        p.setProperty("qsp.qkd.keystore.password", pw);
        p.setProperty("qsp.qkd.truststore", trustStore.toString());
        p.setProperty("qsp.qkd.truststore.password", pw);
        return p;
    }

    @Override
    public ServerSocket listen() throws IOException {
        return server.getServerSocketFactory().createServerSocket(0, 4096, InetAddress.getLoopbackAddress());
    }

    @Override
    public Socket connect(int port, String peerName) throws IOException {
        Socket raw = Transport.tune(new Socket(InetAddress.getLoopbackAddress(), port));
        return client.getSocketFactory().createSocket(raw, "localhost", port, true);
    }

    @Override
    public void handshake(Socket socket) throws IOException {
        QspSocket q = (QspSocket) socket;
        if (!q.getUseClientMode()) {
            Transport.tune(q);
        }
        q.startHandshake();
        if (kmes != null && q.getUseClientMode() && !q.getSession().keySources().contains(QkdKeySource.ID)) {
            throw new IOException("the QKD key source did not contribute: " + q.getSession());
        }
    }

    @Override
    public void close() throws IOException {
        if (kmes != null) {
            kmes.close();
        }
        keyTool.close();
    }

    @Override
    public String toString() {
        return kmes == null ? "QSP" : "QSP+KME";
    }
}
