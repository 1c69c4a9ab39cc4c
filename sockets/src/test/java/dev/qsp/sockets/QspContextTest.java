package dev.qsp.sockets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The context builder checks each value when it is set and states what it accepts. */
class QspContextTest {
    @Test
    void defaults() {
        QspContext c = QspContext.builder().build();
        assertEquals(QspContext.DEFAULT_HANDSHAKE_TIMEOUT, c.handshakeTimeout());
        assertEquals(QspContext.ClientAuth.NONE, c.clientAuth());
        assertEquals(List.of(), c.suites());
        assertFalse(c.freshRekeys());
        assertEquals(Duration.ZERO, c.rekeyInterval());
    }

    @Test
    void unknownSuiteListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> QspContext.builder().suites("AES-128-CBC"));
        assertTrue(e.getMessage().contains("AES-256-GCM") && e.getMessage().contains("ChaCha20-Poly1305"),
                e.getMessage());
    }

    @Test
    void unknownSignatureAlgorithmListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> QspContext.builder().signatureAlgorithms("Ed25519"));
        assertTrue(e.getMessage().contains("ML-DSA-65"), e.getMessage());
    }

    @Test
    void rejectsOutOfRangeValues() {
        QspContext.Builder b = QspContext.builder();
        assertThrows(IllegalArgumentException.class, () -> b.rekeyAfterRecords(-1));
        assertThrows(IllegalArgumentException.class, () -> b.rekeyAfterBytes(-1));
        assertThrows(IllegalArgumentException.class, () -> b.rekeyInterval(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> b.handshakeTimeout(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> b.handshakeTimeout(Duration.ofMinutes(11)));
        assertThrows(IllegalArgumentException.class, () -> b.suites("AES-256-GCM", "AES-256-GCM"));
        assertThrows(IllegalArgumentException.class, () -> b.expectedPeerIdentity(" "));
    }

    @Test
    void requiredClientAuthNeedsTrust() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> QspContext.builder().clientAuth(QspContext.ClientAuth.REQUIRED).build());
        assertTrue(e.getMessage().contains("trust"), e.getMessage());
    }

    @Test
    void factoriesNeedWhatTheirRoleNeeds() throws Exception {
        TestIdentities ids = TestIdentities.get();
        QspContext serverOnly = QspContext.builder().identity(ids.server).build();
        assertThrows(IllegalStateException.class, serverOnly::getSocketFactory);
        QspContext clientOnly = QspContext.builder().trust(ids.trust()).build();
        assertThrows(IllegalStateException.class, clientOnly::getServerSocketFactory);
        assertTrue(serverOnly.getServerSocketFactory().getContext() == serverOnly);
    }

    @Test
    void toStringShowsNoSecrets() throws Exception {
        TestIdentities ids = TestIdentities.get();
        String s = QspContext.builder().identity(ids.server).trust(ids.trust()).build().toString();
        assertTrue(s.contains("CN=localhost"), s);
        assertFalse(s.toLowerCase(java.util.Locale.ROOT).contains("private"), s);
    }
}
