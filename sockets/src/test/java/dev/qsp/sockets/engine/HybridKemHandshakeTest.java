package dev.qsp.sockets.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.qsp.keysources.kem.HybridKemSource;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The handshake and fresh rekeys over the QSP provider's hybrid KEMs (SPEC.md §2, §4.5), per KEM. */
class HybridKemHandshakeTest {

    @ParameterizedTest
    @ValueSource(strings = {HybridKemSource.X_WING, HybridKemSource.X25519_MLKEM768})
    void handshakeAndFreshRekeyPerKem(String kem) throws Exception {
        EnginePair p = Fixtures.established(
                Fixtures.client().keySources(List.of(HybridKemSource.of(kem, new SeededRandom("c" + kem)))),
                Fixtures.server().keySources(List.of(HybridKemSource.of(kem, new SeededRandom("s" + kem)))), "kem-" + kem);
        String id = kem.toLowerCase(java.util.Locale.ROOT);
        assertEquals(id, p.client.session().kem());
        assertEquals(List.of(id), p.server.session().keySources());
        HandshakeTest.exchange(p);
        for (int i = 0; i < 3; i++) {
            p.server.requestRekey(RekeyKind.FRESH, 0);
            byte[] d = {(byte) i, 1, 2};
            p.client.writeApplicationData(d, 0, d.length, 0);
            p.pump();
        }
        assertNull(p.clientError);
        assertNull(p.serverError);
        assertEquals(3, p.client.rekeyCount());
        assertEquals(3, p.server.epoch());
    }

    @Test
    void serverPicksTheFirstOfferedKemItSupports() throws Exception {
        EnginePair p = Fixtures.established(
                Fixtures.client().keySources(List.of(HybridKemSource.x25519MlKem768(), HybridKemSource.xWing())),
                Fixtures.server().keySources(List.of(HybridKemSource.xWing(), HybridKemSource.x25519MlKem768())), "kem-choice");
        assertEquals("x25519mlkem768", p.server.session().kem());
        assertEquals("x25519mlkem768", p.client.session().kem());
        byte[] d = {9};
        p.client.writeApplicationData(d, 0, 1, 0);
        p.pump();
        assertArrayEquals(d, p.serverReceived.toByteArray());
    }

    @Test
    void defaultConfigurationUsesXWing() throws Exception {
        EnginePair p = Fixtures.established(
                dev.qsp.sockets.engine.QspEngineConfig.builder().trust(Fixtures.pki().trust()).expectedPeerIdentity(Fixtures.SERVER_NAME),
                dev.qsp.sockets.engine.QspEngineConfig.builder().identity(Fixtures.serverIdentity()), "default");
        assertEquals("x-wing", p.client.session().kem());
        assertEquals("AES-256-GCM, x-wing, ML-DSA-65", p.client.session().suite());
    }
}
