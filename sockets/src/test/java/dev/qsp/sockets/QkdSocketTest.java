package dev.qsp.sockets;

import static dev.qsp.sockets.Loopback.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qsp.keysources.qkd.QkdKeySource;
import dev.qsp.kme.KmePair;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * QKD keys (SPEC.md §5) through the sockets: against the simulated ETSI GS QKD 014 KME pair, the client gets
 * its QKD source from a builder and the server from the {@code qsp.qkd.*} properties of the default context;
 * the session shows both key sources, and a fresh rekey draws a new QKD key.
 */
class QkdSocketTest {
    @TempDir
    Path dir;

    @Test
    void handshakeAndFreshRekeyMixInQkdKeys() throws Exception {
        TestIdentities ids = TestIdentities.get();
        try (KmePair kmes = KmePair.start()) {
            KmePair.Material m = kmes.writeMaterial(dir);
            String pw = new String(kmes.pki().password());
            Properties clientQkd = qkd(kmes.kmeA().baseUri().toString(), KmePair.SAE_A, KmePair.SAE_B,
                    m.saeAKeyStore(), m.trustStore(), pw);
            Properties serverQkd = qkd(kmes.kmeB().baseUri().toString(), KmePair.SAE_B, KmePair.SAE_A,
                    m.saeBKeyStore(), m.trustStore(), pw);

            Map<String, String> serverProps = new HashMap<>();
            serverQkd.forEach((k, v) -> serverProps.put((String) k, (String) v));
            Path serverStore = TestIdentities.writeKeyStore(dir.resolve("server.p12"), "server", ids.server);
            serverProps.put("dev.qsp.keyStore", serverStore.toString());
            serverProps.put("dev.qsp.keyStorePassword", new String(TestIdentities.PASSWORD));
            // the client draws its QKD key (status + enc_keys over mutual TLS, cold) before it sends its
            // ClientHello: on a loaded machine that can outlast the 5 s first-flight default (SPEC.md §6.2)
            serverProps.put("dev.qsp.server.helloTimeout", "30s");
            QspContext server = SystemPropertyConfig.load(serverProps);
            QspContext client = ids.clientContext().keySources(QkdKeySource.fromProperties(clientQkd)).build();

            try (Loopback lo = Loopback.qsp(server)) {
                Future<QspSession> accepted = lo.acceptOne(s -> {
                    QspSocket q = (QspSocket) s;
                    q.getInputStream().readNBytes(1);
                    assertTrue(q.requestRekey(true), "a fresh rekey: new KEM and QKD keys");
                    q.getOutputStream().write(2);
                    Loopback.echo(s);
                    return q.getSession();
                });
                try (QspSocket c = lo.connect(client)) {
                    c.getOutputStream().write(1);
                    assertEquals(2, c.getInputStream().read());
                    QspSession s = c.getSession();
                    assertTrue(s.keySources().contains(QkdKeySource.ID), s.toString());
                    assertEquals(2, s.keySources().size(), s.toString());
                    // The client answers the INIT after its own key-source task (SPEC.md §4.15) while data flows:
                    // echoes carry the server's COMMIT once the ACK is in (the loop is bounded by a 30 s guard).
                    long guard = System.nanoTime() + 30_000_000_000L;
                    do {
                        assertTrue(System.nanoTime() - guard < 0, "the fresh rekey did not complete");
                        c.getOutputStream().write(3);
                        assertEquals(3, c.getInputStream().read());
                    } while (c.getSession().rekeyCount() == 0);
                    assertEquals(1, c.getSession().rekeyCount());
                    assertEquals(dev.qsp.sockets.engine.RekeyKind.FRESH, c.getSession().lastRekeyKind());
                }
                QspSession s = await(accepted);
                assertTrue(s.keySources().contains(QkdKeySource.ID), s.toString());
                assertEquals(1, s.rekeyCount());
                assertEquals(dev.qsp.sockets.engine.RekeyKind.FRESH, s.lastRekeyKind());
            }
        }
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
}
