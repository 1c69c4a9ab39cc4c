package dev.qsp.sockets;

import static dev.qsp.sockets.Loopback.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qsp.keysources.KeySource;
import dev.qsp.keysources.qkd.QkdPolicy;
import dev.qsp.keysources.qkd.QkdSettings;
import dev.qsp.kme.KmePair;
import dev.qsp.sockets.engine.KeySourceInfo;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * QKD through {@link QspContext} (SPEC.md §5, §6.4-6.5): the client's QKD source from
 * {@link QspContext.Builder#qkd}, the server's from the {@code dev.qsp.qkd.*} properties; {@link QspSession}
 * shows the key ID of the handshake and of each fresh rekey, the same at both ends.
 */
class QkdContextTest {
    private static final Pattern KEY_ID = Pattern.compile("key_ID=(\\S{36}) \\(256 bits, (\\S+) -> (\\S+)\\)");

    @TempDir
    Path dir;

    private static String keyId(List<KeySourceInfo> sources, String master) {
        KeySourceInfo qkd = sources.stream().filter(i -> i.id().equals("qkd")).findFirst().orElseThrow();
        assertTrue(qkd.contributed(), qkd.toString());
        assertEquals(KeySource.Slot.QKD, qkd.slot());
        Matcher m = KEY_ID.matcher(qkd.detail());
        assertTrue(m.matches(), qkd.detail());
        assertEquals(master, m.group(2));
        return m.group(1);
    }

    @Test
    void builderAndDevQspPropertiesBothBringQkdAndTheSessionShowsItsKeyIds() throws Exception {
        TestIdentities ids = TestIdentities.get();
        try (KmePair kmes = KmePair.start()) {
            KmePair.Material m = kmes.writeMaterial(dir);
            String pw = new String(kmes.pki().password());
            Map<String, String> serverProps = new HashMap<>();
            serverProps.put("dev.qsp.qkd.kme.url", kmes.kmeB().baseUri().toString());
            serverProps.put("dev.qsp.qkd.sae.id", KmePair.SAE_B);
            serverProps.put("dev.qsp.qkd.peer.sae.id", KmePair.SAE_A);
            serverProps.put("dev.qsp.qkd.keystore", m.saeBKeyStore().toString());
            serverProps.put("dev.qsp.qkd.keystore.password", pw);
            serverProps.put("dev.qsp.qkd.truststore", m.trustStore().toString());
            serverProps.put("dev.qsp.qkd.truststore.password", pw);
            serverProps.put("dev.qsp.qkd.policy", "require");
            Path serverStore = TestIdentities.writeKeyStore(dir.resolve("server.p12"), "server", ids.server);
            serverProps.put("dev.qsp.keyStore", serverStore.toString());
            serverProps.put("dev.qsp.keyStorePassword", new String(TestIdentities.PASSWORD));
            QspContext server = SystemPropertyConfig.load(serverProps);
            QspContext client = ids.clientContext().qkd(QkdPolicy.REQUIRE,
                    QkdSettings.of(kmes.kmeA().baseUri(), KmePair.SAE_A, KmePair.SAE_B),
                    kmes.clientContext(KmePair.SAE_A)).build();

            try (Loopback lo = Loopback.qsp(server)) {
                Future<QspSession> accepted = lo.acceptOne(s -> {
                    QspSocket q = (QspSocket) s;
                    q.getInputStream().readNBytes(1);
                    assertTrue(q.requestRekey(true));
                    q.getOutputStream().write(2);
                    Loopback.echo(s);
                    return q.getSession();
                });
                String handshakeId;
                QspSession afterRekey;
                try (QspSocket c = lo.connect(client)) {
                    c.getOutputStream().write(1);
                    QspSession hs = c.getSession();
                    handshakeId = keyId(hs.keySourceInfo(), KmePair.SAE_A);
                    assertEquals(-1, hs.lastFreshRekeyEpoch());
                    assertFalse(hs.currentEpochIsFresh());
                    assertEquals(2, c.getInputStream().read());
                    // The client answers the INIT after its own key-source task (SPEC.md §4.15) while data flows:
                    // echoes carry the server's COMMIT once the ACK is in (the loop is bounded by a 30 s guard).
                    long guard = System.nanoTime() + 30_000_000_000L;
                    do {
                        assertTrue(System.nanoTime() - guard < 0, "the fresh rekey did not complete");
                        c.getOutputStream().write(3);
                        assertEquals(3, c.getInputStream().read());
                    } while (c.getSession().rekeyCount() == 0);
                    afterRekey = c.getSession();
                }
                assertEquals(1, afterRekey.rekeyCount());
                assertTrue(afterRekey.currentEpochIsFresh());
                String rekeyId = keyId(afterRekey.lastFreshRekeySources(), KmePair.SAE_B);
                assertNotEquals(handshakeId, rekeyId);
                QspSession s = await(accepted);
                assertEquals(afterRekey.keySourceInfo(), s.keySourceInfo());
                assertEquals(afterRekey.lastFreshRekeySources(), s.lastFreshRekeySources());
                assertEquals(1, kmes.kmeA().requestCount("enc_keys"));
                assertEquals(1, kmes.kmeB().requestCount("enc_keys"));
            }
        }
    }

    @Test
    void devQspAndQspQkdPropertiesMustAgree() {
        Map<String, String> p = new HashMap<>();
        p.put("qsp.qkd.kme.url", "https://kme.example:8443");
        p.put("qsp.qkd.sae.id", "SAE_1");
        p.put("dev.qsp.qkd.sae.id", "SAE_2");
        QspConfigurationException e = assertThrows(QspConfigurationException.class, () -> SystemPropertyConfig.load(p));
        assertEquals("dev.qsp.qkd.sae.id", e.property());
        assertTrue(e.getMessage().contains("conflicts with qsp.qkd.sae.id"), e.getMessage());
    }
}
