package dev.qsp.sockets.engine;

import static dev.qsp.kme.KmePair.SAE_A;
import static dev.qsp.kme.KmePair.SAE_B;

import dev.qsp.keysources.KeySource;
import dev.qsp.keysources.qkd.QkdClient;
import dev.qsp.keysources.qkd.QkdKeySource;
import dev.qsp.keysources.qkd.QkdPolicy;
import dev.qsp.keysources.qkd.QkdSettings;
import dev.qsp.kme.KmePair;
import dev.qsp.kme.KmeSettings;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The embedded simulated KME pair (HTTPS, mutual TLS, 127.0.0.1) with seeded key material, and engine configs
 * whose key sources are a seeded test KEM plus QKD: the client is SAE_A (at KME_A), the server SAE_B (at KME_B).
 */
final class QkdFixture implements AutoCloseable {
    final KmePair kme;
    private final List<QkdClient> clients = new ArrayList<>();

    QkdFixture(KmeSettings settings) throws Exception {
        kme = KmePair.start(settings, seeded(20260514L), seeded(7L));
    }

    /** SHA1PRNG seeded before its first use produces a fixed stream. */
    static SecureRandom seeded(long seed) throws Exception {
        SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
        r.setSeed(ByteBuffer.allocate(8).putLong(seed).array());
        return r;
    }

    /** Short timeouts, 3 attempts, no pause between them (a refused connection fails at once). */
    QkdClient client(String sae, String peer) throws Exception {
        QkdSettings s = QkdSettings.of(kme.kmeOf(sae).baseUri(), sae, peer)
                .withTimeouts(Duration.ofMillis(500), Duration.ofMillis(2000)).withRetries(3, Duration.ZERO);
        QkdClient c = s.newClient(kme.clientContext(sae));
        clients.add(c);
        return c;
    }

    /** A QKD source for {@code sae} that expects {@code expectedPeer} as the other SAE. */
    QkdKeySource source(QkdPolicy policy, String sae, String expectedPeer) throws Exception {
        return new QkdKeySource(policy, client(sae, expectedPeer), expectedPeer, 256);
    }

    QspEngineConfig.Builder client(QkdPolicy policy) throws Exception {
        return Fixtures.client().keySources(List.<KeySource>of(Fixtures.kem("client"), source(policy, SAE_A, SAE_B)));
    }

    QspEngineConfig.Builder server(QkdPolicy policy) throws Exception {
        return Fixtures.server().keySources(List.<KeySource>of(Fixtures.kem("server"), source(policy, SAE_B, SAE_A)));
    }

    /** Keys KME_A holds for SAE_A -> SAE_B, as its status call reports them. */
    int storedKeys() throws Exception {
        return client(SAE_A, SAE_B).status(SAE_B).storedKeyCount();
    }

    /** Every request either KME has answered so far. */
    int requests() {
        int n = 0;
        for (String op : List.of("status", "enc_keys", "dec_keys")) {
            n += kme.kmeA().requestCount(op) + kme.kmeB().requestCount(op);
        }
        return n;
    }

    @Override
    public void close() {
        clients.forEach(QkdClient::close);
        kme.close();
    }
}
