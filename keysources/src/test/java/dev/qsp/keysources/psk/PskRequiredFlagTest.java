package dev.qsp.keysources.psk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The PSK source's {@code required} flag (SPEC.md §5.5): only a required source refuses a peer without a PSK. */
class PskRequiredFlagTest {
    private static final Map<String, byte[]> TABLE = Map.of("site-a", new byte[32]);

    @Test
    void aRequiredSourceRefusesAnAbsentPeer() {
        PreSharedKeySource s = new PreSharedKeySource(null, TABLE, true);
        assertTrue(s.required());
        PskException e = assertThrows(PskException.class, s::peerAbsent);
        assertEquals(PskException.Reason.REQUIRED, e.reason());
        assertTrue(e.requiredButAbsent());
        assertFalse(e.unavailable());
        assertEquals("PSK REQUIRED: the peer offered no pre-shared key and this side requires one", e.getMessage());
        assertEquals("PreSharedKeySource[identity=null, 1 key(s), required]", s.toString());
    }

    @Test
    void anOptionalSourceAcceptsAnAbsentPeer() throws Exception {
        PreSharedKeySource s = new PreSharedKeySource("site-a", TABLE);
        assertFalse(s.required());
        s.peerAbsent();
        assertFalse(new PskException(PskException.Reason.UNKNOWN_IDENTITY, "x").requiredButAbsent());
    }
}
