package dev.qsp.sockets.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.qsp.keysources.KeySource;
import dev.qsp.keysources.kem.HybridKemSource;
import dev.qsp.keysources.psk.PreSharedKeySource;
import dev.qsp.sockets.QspError;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The key-source slot (SPEC.md §4.5): further sources ride in the ClientHello/ServerHello lists, their secrets
 * feed the key schedule, and fresh rekeys repeat every non-PSK source.
 */
class KeySourceSlotTest {
    private static byte[] key(int fill) {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) fill);
        return k;
    }

    private static List<KeySource> sources(String side, byte[] psk) {
        return List.of(HybridKemSource.of(HybridKemSource.X_WING, new SeededRandom("slot:" + side)),
                new PreSharedKeySource("site-a", Map.of("site-a", psk)));
    }

    @Test
    void pskContributesAndFreshRekeysRepeatOnlyTheKem() throws Exception {
        EnginePair p = Fixtures.established(Fixtures.client().keySources(sources("c", key(1))),
                Fixtures.server().keySources(sources("s", key(1))), "psk");
        assertEquals(List.of("x-wing", "psk"), p.client.session().keySources());
        assertEquals(List.of("x-wing", "psk"), p.server.session().keySources());
        HandshakeTest.exchange(p);
        p.server.requestRekey(RekeyKind.FRESH, 0);
        byte[] init = EnginePair.drainAll(p.server);
        p.deliver(p.client, false, init, 0, init.length);
        p.pump();
        assertNull(p.clientError);
        assertEquals(1, p.client.rekeyCount());
    }

    @Test
    void differentPreSharedKeysMeanDifferentSecretsSoFinishedFails() throws Exception {
        EnginePair p = new EnginePair(Fixtures.client().keySources(sources("c", key(1))).build(),
                Fixtures.server().keySources(sources("s", key(2))).build(), "psk-mismatch").handshake();
        assertEquals(QspError.BAD_FINISHED, p.clientError.error());
        assertEquals(QspError.BAD_FINISHED, p.serverError.error());
    }

    @Test
    void aServerWithoutTheSourceIgnoresItsOffer() throws Exception {
        EnginePair p = Fixtures.established(Fixtures.client().keySources(sources("c", key(1))),
                Fixtures.server().keySources(List.of(HybridKemSource.xWing())), "psk-ignored");
        assertEquals(List.of("x-wing"), p.client.session().keySources());
        HandshakeTest.exchange(p);
    }
}
