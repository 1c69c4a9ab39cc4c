package dev.qsp.sockets.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qsp.keysources.KeySource;
import dev.qsp.keysources.KeySourceException;
import dev.qsp.keysources.qkd.QkdPolicy;
import dev.qsp.kme.KmeSettings;
import dev.qsp.provider.kdf.Direction;
import dev.qsp.sockets.QspError;
import java.util.Arrays;
import java.util.List;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.Test;

/**
 * "Secret if either holds" as property checks, not a proof (SPEC.md §3 stages 1 and 5, §5.6): with every other
 * input fixed, the traffic keys depend on the QKD key alone, and on the KEM secret alone; and in a live exchange
 * the QKD secret really reaches the key schedule (a QKD secret altered at one end breaks the handshake, and a
 * fresh rekey's).
 */
class QkdMixingTest {
    private static final byte[] KEM = fill(32, 0x11);
    private static final byte[] TH = fill(48, 0x22);

    private static byte[] fill(int n, int v) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) v);
        return b;
    }

    /** Epoch-0 client-to-server key from the handshake inputs (copies: the schedule erases what it is given). */
    private static byte[] epochZeroKey(byte[] kem, byte[] qkd) throws Exception {
        KeySchedule ks = new KeySchedule();
        SecretKey hs = ks.handshakeSecret(kem.clone(), qkd == null ? null : qkd.clone(), null);
        SecretKey e0 = ks.epochZero(hs, TH);
        return ks.trafficKey(AeadSuite.AES_256_GCM, e0, 0, Direction.CLIENT_TO_SERVER).getEncoded();
    }

    /** Epoch-1 key after a fresh rekey from a fixed epoch 0 with the given fresh inputs. */
    private static byte[] freshEpochKey(byte[] kem, byte[] qkd) throws Exception {
        KeySchedule ks = new KeySchedule();
        SecretKey e0 = ks.epochZero(ks.handshakeSecret(KEM.clone(), null, null), TH);
        SecretKey e1 = ks.nextEpoch(e0, 1, TH, kem.clone(), qkd == null ? null : qkd.clone());
        return ks.trafficKey(AeadSuite.AES_256_GCM, e1, 1, Direction.SERVER_TO_CLIENT).getEncoded();
    }

    @Test
    void handshakeKeysChangeWhenOnlyTheQkdKeyChanges() throws Exception {
        byte[] qkdA = fill(32, 0x33);
        byte[] qkdB = qkdA.clone();
        qkdB[31] ^= 1; // one bit
        byte[] withA = epochZeroKey(KEM, qkdA);
        assertArrayEquals(withA, epochZeroKey(KEM, qkdA), "deterministic");
        assertFalse(Arrays.equals(withA, epochZeroKey(KEM, qkdB)));
        assertFalse(Arrays.equals(withA, epochZeroKey(KEM, null)), "QKD key present vs absent");
        // And the other way round: a fixed QKD key, a KEM secret that differs in one bit.
        byte[] kem2 = KEM.clone();
        kem2[0] ^= 1;
        assertFalse(Arrays.equals(withA, epochZeroKey(kem2, qkdA)));
    }

    @Test
    void freshRekeyKeysChangeWhenOnlyTheFreshQkdKeyChanges() throws Exception {
        byte[] kem = fill(32, 0x44);
        byte[] qkdA = fill(32, 0x55);
        byte[] qkdB = qkdA.clone();
        qkdB[0] ^= (byte) 0x80;
        byte[] withA = freshEpochKey(kem, qkdA);
        assertArrayEquals(withA, freshEpochKey(kem, qkdA));
        assertFalse(Arrays.equals(withA, freshEpochKey(kem, qkdB)));
        assertFalse(Arrays.equals(withA, freshEpochKey(kem, null)));
    }

    /** A source that passes everything through, but alters the secret its exchanges yield once armed. */
    private static final class SkewedSource implements KeySource {
        private final KeySource delegate;
        boolean armed;

        SkewedSource(KeySource delegate) { this.delegate = delegate; }

        private byte[] skew(byte[] secret) {
            if (armed && secret.length > 0) secret[0] ^= 1;
            return secret;
        }

        @Override public String id() { return delegate.id(); }
        @Override public Slot slot() { return delegate.slot(); }
        @Override public boolean initiates() { return delegate.initiates(); }
        @Override public void peerAbsent() throws KeySourceException { delegate.peerAbsent(); }
        @Override public String describe(byte[] offer, byte[] reply) { return delegate.describe(offer, reply); }

        @Override
        public Initiation initiate() throws KeySourceException {
            Initiation i = delegate.initiate();
            return new Initiation() {
                @Override public byte[] offer() { return i.offer(); }
                @Override public byte[] complete(byte[] reply) throws KeySourceException { return skew(i.complete(reply)); }
                @Override public void destroy() { i.destroy(); }
            };
        }

        @Override
        public Response respond(byte[] offer) throws KeySourceException {
            Response r = delegate.respond(offer);
            return new Response(r.reply(), skew(r.secret()));
        }
    }

    @Test
    void theQkdSecretReachesTheHandshakeKeySchedule() throws Exception {
        try (QkdFixture fx = new QkdFixture(KmeSettings.defaults())) {
            SkewedSource skewed = new SkewedSource(fx.source(QkdPolicy.REQUIRE, "SAE_B", "SAE_A"));
            skewed.armed = true;
            QspEngineConfig server = Fixtures.server().keySources(List.of(Fixtures.kem("server"), skewed)).build();
            EnginePair p = new EnginePair(fx.client(QkdPolicy.REQUIRE).build(), server, "skew-hs").handshake();
            assertEquals(QspError.BAD_FINISHED, p.clientError.error(), "same KEM secret, one QKD bit apart");
        }
    }

    @Test
    void theFreshQkdSecretReachesTheRekeyKeySchedule() throws Exception {
        try (QkdFixture fx = new QkdFixture(KmeSettings.defaults())) {
            SkewedSource skewed = new SkewedSource(fx.source(QkdPolicy.REQUIRE, "SAE_B", "SAE_A"));
            EnginePair p = Fixtures.established(fx.client(QkdPolicy.REQUIRE),
                    Fixtures.server().keySources(List.of(Fixtures.kem("server"), skewed)), "skew-rk");
            skewed.armed = true; // the server, master of the fresh rekey, now completes with a QKD key one bit off
            assertTrue(p.server.requestRekey(RekeyKind.FRESH, 0));
            p.pump();
            assertNull(p.clientError);
            byte[] hello = {1, 2, 3};
            p.client.writeApplicationData(hello, 0, hello.length, 0); // sealed under the client's epoch-1 key
            p.pump();
            assertEquals(QspError.BAD_RECORD_MAC, p.serverError.error());
            assertEquals(1, p.client.sendEpoch());
        }
    }
}
