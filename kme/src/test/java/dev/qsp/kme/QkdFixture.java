package dev.qsp.kme;

import dev.qsp.keysources.qkd.QkdClient;
import dev.qsp.keysources.qkd.QkdKeySource;
import dev.qsp.keysources.qkd.QkdPolicy;
import dev.qsp.keysources.qkd.QkdSettings;
import dev.qsp.kme.KmePair;
import dev.qsp.kme.KmeSettings;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;

/** A simulated KME pair with seeded key material and QKD sources for SAE_A and SAE_B. Close after use. */
final class QkdFixture implements AutoCloseable {
    static final long KEY_SEED = 20260514L;

    final KmePair pair;
    private final List<QkdClient> clients = new ArrayList<>();

    QkdFixture(KmeSettings settings) throws Exception {
        pair = KmePair.start(settings, seeded(KEY_SEED), seeded(7L));
    }

    QkdFixture() throws Exception {
        this(KmeSettings.defaults());
    }

    /** Deterministic: SHA1PRNG seeded before its first use produces a fixed stream. */
    static SecureRandom seeded(long seed) throws NoSuchAlgorithmException {
        SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
        r.setSeed(ByteBuffer.allocate(8).putLong(seed).array());
        return r;
    }

    /** Short timeouts, 3 attempts, no pause between them. */
    QkdSettings settings(String sae, String peer) {
        return QkdSettings.of(pair.kmeOf(sae).baseUri(), sae, peer)
                .withTimeouts(Duration.ofMillis(500), Duration.ofMillis(2000))
                .withRetries(3, Duration.ZERO);
    }

    QkdClient client(String sae, String peer) throws GeneralSecurityException {
        return client(settings(sae, peer), pair.clientContext(sae));
    }

    QkdClient client(QkdSettings s, SSLContext tls) {
        QkdClient c = s.newClient(tls);
        clients.add(c);
        return c;
    }

    QkdKeySource source(QkdPolicy policy, String sae, String peer) throws GeneralSecurityException {
        return new QkdKeySource(policy, client(sae, peer), peer, 256);
    }

    QkdKeySource sourceA(QkdPolicy policy) throws GeneralSecurityException {
        return source(policy, KmePair.SAE_A, KmePair.SAE_B);
    }

    QkdKeySource sourceB(QkdPolicy policy) throws GeneralSecurityException {
        return source(policy, KmePair.SAE_B, KmePair.SAE_A);
    }

    @Override
    public void close() {
        clients.forEach(QkdClient::close);
        pair.close();
    }
}
