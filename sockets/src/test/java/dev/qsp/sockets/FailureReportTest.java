package dev.qsp.sockets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * A failure reported again (every later read, write or handshake after the connection failed, SPEC.md §6.3)
 * keeps the original's reason in its message, not only as its cause: the line an application logs for it says
 * which KME failed and how, not just "QKD_UNAVAILABLE: the connection failed earlier".
 */
class FailureReportTest {
    private static final String KME_REASON = "key source 'qkd': QKD KME_UNREACHABLE: dec_keys at 127.0.0.1:4443:"
            + " connection failed after 3 attempt(s): ConnectException: Connection refused";

    @Test
    void aConnectionFailureReportedAgainCarriesTheReason() {
        QspProtocolException original = new QspProtocolException(QspError.QKD_UNAVAILABLE, KME_REASON);
        IOException again = EngineGate.rethrown(original);
        QspProtocolException p = assertInstanceOf(QspProtocolException.class, again);
        assertEquals(QspError.QKD_UNAVAILABLE, p.error());
        assertEquals("QKD_UNAVAILABLE: the connection failed earlier: " + KME_REASON, p.getMessage());
        assertSame(original, p.getCause());
    }

    @Test
    void aHandshakeFailureReportedAgainCarriesTheReasonAndRemoteness() {
        QspHandshakeException original = new QspHandshakeException(QspError.QKD_UNAVAILABLE, "peer closed with"
                + " QKD_UNAVAILABLE", true, null);
        QspHandshakeException h = assertInstanceOf(QspHandshakeException.class, EngineGate.rethrown(original));
        assertEquals("QKD_UNAVAILABLE: the handshake failed earlier: peer closed with QKD_UNAVAILABLE", h.getMessage());
        assertTrue(h.isRemote());
        assertSame(original, h.getCause());
    }
}
