package dev.qsp.sockets.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qsp.keysources.KeySource;
import dev.qsp.keysources.psk.PreSharedKeySource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The engine's configuration checks (SPEC.md §4.5, §4.7, §4.10): every refused configuration is refused at build
 * time with a message naming what is wrong, the boundary values are accepted, the rekey policy's copy methods
 * change exactly their own field, and its record limits are the suite's unless a smaller one is set (0 = the
 * suite's).
 */
class EngineConfigCheckTest {

    private static void refused(String message, Executable e) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, e).getMessage());
    }

    @Test
    void refusedBuilderSettingsNameWhatIsWrong() throws Exception {
        refused("at least one AEAD suite is required", () -> Fixtures.server().aeadSuites(List.of()).build());
        refused("at least one signature scheme is required", () -> Fixtures.server().signatureSchemes(List.of()).build());
        refused("AEAD suites must be distinct",
                () -> Fixtures.server().aeadSuites(List.of(AeadSuite.AES_256_GCM, AeadSuite.AES_256_GCM)).build());
        refused("signature schemes must be distinct", () -> Fixtures.server()
                .signatureSchemes(List.of(SignatureScheme.ML_DSA_65, SignatureScheme.ML_DSA_65)).build());
        refused("key source ids must be distinct",
                () -> Fixtures.server().keySources(List.of(Fixtures.kem("a"), Fixtures.kem("b"))).build());
        refused("handshake timeout must be > 0 ns, got 0", () -> Fixtures.server().handshakeTimeoutNanos(0));
        refused("hello timeout must be > 0 ns, got 0", () -> Fixtures.server().helloTimeoutNanos(0));
        refused("handshake timeout must be > 0 ns, got -1", () -> Fixtures.server().handshakeTimeoutNanos(-1));
        refused("hello timeout must be > 0 ns, got -1", () -> Fixtures.server().helloTimeoutNanos(-1));
        // 1 ns is the smallest timeout allowed
        QspEngineConfig c = Fixtures.server().handshakeTimeoutNanos(1).helloTimeoutNanos(1).build();
        assertEquals(1, c.handshakeTimeoutNanos());
        assertEquals(1, c.helloTimeoutNanos());
        // one of each distinct element is fine
        QspEngineConfig one = Fixtures.server().aeadSuites(List.of(AeadSuite.CHACHA20_POLY1305))
                .signatureSchemes(List.of(SignatureScheme.ML_DSA_65)).build();
        assertEquals(List.of(AeadSuite.CHACHA20_POLY1305), one.aeadSuites());
        assertEquals(List.of(SignatureScheme.ML_DSA_65), one.signatureSchemes());
    }

    @Test
    void aKeySourceOfSlotKemIsRequired() throws Exception {
        KeySource psk = new PreSharedKeySource("site-a", Map.of("site-a", new byte[PreSharedKeySource.MIN_KEY_BYTES]));
        refused("at least one key source of slot KEM is required", () -> Fixtures.server().keySources(List.of(psk)).build());
        refused("at least one key source of slot KEM is required", () -> Fixtures.server().keySources(List.of()).build());
    }

    @Test
    void defaultsAndWithObserverKeepEverythingElse() throws Exception {
        QspEngineConfig d = QspEngineConfig.builder().build();
        assertEquals(List.of(AeadSuite.AES_256_GCM, AeadSuite.CHACHA20_POLY1305), d.aeadSuites());
        assertEquals(List.of(SignatureScheme.ML_DSA_65, SignatureScheme.ML_DSA_87, SignatureScheme.ML_DSA_44,
                SignatureScheme.SLH_DSA_SHA2_128S, SignatureScheme.SLH_DSA_SHA2_128F), d.signatureSchemes());
        assertEquals(1, d.keySources().size());
        assertEquals(KeySource.Slot.KEM, d.keySources().getFirst().slot());
        assertSame(RekeyPolicy.DEFAULT, d.rekeyPolicy());
        assertEquals(QspEngineConfig.DEFAULT_HANDSHAKE_TIMEOUT_NANOS, d.handshakeTimeoutNanos());
        assertEquals(QspEngineConfig.DEFAULT_HELLO_TIMEOUT_NANOS, d.helloTimeoutNanos());
        assertSame(EngineObserver.NONE, d.observer());
        assertEquals(null, d.keyLog());
        assertFalse(d.delegatedTasks());
        assertFalse(d.requireClientAuth());

        TrafficKeyLog log = (r, e, c2s, s, k) -> {};
        RekeyPolicy policy = RekeyPolicy.DEFAULT.withRecordLimit(7);
        QspEngineConfig base = Fixtures.client().requireClientAuth(true).rekeyPolicy(policy).handshakeTimeoutNanos(11)
                .helloTimeoutNanos(12).keyLog(log).delegatedTasks(true).identity(Fixtures.clientIdentity()).build();
        EngineObserver o = new EngineObserver() {};
        QspEngineConfig w = base.withObserver(o);
        assertSame(o, w.observer());
        assertSame(base.identity(), w.identity());
        assertSame(base.trust(), w.trust());
        assertEquals(Fixtures.SERVER_NAME, w.expectedPeerIdentity());
        assertSame(base.aeadSuites(), w.aeadSuites());
        assertSame(base.signatureSchemes(), w.signatureSchemes());
        assertSame(base.keySources(), w.keySources());
        assertTrue(w.requireClientAuth());
        assertSame(policy, w.rekeyPolicy());
        assertEquals(11, w.handshakeTimeoutNanos());
        assertEquals(12, w.helloTimeoutNanos());
        assertSame(log, w.keyLog());
        assertTrue(w.delegatedTasks());
        assertThrows(NullPointerException.class, () -> base.withObserver(null));
    }

    @Test
    void anEngineRefusesAConfigurationItsRoleCannotUse() throws Exception {
        SeededRandom r = new SeededRandom("config-roles");
        refused("a server needs an identity", () -> QspEngine.server(Fixtures.client().build(), r));
        refused("a client needs a trust configuration", () -> QspEngine.client(Fixtures.server().build(), r));
        refused("a client verifying by PKIX needs the expected server identity",
                () -> QspEngine.client(Fixtures.client().expectedPeerIdentity(null).build(), r));
        refused("a server that requires client authentication needs a trust configuration",
                () -> QspEngine.server(Fixtures.server().requireClientAuth(true).build(), r));
        // the same settings are fine for the role that can use them
        assertEquals(QspEngine.Role.SERVER, QspEngine.server(Fixtures.server().requireClientAuth(true)
                .trust(Fixtures.pki().trust()).build(), r).role());
        assertEquals(QspEngine.Role.CLIENT, QspEngine.client(Fixtures.client().build(), r).role());
        assertThrows(NullPointerException.class, () -> QspEngine.client(null, r));
        assertThrows(NullPointerException.class, () -> QspEngine.client(Fixtures.client().build(), null));
    }

    @Test
    void rekeyPolicyLimitsAreAtLeastZero() {
        RekeyPolicy zero = new RekeyPolicy(0, 0, 0, 0, RekeyKind.FRESH, 0, false, 0);
        assertEquals(0, zero.minClientFreshIntervalNanos());
        String msg = "rekey policy limits must be >= 0 (0 = default/none)";
        refused(msg, () -> new RekeyPolicy(-1, 0, 0, 0, RekeyKind.RATCHET, 0, true, 0));
        refused(msg, () -> new RekeyPolicy(0, -1, 0, 0, RekeyKind.RATCHET, 0, true, 0));
        refused(msg, () -> new RekeyPolicy(0, 0, -1, 0, RekeyKind.RATCHET, 0, true, 0));
        refused(msg, () -> new RekeyPolicy(0, 0, 0, -1, RekeyKind.RATCHET, 0, true, 0));
        refused(msg, () -> new RekeyPolicy(0, 0, 0, 0, RekeyKind.RATCHET, -1, true, 0));
        refused(msg, () -> new RekeyPolicy(0, 0, 0, 0, RekeyKind.RATCHET, 0, true, -1));
        refused("automaticKind must not be null", () -> new RekeyPolicy(0, 0, 0, 0, null, 0, true, 0));
        RekeyPolicy six = new RekeyPolicy(1, 2, 3, 4, RekeyKind.FRESH, 5);
        assertEquals(new RekeyPolicy(1, 2, 3, 4, RekeyKind.FRESH, 5, true, RekeyPolicy.DEFAULT_MIN_CLIENT_FRESH_INTERVAL_NANOS), six);
    }

    @Test
    void eachCopyMethodChangesOnlyItsField() {
        RekeyPolicy p = new RekeyPolicy(1, 2, 3, 4, RekeyKind.RATCHET, 5, true, 6);
        assertEquals(new RekeyPolicy(10, 2, 3, 4, RekeyKind.RATCHET, 5, true, 6), p.withRecordLimit(10));
        assertEquals(new RekeyPolicy(1, 20, 3, 4, RekeyKind.RATCHET, 5, true, 6), p.withHardRecordLimit(20));
        assertEquals(new RekeyPolicy(1, 2, 30, 4, RekeyKind.RATCHET, 5, true, 6), p.withByteLimit(30));
        assertEquals(new RekeyPolicy(1, 2, 3, 40, RekeyKind.RATCHET, 5, true, 6), p.withTimeLimitNanos(40));
        assertEquals(new RekeyPolicy(1, 2, 3, 4, RekeyKind.FRESH, 5, true, 6), p.withAutomaticKind(RekeyKind.FRESH));
        assertEquals(new RekeyPolicy(1, 2, 3, 4, RekeyKind.RATCHET, 50, true, 6), p.withMinRequestIntervalNanos(50));
        assertEquals(new RekeyPolicy(1, 2, 3, 4, RekeyKind.RATCHET, 5, false, 6), p.withClientFreshAllowed(false));
        assertEquals(new RekeyPolicy(1, 2, 3, 4, RekeyKind.RATCHET, 5, true, 60), p.withMinClientFreshIntervalNanos(60));
        assertThrows(IllegalArgumentException.class, () -> p.withByteLimit(-1));
    }

    @Test
    void recordLimitsAreTheSuitesUnlessASmallerOneIsSet() {
        for (AeadSuite s : AeadSuite.values()) {
            RekeyPolicy none = RekeyPolicy.DEFAULT;
            assertEquals(s.softRecordLimit(), none.softRecords(s));
            assertEquals(s.hardRecordLimit(), none.hardRecords(s));
            RekeyPolicy small = none.withRecordLimit(3).withHardRecordLimit(4);
            assertEquals(3, small.softRecords(s));
            assertEquals(4, small.hardRecords(s));
            RekeyPolicy large = none.withRecordLimit(s.softRecordLimit() + 1).withHardRecordLimit(s.hardRecordLimit() + 1);
            assertEquals(s.softRecordLimit(), large.softRecords(s));
            assertEquals(s.hardRecordLimit(), large.hardRecords(s));
        }
        assertEquals(1L << 23, AeadSuite.AES_256_GCM.softRecordLimit());
        assertEquals(23_726_566L, AeadSuite.AES_256_GCM.hardRecordLimit());
        assertEquals(1L << 32, AeadSuite.CHACHA20_POLY1305.softRecordLimit());
        assertEquals(1L << 40, AeadSuite.CHACHA20_POLY1305.hardRecordLimit());
        assertEquals(new RekeyPolicy(0, 0, 1L << 34, 3_600_000_000_000L, RekeyKind.RATCHET, 1_000_000_000L, true,
                60_000_000_000L), RekeyPolicy.DEFAULT);
    }
}
