package dev.qsp.sockets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * {@link EngineCore} never reports a failed engine as a clean end of stream (SPEC.md §6.3). The engine closes its
 * inbound side when it fails; the connection records the failure only after the engine lock is released, so a
 * reader asking in between used to get -1. Failing the engine directly makes that window deterministic.
 */
class EngineCoreTest {
    @Test
    void failedEngineIsNotACleanEnd() throws Exception {
        Core core = EngineCore.create(TestIdentities.get().clientContext().build(), true, "localhost");
        core.start(0);
        core.delegatedTask().run(); // the ClientHello's key sources (SPEC.md §4.15), as the shell does off the lock
        core.tick(0);
        byte[] garbage = new byte[64]; // not a QSP frame: the engine fails and closes both directions
        java.util.Arrays.fill(garbage, (byte) 0x7f);
        QspProtocolException first = assertThrows(QspProtocolException.class, () -> core.receive(garbage, 0, garbage.length, 0));
        QspProtocolException again = assertThrows(QspProtocolException.class, core::isInboundClosed);
        assertEquals(first.error(), again.error());
    }
}
