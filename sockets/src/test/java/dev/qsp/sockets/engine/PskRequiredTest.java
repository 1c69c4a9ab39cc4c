package dev.qsp.sockets.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qsp.keysources.KeySource;
import dev.qsp.keysources.kem.HybridKemSource;
import dev.qsp.keysources.psk.PreSharedKeySource;
import dev.qsp.keysources.psk.PskException;
import dev.qsp.sockets.QspError;
import dev.qsp.sockets.QspHandshakeException;
import dev.qsp.sockets.QspProtocolException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A pre-shared key marked required (SPEC.md §5.5): a peer that takes no part in it is refused with PSK_REQUIRED,
 * where an optional PSK lets the handshake go on without it (visibly, in the transcript and the session).
 */
class PskRequiredTest {
    private static final String REFUSAL = "PSK_REQUIRED: key source 'psk': PSK REQUIRED: the peer offered no"
            + " pre-shared key and this side requires one";

    private static KeySource kem(String side) {
        return HybridKemSource.of(HybridKemSource.X_WING, new SeededRandom("psk-required:" + side));
    }

    private static PreSharedKeySource psk(String identity, boolean required) {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) 7);
        return new PreSharedKeySource(identity, Map.of("site-a", k), required);
    }

    private static void assertRefused(QspProtocolException e, boolean remote) {
        assertInstanceOf(QspHandshakeException.class, e);
        assertEquals(QspError.PSK_REQUIRED, e.error(), e.getMessage());
        assertEquals(remote, e.isRemote());
        if (!remote) {
            assertEquals(REFUSAL, e.getMessage());
            Throwable t = e;
            while (t != null && !(t instanceof PskException)) t = t.getCause();
            assertInstanceOf(PskException.class, t, "the PSK source's refusal is the cause");
            assertEquals(PskException.Reason.REQUIRED, ((PskException) t).reason());
        }
    }

    @Test
    void aServerRequiringItsPskRefusesAClientThatOffersNone() throws Exception {
        EnginePair p = new EnginePair(Fixtures.client().keySources(List.of(kem("c"))).build(),
                Fixtures.server().keySources(List.of(kem("s"), psk(null, true))).build(), "server-requires").handshake();
        assertRefused(p.serverError, false);
        assertRefused(p.clientError, true);
        assertFalse(p.server.isHandshakeComplete());
        assertEquals(0x17, QspError.PSK_REQUIRED.wireValue());
    }

    @Test
    void aServerWithAnOptionalPskAcceptsAClientThatOffersNone() throws Exception {
        EnginePair p = Fixtures.established(Fixtures.client().keySources(List.of(kem("c"))),
                Fixtures.server().keySources(List.of(kem("s"), psk(null, false))), "server-optional");
        assertEquals(List.of("x-wing"), p.server.session().keySources());
    }

    @Test
    void aRequiredPskThatTheClientOffersIsUsed() throws Exception {
        EnginePair p = Fixtures.established(Fixtures.client().keySources(List.of(kem("c"), psk("site-a", false))),
                Fixtures.server().keySources(List.of(kem("s"), psk(null, true))), "both");
        assertEquals(List.of("x-wing", "psk"), p.server.session().keySources());
        assertEquals(List.of("x-wing", "psk"), p.client.session().keySources());
        assertNull(p.clientError);
    }

    @Test
    void aClientRequiringItsPskRefusesAServerThatAnswersNone() throws Exception {
        EnginePair p = new EnginePair(Fixtures.client().keySources(List.of(kem("c"), psk("site-a", true))).build(),
                Fixtures.server().keySources(List.of(kem("s"))).build(), "client-requires").handshake();
        assertRefused(p.clientError, false);
        assertRefused(p.serverError, true);
        assertTrue(p.client.isClosed());
    }
}
